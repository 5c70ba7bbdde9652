"""Core speed: validate, export. Prints medians of several runs (ms).

    python benchmarks/core.py [--runs N]
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.core.io import load_draft, render  # noqa: E402
from assistant.core.model import Draft  # noqa: E402
from assistant.core.validator import validate  # noqa: E402

SEED = ROOT / "evals" / "cases" / "filed" / "seed-guangshui-labor-insurance-2020.json"


def scaled(draft: Draft, factor: int) -> Draft:
    """The seed's rows repeated `factor` times (names made unique so R06 doesn't dominate)."""
    d = draft.model_copy(deep=True)
    rows = []
    for k in range(factor):
        for r in draft.indicators:
            rows.append(r.model_copy(update={"name": f"{r.name}{k}" if k else r.name, "id": f"{r.id}{k}"}))
    d.indicators = rows
    return d


def clean_synthetic(n: int) -> Draft:
    """n rows drawn from the good-practice tables in evals/cases (syn-*), renamed to stay unique."""
    rows = []
    for f in sorted((ROOT / "evals" / "cases").glob("syn-*project*.json")) or sorted(
            (ROOT / "evals" / "cases").glob("syn-*.json")):
        d = load_draft(f)
        if d.kind.value == "project" and d.profile in (None, "2020-project"):
            rows.extend(d.indicators)
    rows = rows or load_draft(SEED).indicators
    out = []
    for i in range(n):
        r = rows[i % len(rows)]
        out.append(r.model_copy(update={"name": f"{r.name}{i // len(rows) or ''}", "id": str(i)}))
    return Draft(kind="project", profile="2020-project", indicators=out)


def median_ms(fn, runs: int) -> float:
    fn()  # warm caches and imports
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    seed = load_draft(SEED)
    print(f"machine: {platform.processor() or platform.machine()}, Python {platform.python_version()}")
    print(f"{'task':42} {'rows':>7} {'median ms':>10}")
    for factor in (1, 10, 100, 1000):
        d = scaled(seed, factor)
        runs = args.runs if factor <= 100 else max(3, args.runs // 2)
        print(f"{'validate':42} {len(d.indicators):7} {median_ms(lambda: validate(d), runs):10.1f}")
    big = scaled(seed, 10000 // len(seed.indicators) + 1)
    big.indicators = big.indicators[:10000]
    print(f"{'validate 10,000 rows, seed repeated (defects)':42} {len(big.indicators):7} "
          f"{median_ms(lambda: validate(big), 3):10.1f}")
    clean = clean_synthetic(10000)
    print(f"{'validate 10,000 rows, good-practice tables':42} {len(clean.indicators):7} "
          f"{median_ms(lambda: validate(clean), 3):10.1f}")
    report = validate(seed)
    for fmt in ("xlsx", "docx", "csv", "md", "json"):
        print(f"{'export ' + fmt + ' (with findings)':42} {len(seed.indicators):7} "
              f"{median_ms(lambda: render(seed, fmt, report), args.runs):10.1f}")
    for factor in (10, 100):
        d = scaled(seed, factor)
        r = validate(d)
        print(f"{'export xlsx':42} {len(d.indicators):7} {median_ms(lambda: render(d, 'xlsx', r), 3):10.1f}")


if __name__ == "__main__":
    main()
