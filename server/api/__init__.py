"""The HTTP side of the server: one router module per resource, the dependencies they share (``deps``), the error
answers (``errors``), the middleware and the server's own schemas.  Routers only translate HTTP to calls of
``server.services`` and back; they never import the store's models (an import-linter contract checks it)."""
