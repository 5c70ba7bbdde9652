"""A form as a grid of displayed cell texts, whatever file it came from.

Every source (xlsx, xls, docx, pdf, csv) becomes one or more Grids: rows of cell texts as a reader sees
them (95% for 0.95 formatted as percent), with merged cells known. A merged cell's text is kept in its
first cell; `merged[(r, c)]` gives the first cell of the merge for every covered cell.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field


@dataclass
class Grid:
    name: str  # sheet / table / page name, for messages
    rows: list[list[str]]
    merged: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)
    widths: dict[int, int] = field(default_factory=dict)  # PDF: row → column count of the table it came from

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def text(self, r: int, c: int) -> str:
        row = self.rows[r] if 0 <= r < len(self.rows) else []
        return row[c] if 0 <= c < len(row) else ""

    def shown(self, r: int, c: int) -> str:
        """The text a reader sees at (r, c): a covered cell shows its merge's text."""
        origin = self.merged.get((r, c))
        if origin is not None:
            return self.text(*origin)
        return self.text(r, c)

    def origin(self, r: int, c: int) -> tuple[int, int]:
        return self.merged.get((r, c), (r, c))

    def is_covered(self, r: int, c: int) -> bool:
        o = self.merged.get((r, c))
        return o is not None and o != (r, c)

    def add_merge(self, r1: int, c1: int, r2: int, c2: int) -> None:
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                if (r, c) != (r1, c1):
                    self.merged[(r, c)] = (r1, c1)

    def row_texts(self, r: int) -> list[str]:
        """The distinct non-empty texts of a row, left to right (a merged cell counted once)."""
        out: list[str] = []
        for c in range(len(self.rows[r])):
            if self.is_covered(r, c):
                continue
            t = self.text(r, c)
            if t:
                out.append(t)
        return out


_ZERO_DECIMALS = re.compile(r"0\.(0+)")


def _decimals(fmt: str) -> int | None:
    m = _ZERO_DECIMALS.search(fmt)
    if m:
        return len(m.group(1))
    if re.search(r"(^|[^.#0])0(%|$|[^.0#])", fmt) or fmt.strip() in ("0", "0%", "#,##0", "#,##0%"):
        return 0
    return None


def plain_number(v: float) -> str:
    """A float as people write it: no float noise, no trailing zeros."""
    if v == int(v) and abs(v) < 1e15:
        return str(int(v))
    s = f"{v:.10f}".rstrip("0").rstrip(".")
    return s


def display(value: object, number_format: str | None = None) -> str:
    """A cell's value as the form shows it, from the stored value and its number format."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        if value.hour or value.minute:
            return value.strftime("%Y-%m-%d %H:%M")
        value = value.date()
    if isinstance(value, dt.date):
        fmt = number_format or ""
        if "年" in fmt:
            return f"{value.year}年{value.month}月{value.day}日" if "d" in fmt.lower() else f"{value.year}年{value.month}月"
        if "/" in fmt:
            return f"{value.year}/{value.month}/{value.day}"
        return value.isoformat()
    if isinstance(value, (int, float)):
        fmt = (number_format or "General").split(";")[0]
        v = float(value)
        if "%" in fmt:
            pct = v * 100
            d = _decimals(fmt.replace("%", ""))
            text = f"{pct:.{d}f}" if d is not None else plain_number(round(pct, 8))
            return text + "%"
        d = _decimals(fmt) if fmt != "General" else None
        if d is not None:
            return f"{v:.{d}f}"
        return plain_number(round(v, 10))
    return clean(str(value))


def clean(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ").replace("\u3000", " ")
    text = re.sub(r"[ \t]+", " ", text)
    return "\n".join(line.strip() for line in text.split("\n")).strip()
