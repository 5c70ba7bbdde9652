"""Change from last year's value (rows rolled forward keep it in Indicator.previous)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .values import ValueKind, format_value, parse

if TYPE_CHECKING:
    from .model import Draft

NONE_LAST_YEAR = "（上年无）"
DROPPED = "（本年删除）"


def change_label(previous: str | None, value: str) -> str:
    """上年 → 本年 with an arrow: ↑ higher, ↓ lower, = the same, 新增 when there was no row last year."""
    if previous is None:
        return "新增"
    a, b = wan_money(parse(previous)), wan_money(parse(value))
    if a.kind is ValueKind.QUANTITY and b.kind is ValueKind.QUANTITY and a.magnitude is not None \
            and b.magnitude is not None and a.unit == b.unit:
        if b.magnitude > a.magnitude:
            return "↑"
        if b.magnitude < a.magnitude:
            return "↓"
        return "="
    return "=" if format_value(a, previous) == format_value(b, value) else "改"


def wan_money(pv):
    """250万 written without 元 compares with 250万元."""
    if pv.kind is ValueKind.QUANTITY and pv.unit is None and pv.mult == 10_000:
        return pv.model_copy(update={"unit": "万元", "mult": 1})
    return pv


def change_rows(draft: Draft) -> list[list[str]]:
    """指标值变动情况 rows: 二级, name, last year's value, this year's, change, 变动原因; dropped rows last."""
    rows = [[r.tier2, r.name, r.previous if r.previous is not None else NONE_LAST_YEAR, r.value,
             change_label(r.previous, r.value), r.change_reason or ""] for r in draft.indicators]
    rows += [[x.tier2, x.name, x.value, DROPPED, "删除", ""] for x in draft.dropped_since_last_year()]
    return rows


def changed(previous: str | None, value: str) -> bool:
    """Anything but the same value as last year (new rows included)."""
    return change_label(previous, value) != "="
