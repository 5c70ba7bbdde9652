"""Speed of reading staff prose (issue #9 targets: median ≤ 50 ms per case; a 200,000-character input ≤ 3 s).

    python benchmarks/prose.py [--runs N]

Measures, after one warm-up (jieba's dictionary loads once per process, ~1 s, not counted):
- the offline draft of every case in evals/cases, evals/cases/filed and evals/cases/typed (median, p90, max);
- the reader alone (prose → targets and unused numbers) on the same cases;
- the offline draft of the seed's prose repeated to 200,000 characters (the largest input read whole);
- generated text (tests/textgen.py): sentences drafted per second.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from scale import machine  # noqa: E402

from assistant.core.model import Kind  # noqa: E402
from assistant.engines.offline import OfflineEngine  # noqa: E402
from assistant.engines.offline.prose.reader import read  # noqa: E402

FOLDERS = ("evals/cases", "evals/cases/filed", "evals/cases/typed")


def cases() -> list[dict]:
    out = []
    for folder in FOLDERS:
        for p in sorted((ROOT / folder).glob("*.json")):
            data = json.loads(p.read_text(encoding="utf-8"))
            if "prose" in data:
                out.append(data)
    return out


def timed(fn, runs: int) -> float:
    best = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        best.append(time.perf_counter() - t)
    return statistics.median(best)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    engine = OfflineEngine()
    engine.draft("全年培训乡村医生不少于200人次。")  # warm-up: jieba, library, profiles
    all_cases = cases()
    draft_ms, read_ms, chars = [], [], []
    for c in all_cases:
        kind = Kind(c.get("kind") or "project")
        draft_ms.append(timed(lambda: engine.draft(c["prose"], kind=kind), args.runs) * 1000)
        read_ms.append(timed(lambda: read(c["prose"], kind=kind.value), args.runs) * 1000)
        chars.append(len(c["prose"]))
    q = statistics.quantiles(draft_ms, n=10)
    print(machine())
    print(f"cases: {len(all_cases)} ({', '.join(FOLDERS)}), prose {min(chars)}–{max(chars)} characters "
          f"(median {statistics.median(chars):.0f})")
    print(f"offline draft per case: median {statistics.median(draft_ms):.1f} ms, p90 {q[8]:.1f} ms, "
          f"max {max(draft_ms):.1f} ms")
    print(f"reader alone per case:  median {statistics.median(read_ms):.1f} ms, max {max(read_ms):.1f} ms")
    prose = (ROOT / "examples" / "prose-guangshui-2020.txt").read_text(encoding="utf-8")
    big = (prose * 300)[:200_000]
    t = timed(lambda: engine.draft(big), 1)
    print(f"offline draft of a 200,000-character input: {t:.2f} s")
    import textgen as tg  # tests/textgen.py

    rng = random.Random(1)
    gens = [tg.generate(rng, kind="mixed") for _ in range(200)]
    sentences = sum(g.sentence_count for g in gens)
    t0 = time.perf_counter()
    for g in gens:
        engine.draft(g.text, kind=Kind(g.kind))
    dt = time.perf_counter() - t0
    print(f"generated text: {sentences} sentences in {len(gens)} texts drafted in {dt:.1f} s "
          f"({sentences / dt:.0f} sentences/s, {1000 * dt / len(gens):.1f} ms per text)")


if __name__ == "__main__":
    main()
