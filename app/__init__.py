"""Yimen core: domain rules and use cases.  No Qt here (ARCHITECTURE.md)."""
