"""openkyc: a self-hostable identity verification server."""

__version__ = "0.1.0"
