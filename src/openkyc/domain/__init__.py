"""The core: one folder per aggregate. No HTTP here; errors carry kinds, not statuses."""
