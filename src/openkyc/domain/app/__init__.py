"""app aggregate."""
