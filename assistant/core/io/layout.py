"""Shared layout for the form exports: which rows form which table, merged-cell spans, cell text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import ORIGIN_LABELS, Draft, Indicator, Kind, Origin, Scope
from ..values import format_amount as fmt_amount  # noqa: F401  (the exporters import it from here)

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

TABLE_COLUMNS = ["一级指标", "二级指标", "指标名称", "指标值", "绩效标准", "来源/备注"]
CSV_COLUMNS = ["年度目标", "目标期", "一级指标", "二级指标", "指标名称", "指标值", "绩效标准", "来源", "备注"]


OWN_MARK = "indicator-assistant"


def own_marker(draft: Draft) -> str:
    """Kept in the file's properties, never printed: marks our own export and its form profile."""
    return f"{OWN_MARK};profile={draft.profile or ''}"


def read_marker(keywords: str | None) -> str | None:
    """The profile named by our own marker ("" when none), or None when the file isn't ours."""
    if not keywords or not keywords.startswith(OWN_MARK):
        return None
    m = re.search(r"profile=([\w\-]*)", keywords)
    return m.group(1) if m else ""


def clean_text(value: object) -> str:
    """Text safe for XML (docx/xlsx): control characters removed, CRLF normalised."""
    if value is None:
        return ""
    s = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", s)


def needs_formula_guard(text: str) -> bool:
    return bool(text) and text.startswith(FORMULA_START)


def csv_cell(value: object) -> str:
    """OWASP: a CSV cell starting with = + - @ TAB CR gets a leading apostrophe."""
    raw = "" if value is None else str(value)
    s = clean_text(raw)
    if needs_formula_guard(raw) or needs_formula_guard(s):
        return "'" + s
    return s


def uncsv_cell(text: str) -> str:
    """Undo csv_cell's guard when reading our own files back."""
    if len(text) >= 2 and text[0] == "'" and text[1] in "=+-@":
        return text[1:]
    return text


@dataclass
class IndicatorTable:
    """One indicator table of the form: all rows of one 年度目标 (department) or of the project."""

    title: str
    goal: int | None
    scope: Scope
    rows: list[Indicator]


def tier_ordered(draft: Draft, rows: list[Indicator]) -> list[Indicator]:
    """Rows grouped so each 一级 and each 二级 is one block: 一级 in the form's order (产出 → 效益 → 满意度),
    二级 in the order the table first uses them, rows within a group as they were. A row added later joins
    its group instead of opening a second block."""
    from ..profiles import guess_profile

    prof = guess_profile(draft)[0]
    t1_order = {t: i for i, t in enumerate(prof.tiers)}
    first_t1: dict[str, int] = {}
    first_t2: dict[tuple[str, str], int] = {}
    for i, r in enumerate(rows):
        first_t1.setdefault(r.tier1, i)
        first_t2.setdefault((r.tier1, r.tier2), i)

    def key(ir: tuple[int, Indicator]):
        i, r = ir
        return (t1_order.get(r.tier1, len(t1_order) + first_t1[r.tier1]), first_t2[(r.tier1, r.tier2)], i)

    return [r for _, r in sorted(enumerate(rows), key=key)]


def indicator_tables(draft: Draft) -> list[IndicatorTable]:
    tables: list[IndicatorTable] = []
    ordered = tier_ordered(draft, draft.indicators)
    long_rows = [r for r in ordered if r.scope is Scope.LONG_TERM]
    annual = [r for r in ordered if r.scope is Scope.ANNUAL]
    if long_rows:
        label = "长期目标绩效指标" if draft.kind is Kind.DEPARTMENT else "实施期绩效指标"
        tables.append(IndicatorTable(label, None, Scope.LONG_TERM, long_rows))
    if draft.kind is Kind.DEPARTMENT and draft.goals:
        used: set[str] = set()
        for i, g in enumerate(draft.goals, 1):
            rows = [r for r in annual if r.goal == i]
            used.update(r.id for r in rows)
            tables.append(IndicatorTable(f"年度目标{i}：{g.text}", i, Scope.ANNUAL, rows))
        rest = [r for r in annual if r.id not in used]
        if rest:
            tables.append(IndicatorTable("未归入年度目标的指标", None, Scope.ANNUAL, rest))
    elif annual or not tables:
        tables.append(IndicatorTable("年度绩效指标", None, Scope.ANNUAL, annual))
    return tables


def spans(rows: list[Indicator], key) -> list[tuple[int, int]]:
    """Runs of equal consecutive keys as (first, last) indices: the merged-cell plan for one column."""
    out: list[tuple[int, int]] = []
    start = 0
    for i in range(1, len(rows) + 1):
        if i == len(rows) or key(rows[i]) != key(rows[start]):
            out.append((start, i - 1))
            start = i
    return out


def tier_spans(rows: list[Indicator]) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Merge plan for 一级 and 二级 columns. 二级 runs never cross a 一级 boundary."""
    t1 = spans(rows, lambda r: r.tier1)
    t2 = spans(rows, lambda r: (r.tier1, r.tier2))
    return t1, t2


def origin_note(row: Indicator) -> str:
    parts = []
    if row.origin in (Origin.SUGGESTED, Origin.EXTRACTED):
        parts.append(ORIGIN_LABELS[row.origin])
    if row.note:
        parts.append(row.note)
    return "；".join(parts)


def parse_origin_note(text: str) -> tuple[Origin | None, str | None]:
    text = (text or "").strip()
    for origin, label in ORIGIN_LABELS.items():
        if text.startswith(label):
            rest = text[len(label):].lstrip("；; ")
            return origin, rest or None
    return None, text or None


def form_title(draft: Draft) -> str:
    year = f"{draft.header.year}年度" if draft.header.year else ""
    if draft.kind is Kind.DEPARTMENT:
        return f"{year}部门整体支出绩效目标申报表"
    return f"{year}项目支出绩效目标申报表"
