"""Inbound HTTP APIs, each a mounted sub-app with its own error envelope and auth."""
