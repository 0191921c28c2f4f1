"""webhook aggregate."""
