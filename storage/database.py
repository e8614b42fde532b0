"""The one SQLite database of a Sitrep process: connection, transactions, migrations.

The connection runs in autocommit mode and `transaction()` issues BEGIN IMMEDIATE/COMMIT
itself, so writes that belong together are one transaction and never get committed halfway
by a library helper. sqlite-utils is used for declaring the schema, where it shines.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from storage.migrations import MIGRATIONS

log = logging.getLogger(__name__)


class Database:
    """Owns the connection and hands out the narrow, named stores built on it."""

    def __init__(self, path: str | Path = ":memory:") -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self.conn = sqlite3.connect(
            self.path, isolation_level=None, check_same_thread=False, timeout=30.0
        )
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.execute("PRAGMA foreign_keys=ON")
        self.conn.execute("PRAGMA busy_timeout=30000")
        self.db = sqlite_utils.Database(self.conn)
        self._lock = threading.RLock()
        self._depth = 0
        self._owner: int | None = None  # the thread inside transaction(), if any
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []
        self._readers_lock = threading.Lock()
        self.migrate()

        from storage.articles import ArticleStore
        from storage.situation import SituationStore
        from storage.sources import SourceStore
        from storage.subscriptions import SubscriptionStore

        self.sources = SourceStore(self)
        self.articles = ArticleStore(self)
        self.situation = SituationStore(self)
        self.subscriptions = SubscriptionStore(self)

    def migrate(self) -> list[str]:
        """Apply every migration not yet recorded; safe to call any number of times."""
        self.conn.execute(
            "CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied TEXT NOT NULL)"
        )
        done = {row[0] for row in self.conn.execute("SELECT name FROM _migrations")}
        applied = []
        for name, step in MIGRATIONS:
            if name in done:
                continue
            with self.transaction():
                step(self.db)
                self.conn.execute(
                    "INSERT INTO _migrations (name, applied) VALUES (?, datetime('now'))", (name,)
                )
            applied.append(name)
            log.info("applied migration %s", name)
        return applied

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic unit of work; nested calls join the outer transaction."""
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield self.conn
                finally:
                    self._depth -= 1
                return
            self.conn.execute("BEGIN IMMEDIATE")
            self._depth, self._owner = 1, threading.get_ident()
            try:
                yield self.conn
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            else:
                self.conn.execute("COMMIT")
            finally:
                self._depth, self._owner = 0, None

    def _reader(self) -> sqlite3.Connection | None:
        """This thread's read-only connection, or None when reads must use the writer's.

        WAL lets readers run beside the writer, so a `status` in one thread need not wait
        for a `brief` or an ingest batch in another. Inside a transaction the writer's own
        connection is used, so its uncommitted rows are seen.
        """
        if self.path == ":memory:" or self._owner == threading.get_ident():
            return None
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, check_same_thread=False, timeout=30.0)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA query_only=ON")
            conn.execute("PRAGMA busy_timeout=30000")
            self._local.conn = conn
            with self._readers_lock:  # not self._lock: a writer holds that for a whole batch
                self._readers.append(conn)
        return conn

    def query(self, sql: str, params: tuple | dict = ()) -> list[sqlite3.Row]:
        reader = self._reader()
        if reader is not None:
            return reader.execute(sql, params).fetchall()
        with self._lock:
            return self.conn.execute(sql, params).fetchall()

    def query_one(self, sql: str, params: tuple | dict = ()) -> sqlite3.Row | None:
        reader = self._reader()
        if reader is not None:
            cursor = reader.execute(sql, params)
            try:
                return cursor.fetchone()
            finally:
                cursor.close()  # end the read now, not when the cursor is collected
        with self._lock:
            return self.conn.execute(sql, params).fetchone()

    def table_names(self) -> list[str]:
        return self.db.table_names()

    def close(self) -> None:
        with self._lock:
            for reader in self._readers:
                reader.close()
            self._readers.clear()
            self.conn.close()
