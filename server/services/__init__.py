"""What the server does, as plain functions over a SQLAlchemy session, one module per concern.  The routers in
``server/api`` only translate HTTP to these calls and back; ``yimen-server admin`` calls them directly.

- ``common``: :class:`ServiceError` (an expected refusal) and the SQL helpers every service uses
- ``devices``: enrollment codes, enrollment, device authentication, revocation
- ``operators``: back-office credentials and their authentication
- ``ingest``: a pushed batch: checks, storage, the city's view of the applications
- ``audit_heads``: the highest audit chain head each device pushed; one going backwards is refused; the one reset a
  recovered workstation may make, kept for good
- ``records``: a workstation's own events read back for a recovery, and what its code has numbered
- ``documents``: the issued documents' bytes, content-addressed
- ``feed``: the per-center feed the workstations pull, and its never-skipping counter
- ``backoffice``: the back office's statuses and their transition table
- ``accounts``, ``catalog``: counter accounts and catalog versions changed centrally
- ``progress``: the citizen's progress lookup
- ``stats``: the operator's overview

Races between server processes are settled by the database: unique constraints with ``ON CONFLICT DO NOTHING``
and compare-and-set updates, never read-then-write (docs/sync-protocol.md).
"""
