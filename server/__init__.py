"""Central server (a later issue)."""
