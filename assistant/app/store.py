"""Every revision of every draft, in any SQLAlchemy database (SQLite file by default, PostgreSQL for several
app instances). A revision is written in one transaction before the UI shows it, so killing the server
loses at most the edit in flight. Undo/redo move a pointer; a new edit after undo drops the redo branch.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import (Column, Float, Integer, MetaData, String, Table, Text, create_engine, delete, event, func,
                        insert, select, update)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from ..core.model import Draft

metadata = MetaData()
drafts = Table(
    "drafts", metadata,
    Column("id", String(32), primary_key=True),
    Column("owner", String(128), index=True, nullable=False),
    Column("title", String(200), nullable=False, default=""),
    Column("created", Float, nullable=False),
    Column("updated", Float, nullable=False),
    Column("current_rev", Integer, nullable=False),
)
revisions = Table(
    "revisions", metadata,
    Column("draft_id", String(32), primary_key=True),
    Column("rev", Integer, primary_key=True),
    Column("created", Float, nullable=False),
    Column("note", String(400), nullable=False, default=""),
    Column("data", Text, nullable=False),
)


@dataclass
class DraftInfo:
    id: str
    title: str
    updated: float
    rev: int
    revisions: int


def default_url(data_dir: Path) -> str:
    data_dir.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{(data_dir / 'drafts.sqlite').resolve()}"


class DraftStore:
    def __init__(self, url: str):
        self.url = url
        kwargs = {"connect_args": {"check_same_thread": False, "timeout": 30}} if url.startswith("sqlite") else {
            "pool_pre_ping": True}
        self.engine: Engine = create_engine(url, future=True, **kwargs)
        if url.startswith("sqlite"):
            @event.listens_for(self.engine, "connect")
            def _pragmas(conn, _):  # durable and concurrent enough for several sessions
                conn.isolation_level = None  # transactions are begun below, so a writer can take the lock first
                cur = conn.cursor()
                cur.execute("PRAGMA journal_mode=WAL")
                cur.execute("PRAGMA synchronous=FULL")
                cur.close()

            @event.listens_for(self.engine, "begin")
            def _begin(conn):  # a writer locks before it reads the current revision: no lost update
                conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("write") else "BEGIN")
        metadata.create_all(self.engine)

    # --- writes -------------------------------------------------------------------------------------
    def create(self, owner: str, draft: Draft, note: str = "新建") -> tuple[str, int]:
        did = uuid.uuid4().hex
        now = time.time()
        with self.engine.begin() as conn:
            conn.execute(insert(drafts).values(id=did, owner=owner, title=_title(draft), created=now, updated=now,
                                               current_rev=1))
            conn.execute(insert(revisions).values(draft_id=did, rev=1, created=now, note=note[:400],
                                                  data=_dump(draft)))
        return did, 1

    def save(self, draft_id: str, draft: Draft, note: str) -> int:
        """A new revision after the current one (a redo branch, if any, is dropped). Two instances saving the same
        draft at once are serialised by a row lock (PostgreSQL) or the database lock (SQLite); neither is lost."""
        for attempt in range(5):
            try:
                return self._save(draft_id, draft, note)
            except IntegrityError:  # another writer took this revision number first: go after it
                if attempt == 4:
                    raise
                time.sleep(0.05 * (attempt + 1))
        raise AssertionError  # unreachable

    def _write(self):
        return self.engine.execution_options(write=True).begin()

    def _save(self, draft_id: str, draft: Draft, note: str) -> int:
        now = time.time()
        with self._write() as conn:
            cur = conn.execute(select(drafts.c.current_rev).where(drafts.c.id == draft_id)
                               .with_for_update()).scalar_one()
            conn.execute(delete(revisions).where(revisions.c.draft_id == draft_id, revisions.c.rev > cur))
            rev = cur + 1
            conn.execute(insert(revisions).values(draft_id=draft_id, rev=rev, created=now, note=note[:400],
                                                  data=_dump(draft)))
            conn.execute(update(drafts).where(drafts.c.id == draft_id).values(current_rev=rev, updated=now,
                                                                                 title=_title(draft)))
        return rev

    def move(self, draft_id: str, step: int) -> tuple[int, Draft] | None:
        """Undo (step=-1) or redo (+1): the revision now current, or None when there is none."""
        with self._write() as conn:
            cur = conn.execute(select(drafts.c.current_rev).where(drafts.c.id == draft_id)
                               .with_for_update()).scalar_one()
            head = conn.execute(select(func.max(revisions.c.rev)).where(revisions.c.draft_id == draft_id)).scalar_one()
            target = cur + step
            if target < 1 or target > head:
                return None
            conn.execute(update(drafts).where(drafts.c.id == draft_id).values(current_rev=target, updated=time.time()))
            data = conn.execute(select(revisions.c.data).where(revisions.c.draft_id == draft_id,
                                                               revisions.c.rev == target)).scalar_one()
        return target, Draft.model_validate_json(data)

    # --- reads --------------------------------------------------------------------------------------
    def current(self, draft_id: str) -> tuple[int, Draft] | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(drafts.c.current_rev).where(drafts.c.id == draft_id)).first()
            if row is None:
                return None
            data = conn.execute(select(revisions.c.data).where(revisions.c.draft_id == draft_id,
                                                               revisions.c.rev == row.current_rev)).scalar_one()
        return row.current_rev, Draft.model_validate_json(data)

    def owner_of(self, draft_id: str) -> str | None:
        with self.engine.connect() as conn:
            return conn.execute(select(drafts.c.owner).where(drafts.c.id == draft_id)).scalar()

    def history(self, draft_id: str) -> list[tuple[int, str, float]]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(revisions.c.rev, revisions.c.note, revisions.c.created)
                                .where(revisions.c.draft_id == draft_id).order_by(revisions.c.rev)).all()
        return [(r.rev, r.note, r.created) for r in rows]

    def can_move(self, draft_id: str) -> tuple[bool, bool]:
        with self.engine.connect() as conn:
            cur = conn.execute(select(drafts.c.current_rev).where(drafts.c.id == draft_id)).scalar()
            head = conn.execute(select(func.max(revisions.c.rev)).where(revisions.c.draft_id == draft_id)).scalar()
        if cur is None:
            return False, False
        return cur > 1, cur < (head or 0)

    def recent(self, owner: str, limit: int = 20) -> list[DraftInfo]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(drafts).where(drafts.c.owner == owner).order_by(drafts.c.updated.desc())
                                .limit(limit)).all()
            counts = dict(conn.execute(select(revisions.c.draft_id, func.count()).where(
                revisions.c.draft_id.in_([r.id for r in rows])).group_by(revisions.c.draft_id)).all()) if rows else {}
        return [DraftInfo(r.id, r.title, r.updated, r.current_rev, counts.get(r.id, 0)) for r in rows]


def _dump(draft: Draft) -> str:
    return json.dumps(draft.model_dump(mode="json", exclude={"indicators": {"__all__": {"parsed"}}}),
                      ensure_ascii=False)


def _title(draft: Draft) -> str:
    h = draft.header
    name = h.project_name or h.unit or h.title or "未命名草稿"
    year = f"{h.year}年 " if h.year else ""
    return f"{year}{name}"[:200]
