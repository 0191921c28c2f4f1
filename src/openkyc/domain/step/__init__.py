"""step aggregate."""
