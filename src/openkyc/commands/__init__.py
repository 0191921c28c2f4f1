"""Command groups of the `openkyc` CLI, one module per engine family."""
