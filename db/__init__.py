"""Persistence: typed SQLAlchemy models, the engine factory, migrations and backups.  Imports nothing of ours."""
