"""Verification engines, one folder per kind. Decision logic is pure and unit-tested."""
