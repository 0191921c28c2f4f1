"""file aggregate."""
