"""Signed, expiring file links: GET /files/{id}?expires=...&signature=..."""
