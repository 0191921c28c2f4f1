"""review aggregate."""
