"""The optional read replica (settings.DATABASE_REPLICA_URL → DATABASES["replica"]).

A replica lags its primary by a moment, so nothing reads from it by default: only code inside an
explicit scope — `reads_from_replica`, a decorator and a context manager — and only reads. Pages and
jobs that show what already was (statistics, the report jobs' data, the public pages) use it; a page
that must show what its own request just wrote does not. Inside a transaction on the primary every
read stays there too: the transaction may have written, and it must read its own writes (and a
select_for_update must lock the primary's row). Without the setting there is no alias and the scope
changes nothing.
"""

from contextlib import ContextDecorator
from contextvars import ContextVar

from django.db import connections

REPLICA = "replica"

_in_scope: ContextVar[bool] = ContextVar("reads_from_replica", default=False)


class reads_from_replica(ContextDecorator):  # noqa: N801  (used as a decorator, like Django's atomic)
    """Reads inside this scope go to the replica when one is configured (module docstring)."""

    def _recreate_cm(self):
        return type(self)()  # a fresh one per decorated call: threads never share a token

    def __enter__(self):
        self._token = _in_scope.set(True)
        return self

    def __exit__(self, *exc):
        _in_scope.reset(self._token)
        return False


def replica_configured() -> bool:
    return REPLICA in connections.settings


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if not _in_scope.get() or not replica_configured():
            return None  # the default database
        if connections["default"].in_atomic_block:
            return "default"
        return REPLICA

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same data on both

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA  # the replica follows the primary's schema by replication
