"""Review decisions in SQLite, keyed by the record's stable key (:mod:`manualtune.review.keys`).

``decisions`` holds the decision in force per key (last write wins); ``history`` keeps every write,
so two reviewers editing one item at once never lose a row: the later write wins and the caller is
told which decision it replaced. JSONL import/export uses one :class:`Decision` per line::

    {"key": "fact:…", "action": "edit", "fields": {"value": "46"}, "reason": "scan reads 46"}
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from manualtune.review.keys import KeyKind, key_kind

Action = Literal["accept", "edit", "reject", "resolve"]

SCHEMA = """
CREATE TABLE IF NOT EXISTS decisions (
  key TEXT PRIMARY KEY, kind TEXT NOT NULL, action TEXT NOT NULL, fields TEXT NOT NULL,
  reason TEXT NOT NULL, before TEXT, "when" TEXT NOT NULL, revision INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS history (
  id INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL, kind TEXT NOT NULL, action TEXT NOT NULL,
  fields TEXT NOT NULL, reason TEXT NOT NULL, before TEXT, "when" TEXT NOT NULL, revision INTEGER NOT NULL,
  replaced_revision INTEGER
);
CREATE INDEX IF NOT EXISTS history_key ON history(key);
"""


class DecisionError(ValueError):
    """A decision (or a decisions file line) that cannot be stored; the message says what to fix."""


class Decision(BaseModel):
    """One reviewer decision about one record."""

    model_config = ConfigDict(extra="forbid")

    key: str = Field(description="stable record key, e.g. 'fact:<file>#p<page>@<bbox>:<hash>'")
    action: Action
    fields: dict[str, str] = Field(default_factory=dict, description="edited fields / conflict resolution")
    reason: str = ""
    kind: KeyKind | None = Field(default=None, description="fact | example | conflict (from the key)")
    when: str | None = Field(default=None, description="UTC time of the decision (ISO 8601)")
    before: dict[str, Any] | None = Field(default=None, description="the record as it was when decided")
    revision: int = Field(default=0, description="store revision of this key (1 = first decision)")

    @model_validator(mode="after")
    def _consistent(self) -> Decision:
        kind = key_kind(self.key)
        if kind is None:
            raise ValueError(f"key must start with fact:, example: or conflict: ({self.key[:60]!r})")
        if self.kind is not None and self.kind != kind:
            raise ValueError(f"kind {self.kind!r} does not match the key ({kind})")
        self.kind = kind
        if self.action == "reject" and not self.reason.strip():
            raise ValueError("a reject needs a reason")
        if self.action == "edit" and not self.fields:
            raise ValueError("an edit needs at least one field")
        if self.action == "resolve":
            if kind != "conflict":
                raise ValueError("resolve applies to conflicts only")
            if not (self.fields.get("pick") or self.fields.get("value")):
                raise ValueError("a resolve needs 'pick' (a fact key) or 'value' (+ 'unit')")
        return self

    def line(self) -> dict[str, Any]:
        """The JSONL form (sorted keys by the writer)."""
        return self.model_dump(mode="json", exclude_none=True, exclude={"revision"})


@dataclass(frozen=True)
class PutResult:
    """What a write did: the new revision, and the decision it replaced when someone else had
    changed the item since the caller loaded it (last write wins, with a notice)."""

    revision: int
    replaced: Decision | None = None


def now_utc() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


class DecisionStore:
    """SQLite-backed decisions (WAL; one short connection per operation, safe across threads)."""

    _init_lock = threading.Lock()

    def __init__(self, path: Path):
        self.path = Path(path)
        self._ready = False

    def _init(self) -> None:
        """Create the schema and switch to WAL once (both need a write lock; done under a lock)."""
        with self._init_lock:
            if self._ready:
                return
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            try:
                conn.execute("PRAGMA journal_mode=WAL")
                conn.executescript(SCHEMA)
            except sqlite3.DatabaseError as e:
                raise DecisionError(f"{self.path}: not a readable decisions database ({e}); move it away") from e
            finally:
                conn.close()
            self._ready = True

    @contextmanager
    def _conn(self, write: bool = False) -> Iterator[sqlite3.Connection]:
        if not write and not self.path.exists():
            conn = sqlite3.connect(":memory:")  # no file yet: no decisions (reading never creates one)
            conn.executescript(SCHEMA)
            try:
                yield conn
            finally:
                conn.close()
            return
        self._init()
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            yield conn
        except sqlite3.DatabaseError as e:
            if isinstance(e, sqlite3.OperationalError) and "locked" in str(e):
                raise
            raise DecisionError(f"{self.path}: not a readable decisions database ({e}); move it away") from e
        finally:
            conn.close()

    @staticmethod
    def _row(row: tuple) -> Decision:
        key, kind, action, fields, reason, before, when, revision = row
        return Decision(key=key, kind=kind, action=action, fields=json.loads(fields), reason=reason,
                        before=json.loads(before) if before else None, when=when, revision=revision)

    _COLS = 'key, kind, action, fields, reason, before, "when", revision'

    def get(self, key: str) -> Decision | None:
        with self._conn() as c:
            row = c.execute(f"SELECT {self._COLS} FROM decisions WHERE key = ?", (key,)).fetchone()
        return self._row(row) if row else None

    def all(self) -> list[Decision]:
        with self._conn() as c:
            rows = c.execute(f"SELECT {self._COLS} FROM decisions ORDER BY key").fetchall()
        return [self._row(r) for r in rows]

    def history(self, key: str) -> list[Decision]:
        with self._conn() as c:
            rows = c.execute(
                f"SELECT {self._COLS} FROM history WHERE key = ? ORDER BY id", (key,)
            ).fetchall()
        return [self._row(r) for r in rows]

    def put(self, decision: Decision, expected_revision: int | None = None) -> PutResult:
        """Store ``decision`` as the one in force for its key. ``expected_revision``: the revision the
        caller saw (0 = none); a different current revision means a concurrent write, which is
        replaced (last write wins) and returned in :attr:`PutResult.replaced`."""
        when = decision.when or now_utc()
        with self._conn(write=True) as c:
            c.execute("BEGIN IMMEDIATE")
            try:
                row = c.execute(f"SELECT {self._COLS} FROM decisions WHERE key = ?", (decision.key,)).fetchone()
                current = self._row(row) if row else None
                rev = (current.revision if current else 0) + 1
                replaced = None
                if expected_revision is not None and current is not None and current.revision != expected_revision:
                    replaced = current
                vals = (decision.key, decision.kind, decision.action,
                        json.dumps(decision.fields, sort_keys=True, ensure_ascii=False), decision.reason,
                        json.dumps(decision.before, sort_keys=True, ensure_ascii=False) if decision.before else None,
                        when, rev)
                c.execute(f"INSERT OR REPLACE INTO decisions ({self._COLS}) VALUES (?,?,?,?,?,?,?,?)", vals)
                c.execute(f"INSERT INTO history ({self._COLS}, replaced_revision) VALUES (?,?,?,?,?,?,?,?,?)",
                          (*vals, current.revision if current else None))
                c.execute("COMMIT")
            except BaseException:
                c.execute("ROLLBACK")
                raise
        return PutResult(revision=rev, replaced=replaced)

    def import_jsonl(self, lines: Iterable[str], source: str = "<input>") -> tuple[int, list[str]]:
        """Store every valid line; returns (stored, errors) where each error names the line."""
        stored, errors = 0, []
        for i, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                d = Decision.model_validate(json.loads(line))
            except (ValueError, ValidationError) as e:
                errors.append(f"{source}:{i}: {_short(e)}")
                continue
            self.put(d.model_copy(update={"revision": 0}))
            stored += 1
        return stored, errors

    def export_jsonl(self) -> str:
        """Every decision in force, one JSON line each, sorted by key (diffable, for git)."""
        return "".join(json.dumps(d.line(), sort_keys=True, ensure_ascii=False) + "\n" for d in self.all())


def _short(e: Exception) -> str:
    if isinstance(e, ValidationError):
        err = e.errors()[0]
        loc = ".".join(str(x) for x in err.get("loc", ()))
        return f"{loc + ': ' if loc else ''}{err.get('msg', '')}"
    return f"{type(e).__name__}: {e}"
