"""The names that code outside ``server/`` (a UI test, a benchmark) still imports from here; the services live in
:mod:`server.services`, one module per concern.  Remove once those callers import from there."""

from server.services.backoffice import transition
from server.services.devices import create_enrollment_code, revoke_device

__all__ = ["create_enrollment_code", "revoke_device", "transition"]
