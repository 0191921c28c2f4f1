"""openkyc's own management API: apps, keys, flows, webhooks, review. Bearer admin token."""
