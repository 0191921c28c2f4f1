"""IDENTIFIER: a declared identifier (tax or ID number, email, phone, IP, social profile)."""
