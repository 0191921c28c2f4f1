"""user aggregate: back office accounts, their login and second factor."""
