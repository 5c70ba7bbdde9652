"""A shared deployment under load: two app instances on one PostgreSQL (one secret), N concurrent sessions
(gradio_client, loopback) drafting, revising, editing the table and exporting for a bounded time.

    python benchmarks/load.py [--sessions 50] [--seconds 120]

Reports throughput, p50/p95 latency per action, errors, and lost revisions (edits answered as saved but
missing from the store). Needs PostgreSQL's binaries (Debian: postgresql) and psycopg.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PROSE = (ROOT / "examples" / "prose-teacher-training-2025.txt").read_text(encoding="utf-8")
EDITS = ["满意度改成不低于92%", "合格率至少96%", "再加一个送教下乡场次的指标", "第2行改成≥220人", "删除最后一行"]


def main(sessions: int, seconds: float) -> None:
    from gradio_client import Client

    from assistant.app import create_service
    from assistant.app.ui import launch
    from assistant.config import load_settings
    from tests.pg import PostgresServer

    os.environ["ASSISTANT_SECRET"] = "load-test-secret"
    pg = PostgresServer()
    url = pg.create_db("load")
    tmp = Path(tempfile.mkdtemp())
    users = [(f"u{i}", "pw") for i in range(sessions)]
    services, demos = [], []
    for name in ("a", "b"):
        svc = create_service(load_settings(), db_url=url, data_dir=tmp / name)
        _, demo = launch(svc, port=0 if False else _free_port(), auth=users, prevent_thread_lock=True, quiet=True)
        services.append(svc)
        demos.append(demo)
    lat: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []
    saved_edits: dict[str, int] = defaultdict(int)  # owner → edits answered as saved
    lock = threading.Lock()
    stop_at = time.time() + seconds

    def session(i: int) -> None:
        client = Client(demos[i % 2].local_url, auth=users[i], verbose=False)
        owner = f"user:u{i}"
        while time.time() < stop_at:
            try:
                t0 = time.perf_counter()
                out = client.predict(PROSE, [], api_name="/chat")
                with lock:
                    lat["draft"].append(time.perf_counter() - t0)
                history = out[0]
                for edit in EDITS:
                    if time.time() >= stop_at:
                        break
                    t0 = time.perf_counter()
                    out = client.predict(edit, history, api_name="/chat")
                    history = out[0]
                    reply = str(history[-1].get("content", "")) if history else ""
                    with lock:
                        lat["revise"].append(time.perf_counter() - t0)
                        if "已修改" in reply:
                            saved_edits[owner] += 1
                t0 = time.perf_counter()
                client.predict(api_name="/export_xlsx")
                with lock:
                    lat["export"].append(time.perf_counter() - t0)
            except Exception as e:  # noqa: BLE001 - counted and reported
                with lock:
                    errors.append(f"{type(e).__name__}: {str(e)[:120]}")

    t_start = time.perf_counter()
    threads = [threading.Thread(target=session, args=(i,)) for i in range(sessions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 300)
    elapsed = time.perf_counter() - t_start
    store = services[0].store
    lost = 0
    for owner, n in saved_edits.items():
        total = sum(len(store.history(d.id)) - 1 for d in store.recent(owner, limit=1000))
        lost += max(0, n - total)
    actions = sum(len(v) for v in lat.values())
    print(f"{sessions} sessions on 2 instances sharing one PostgreSQL, {elapsed:.0f} s: {actions} actions, "
          f"{actions / elapsed:.1f} actions/s, {len(errors)} errors, {lost} lost revisions")
    for k, v in lat.items():
        v = sorted(v)
        p95 = v[min(len(v) - 1, int(len(v) * 0.95))]
        print(f"  {k:7} n={len(v):4}  p50 {statistics.median(v) * 1000:7.0f} ms  p95 {p95 * 1000:7.0f} ms")
    for e in errors[:5]:
        print("  error:", e)
    for d in demos:
        d.close()
    pg.stop()


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--sessions", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=120)
    a = ap.parse_args()
    main(a.sessions, a.seconds)
