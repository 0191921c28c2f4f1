"""Sample documents drawn on demand: for tests, the benchmark and sandbox integrators."""
