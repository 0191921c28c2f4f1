"""Duplicate search: the same face or identifier in another session of the same app."""
