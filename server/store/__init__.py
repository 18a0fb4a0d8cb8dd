"""The central server's own store: SQLAlchemy models, engine, migrations (not the workstation's db/)."""
