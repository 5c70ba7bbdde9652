"""How cost grows with size: validator, offline draft, export (xlsx/docx) and app start at 1×, 10×, 100×,
1000× the seed, plus the LLM chain's own overhead against a zero-latency loopback stub.

    python benchmarks/scale.py [--runs N] [--budget SECONDS] [--factors 1,10,100,1000]

Sizes: a form is the seed's 17 indicator rows repeated (names made unique, benchmarks/core.py `scaled`);
drafting input is the seed's prose (examples/prose-guangshui-2020.txt, 991 characters) repeated. Each cell
is the median of up to --runs timed runs after one warm-up; a cell stops repeating once it has used
--budget seconds, and a size is skipped when the previous size's time, grown at the rate measured so far,
would take longer than the budget (the table says so instead of hanging for hours).
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import core as corebench  # noqa: E402  (benchmarks/core.py)

from assistant.core.io import load_draft, render  # noqa: E402
from assistant.core.validator import validate  # noqa: E402
from assistant.engines.offline import OfflineEngine  # noqa: E402
from assistant.engines.offline.extract import MAX_CHARS  # noqa: E402

PROSE = (ROOT / "examples" / "prose-guangshui-2020.txt").read_text(encoding="utf-8")


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(next(x for x in Path("/proc/meminfo").read_text().splitlines() if x.startswith("MemTotal")).split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, StopIteration, ValueError):
        pass
    return (f"{cpu}, {os.cpu_count()} cores{mem}, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}")


class Cell:
    def __init__(self, ms: float | None, n: int, note: str = ""):
        self.ms, self.n, self.note = ms, n, note

    def __str__(self) -> str:
        if self.ms is None:
            return self.note
        s = f"{self.ms:,.1f}" if self.ms < 10_000 else f"{self.ms:,.0f}"
        return s + ("" if self.n >= 3 else f" (n={self.n})")


def timed(fn: Callable[[], object], runs: int, budget: float, warm: bool = True) -> Cell:
    if warm:
        t = time.perf_counter()
        fn()
        if time.perf_counter() - t > budget / 2:  # too slow to warm up and repeat: the warm-up is the figure
            return Cell((time.perf_counter() - t) * 1000, 1)
    times: list[float] = []
    start = time.perf_counter()
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
        if time.perf_counter() - start > budget:
            break
    return Cell(statistics.median(times), len(times))


def exponent(a: tuple[int, Cell], b: tuple[int, Cell]) -> float | None:
    (na, ca), (nb, cb) = a, b
    if ca.ms is None or cb.ms is None or ca.ms <= 0 or nb == na:
        return None
    return math.log(cb.ms / ca.ms) / math.log(nb / na)


def row(name: str, sizes: list[int], make: Callable[[int], Callable[[], object]], runs: int,
        budget: float) -> tuple[str, list[tuple[int, Cell]]]:
    out: list[tuple[int, Cell]] = []
    for n in sizes:
        if out and out[-1][1].ms is not None:
            k = exponent(out[-2], out[-1]) if len(out) >= 2 else 1.0
            k = max(1.0, k or 1.0)
            projected = out[-1][1].ms * (n / out[-1][0]) ** k / 1000
            if projected > budget * 4:
                out.append((n, Cell(None, 0, f"skipped (~{projected:,.0f} s)")))
                continue
        elif out:
            out.append((n, Cell(None, 0, "skipped")))
            continue
        out.append((n, timed(make(n), runs, budget)))
        print(f"  … {name} at {n}: {out[-1][1]} ms", file=sys.stderr, flush=True)
    return name, out


def app_start(runs: int) -> Cell:
    """Wall time of `python -c "import assistant.app"` in a fresh interpreter (the app's imports)."""
    probe = subprocess.run([sys.executable, "-c", "import assistant.app"], cwd=ROOT, capture_output=True, text=True)
    if probe.returncode != 0:
        return Cell(None, 0, "not yet available")
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import assistant.app"], cwd=ROOT, check=True, capture_output=True)
        times.append((time.perf_counter() - t) * 1000)
    return Cell(statistics.median(times), len(times))


def llm_overhead(sizes: list[int], runs: int) -> list[tuple[int, int, float, float, int]]:
    """(size, prompt chars, median total ms, median ms outside the model, requests) against the stub."""
    from assistant.config import load_settings
    from assistant.engines.llm import LLMEngine
    from tests.fakellm import FakeLLM, json_reply
    from tests.test_llm import seed_reply

    out = []
    with FakeLLM([json_reply(seed_reply())]) as fake:
        eng = LLMEngine(load_settings(llm_base_url=fake.base_url, llm_api_key="x", llm_model="stub",
                                      llm_provider="generic", llm_max_retries=0, llm_max_repairs=0))
        for n in sizes:
            prose = "\n".join([PROSE] * n)
            eng.draft(prose)  # warm
            totals, overheads = [], []
            before = len(fake.requests)
            for _ in range(runs):
                r = eng.draft(prose)
                totals.append(r.trace["total_ms"])
                overheads.append(r.trace["overhead_ms"])
            body = fake.requests[-1]
            chars = sum(len(m["content"]) for m in body["messages"] if isinstance(m.get("content"), str))
            out.append((n, chars, statistics.median(totals), statistics.median(overheads),
                        (len(fake.requests) - before) // runs))
            print(f"  … llm chain at {n}: {statistics.median(totals):.1f} ms", file=sys.stderr, flush=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--budget", type=float, default=30.0, help="seconds one table cell may use")
    ap.add_argument("--factors", default="1,10,100,1000")
    args = ap.parse_args()
    sizes = [int(x) for x in args.factors.split(",")]
    seed = load_draft(corebench.SEED)
    engine = OfflineEngine()
    forms = {n: corebench.scaled(seed, n) for n in sizes}
    reports = {n: validate(d) for n, d in forms.items()}

    rows = [
        row("validate", sizes, lambda n: lambda: validate(forms[n]), args.runs, args.budget),
        row("offline draft (prose ×N)", sizes, lambda n: (lambda p: lambda: engine.draft(p))("\n".join([PROSE] * n)),
            args.runs, args.budget),
        row("export xlsx (with findings)", sizes, lambda n: lambda: render(forms[n], "xlsx", reports[n]), args.runs,
            args.budget),
        row("export docx (with findings)", sizes, lambda n: lambda: render(forms[n], "docx", reports[n]), args.runs,
            args.budget),
    ]
    start = app_start(args.runs)
    llm = llm_overhead([n for n in sizes if n <= 100], args.runs)

    print(f"machine: {machine()}")
    print(f"medians of up to {args.runs} runs after a warm-up, milliseconds; (n=k): fewer runs fit the "
          f"{args.budget:g} s budget")
    print(f"sizes: form rows = 17 × N; prose = 991 characters × N (the drafter reads the first {MAX_CHARS:,})")
    print()
    w = 34
    print(f"| {'task':{w}} | " + " | ".join(f"{str(n) + '×':>18}" for n in sizes) + " | growth |")
    print(f"|{'-' * (w + 2)}|" + "|".join("-" * 20 for _ in sizes) + "|--------|")
    capped = {n for n in sizes if len(PROSE) * n + n - 1 > MAX_CHARS}
    for name, cells in rows:
        if name.startswith("offline draft"):
            for n, c in cells:
                if n in capped and c.ms is not None:
                    c.note, c.n = "capped", c.n
            cells_for_growth = [(n, c) for n, c in cells if n not in capped]
        else:
            cells_for_growth = cells
        growth = "—"
        measured = [(n, c) for n, c in cells_for_growth if c.ms is not None]
        if len([n for n, _ in measured if n >= 10]) >= 2:
            measured = [(n, c) for n, c in measured if n >= 10]  # past the fixed start-up cost
        if len(measured) >= 2:
            growth = f"n^{exponent(measured[0], measured[-1]):.1f}"
        shown = [f"{c}{' (capped)' if c.note == 'capped' else ''}" for _, c in cells]
        print(f"| {name:{w}} | " + " | ".join(f"{x:>18}" for x in shown) + f" | {growth:>6} |")
    print(f"| {'app start (import assistant.app)':{w}} | {str(start):>18} | "
          + " | ".join(f"{'(same)':>18}" for _ in sizes[1:]) + " |  const |")
    print()
    print("growth: the exponent k in time ∝ size^k, from 10× (1× when fewer sizes were measured) to the largest "
          "measured, uncapped size; "
          "'capped': the drafter reads only the first "
          f"{MAX_CHARS:,} characters, so larger inputs cost the same")
    print()
    print("LLM chain against a zero-latency loopback stub (generic provider, json mode, repairs off):")
    print(f"| {'size':>5} | {'prompt chars':>12} | {'total ms':>9} | {'outside the model ms':>20} | requests |")
    print("|------:|-------------:|----------:|---------------------:|---------:|")
    for n, chars, total, overhead, reqs in llm:
        print(f"| {str(n) + '×':>5} | {chars:>12,} | {total:>9.1f} | {overhead:>20.1f} | {reqs:>8} |")


if __name__ == "__main__":
    main()
