"""session aggregate."""
