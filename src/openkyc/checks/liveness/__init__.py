"""Active liveness: head-pose challenges followed in a short video, checked frame by frame."""
