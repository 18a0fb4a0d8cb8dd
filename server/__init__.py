"""Central server: FastAPI app, its own store, the operator CLI (docs/operations.md)."""
