"""The revision store on SQLite and on PostgreSQL; two app instances sharing one PostgreSQL lose nothing."""

from __future__ import annotations

import itertools
import threading
import uuid

import pytest

from assistant.app import create_service
from assistant.app.store import DraftStore
from assistant.config import load_settings
from assistant.core.model import Draft, Header

_names = itertools.count()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'drafts.sqlite'}"
    server = request.getfixturevalue("postgres")
    return server.create_db(f"t{next(_names)}_{uuid.uuid4().hex[:6]}")


def test_revisions_undo_redo_and_branches(store_url):
    store = DraftStore(store_url)
    did, rev = store.create("o", Draft(header=Header(unit="甲")))
    assert rev == 1 and store.save(did, Draft(header=Header(unit="乙")), "second") == 2
    assert store.move(did, -1)[1].header.unit == "甲" and store.can_move(did) == (False, True)
    assert store.save(did, Draft(header=Header(unit="丙")), "branch") == 2  # the redo branch is dropped
    assert [r for r, _, _ in store.history(did)] == [1, 2] and store.current(did)[1].header.unit == "丙"
    assert store.owner_of(did) == "o" and [d.id for d in store.recent("o")] == [did]
    assert store.current("nope") is None and store.move(did, +1) is None


def test_concurrent_saves_lose_nothing(store_url):
    """Eight writers saving the same draft at once: every save gets its own revision, in one sequence."""
    store = DraftStore(store_url)
    did, _ = store.create("o", Draft())
    errors: list[Exception] = []

    def writer(i: int):
        try:
            for j in range(10):
                store.save(did, Draft(header=Header(unit=f"{i}-{j}")), f"w{i}")
        except Exception as e:  # noqa: BLE001 - collected and reported below
            errors.append(e)

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors[:2]
    revs = [r for r, _, _ in store.history(did)]
    assert revs == list(range(1, 82))  # 1 + 8 × 10, no gap, no duplicate


def test_two_instances_share_one_postgresql(postgres, tmp_path, monkeypatch):
    """Two app instances on one PostgreSQL and one secret serve the same user's draft alternately."""
    monkeypatch.setenv("ASSISTANT_SECRET", "office-secret")
    url = postgres.create_db(f"shared_{uuid.uuid4().hex[:6]}")
    a = create_service(load_settings(), db_url=url, data_dir=tmp_path / "a")
    b = create_service(load_settings(), db_url=url, data_dir=tmp_path / "b")
    assert a.secret == b.secret == "office-secret"
    text = ("项目名称：2025年教师培训项目。主管部门：某县教育局；实施单位：某县教师发展中心。"
            "全年培训教师3000人次，培训合格率不低于95%，参训教师满意度不低于90%。")
    v = a.chat("user:zhang", None, text, [])
    did = v.draft_id
    steps = ["满意度改成不低于92%", "合格率至少96%", "删除第一行", "撤销", "再加一个送教下乡场次的指标"]
    for i, msg in enumerate(steps):
        svc = (a, b)[i % 2]
        v = svc.chat("user:zhang", did, msg, [])
        assert v.error is None, (msg, v.error)
    final = b.view(did).draft
    values = {r.name: r.value for r in final.indicators}
    assert values["参训教师满意度"] == "≥92%" and values["培训合格率"] == "≥96%"
    assert any("送教下乡" in n for n in values)
    # every edit is there, in order, whichever instance made it; the undone delete was dropped by the next edit
    notes = [n for _, n, _ in a.store.history(did)]
    assert notes == ["起草", "指令：满意度改成不低于92%", "指令：合格率至少96%", "指令：再加一个送教下乡场次的指标"]
