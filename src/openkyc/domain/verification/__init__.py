"""verification aggregate: result records per applicant and type, idempotency keys."""
