"""subscription aggregate: SynapseFI-style webhook subscriptions (scopes, signed deliveries)."""
