"""Change from last year's value (rows rolled forward keep it in Indicator.previous)."""

from __future__ import annotations

from .values import ValueKind, format_value, parse


def change_label(previous: str | None, value: str) -> str:
    """上年 → 本年 with an arrow: ↑ higher, ↓ lower, = the same, 新增 when there was no row last year."""
    if previous is None:
        return "新增"
    a, b = _wan(parse(previous)), _wan(parse(value))
    if a.kind is ValueKind.QUANTITY and b.kind is ValueKind.QUANTITY and a.magnitude is not None \
            and b.magnitude is not None and a.unit == b.unit:
        if b.magnitude > a.magnitude:
            return "↑"
        if b.magnitude < a.magnitude:
            return "↓"
        return "="
    return "=" if format_value(a, previous) == format_value(b, value) else "改"


def _wan(pv):
    """250万 written without 元 compares with 250万元."""
    if pv.kind is ValueKind.QUANTITY and pv.unit is None and pv.mult == 10_000:
        return pv.model_copy(update={"unit": "万元", "mult": 1})
    return pv
