"""Engine, sessions, the declarative base and portable column types."""
