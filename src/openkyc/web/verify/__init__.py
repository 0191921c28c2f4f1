"""The hosted verification flow: the pages an applicant goes through."""
