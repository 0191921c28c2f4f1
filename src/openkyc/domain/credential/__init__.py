"""credential aggregate: gateway client credentials and user accounts, tokens, devices."""
