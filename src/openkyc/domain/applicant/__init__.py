"""applicant aggregate."""
