"""event aggregate."""
