"""Faces: detection, alignment, 128-d embeddings and their comparison."""
