"""Batch review speed: 500 filed forms (xlsx, mixed layouts from tests/fixtures/forms), read and checked.

Target (issue 10): ≤ 60 s on 2 cores for 500 forms, summary workbook and 审核意见 included.
Run: python benchmarks/review.py [N]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.core.batch import opinion_docx, review_one, summary_workbook  # noqa: E402


def main(n: int = 500) -> None:
    forms = sorted((ROOT / "tests" / "fixtures" / "forms").glob("xl-*.xls*"))
    data = [(f.name, f.read_bytes()) for f in forms]
    items = [(f"{i:03d}-{data[i % len(data)][0]}", data[i % len(data)][1]) for i in range(n)]
    t0 = time.perf_counter()
    results = [review_one(name, blob) for name, blob in items]
    t1 = time.perf_counter()
    book = summary_workbook(results)
    docs = [opinion_docx(r) for r in results]
    t2 = time.perf_counter()
    with tempfile.TemporaryDirectory() as d:
        (Path(d) / "s.xlsx").write_bytes(book)
    rows = sum(len(r.draft.indicators) for r in results if r.draft)
    print(f"{n} forms ({len(forms)} layouts, {rows} indicator rows): read+check {t1 - t0:.1f} s "
          f"({(t1 - t0) / n * 1000:.0f} ms/form), summary + {len(docs)} 审核意见 {t2 - t1:.1f} s, "
          f"total {t2 - t0:.1f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 500)
