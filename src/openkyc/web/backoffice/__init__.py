"""The back office: review queue, evidence, decisions and administration pages."""
