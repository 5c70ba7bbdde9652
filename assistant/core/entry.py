"""A value as a person writes it into a row (command, cell edit, fix), put in the form's grammar and checked
against the row before it is stored.

不低于250人 → ≥250人; 95%以上 → ≥95%; 100% → =100%; a bare 95 on a “≥90%” row → ≥95%.
Refused, with a Chinese reason: a total into a per-unit row (960万元 into 元/平方米), a unit the name rules
out (人 into …率), a count into a money row.
"""

from __future__ import annotations

import re

from .model import Indicator
from .values import ParsedValue, ValueKind, format_value, parse

_PER = ("人均", "单价", "单位成本", "每", "标准", "户均", "亩均", "次均", "平均")
_MONEY = ("元", "万元", "亿元")


class EntryError(ValueError):
    """A value that doesn't fit its row; the message is Chinese and says why."""


def _is_money(pv: ParsedValue) -> bool:
    return bool(pv.unit) and pv.unit in _MONEY


def _per_unit(pv: ParsedValue) -> bool:
    return bool(pv.unit) and "/" in pv.unit and pv.unit.split("/")[0] in _MONEY


def default_op(row: Indicator, pv: ParsedValue) -> str:
    concept = (row.tier2 or "") + (row.tier1 or "")
    if "成本" in concept:
        return "=" if any(w in row.name for w in ("标准",)) else "≤"
    from .validator import has_word  # the validator's word lists (imported late: validator imports patch)

    if has_word("negative_words", row.name or "") and not has_word("negative_exceptions", row.name or ""):
        return "=" if pv.number == 0 else "≤"
    if pv.unit == "%" and pv.number == 100:
        return "="
    return "≥"


def default_standard(row: Indicator) -> str:
    return "预算支出标准" if "成本" in (row.tier2 or "") + (row.tier1 or "") else "计划标准"


def normalize(row: Indicator, value: str, year: int | None = None) -> str:
    """The value in the form's grammar for this row; raises EntryError when it can't belong to the row.
    year: the form's year, for a deadline written without one (10月底前 → 2025年10月底前)."""
    raw = (value or "").strip()
    if not raw:
        return raw
    timely = any(w in (row.tier2 or "") for w in ("时效", "实效", "进度"))
    pv = parse(raw, timeliness=timely)
    if pv.kind is ValueKind.DEADLINE:
        if pv.year is None and year:
            pv = pv.model_copy(update={"year": year})
        return format_value(pv, raw)
    if pv.kind is not ValueKind.QUANTITY:
        return format_value(pv, raw) if pv.kind is ValueKind.PERIOD else raw
    old = parse(row.value, timeliness=timely) if row.value else ParsedValue(kind=ValueKind.EMPTY)
    if old.kind is ValueKind.PLACEHOLDER:  # ≥（待填）% filled with 70 → ≥70%
        old = ParsedValue(kind=ValueKind.QUANTITY, op=old.op, unit=old.placeholder_unit)
    if pv.unit is None and pv.mult == 10_000 and old.kind is ValueKind.QUANTITY and old.unit == "万元":
        pv = pv.model_copy(update={"unit": "万元", "mult": 1})  # 最多110万 on a 万元 row
    if pv.op_word == "达到" and pv.unit == "%" and pv.number == 100:
        pv = pv.model_copy(update={"op": "="})  # 达到100%: the whole task
    # a bare number takes the row's unit (满意度改成95 on a ≥90% row → ≥95%)
    if pv.unit is None and old.kind is ValueKind.QUANTITY and old.unit and pv.mult == 1:
        pv = pv.model_copy(update={"unit": old.unit})
    _check(row, pv, old, raw)
    if pv.op is None:
        op = old.op if old.kind is ValueKind.QUANTITY and old.op else default_op(row, pv)
        pv = pv.model_copy(update={"op": op})
    return format_value(pv, raw)


def _check(row: Indicator, pv: ParsedValue, old: ParsedValue, raw: str) -> None:
    name = row.name or ""
    per_row = _per_unit(old) or (any(w in name for w in _PER) and "成本" in (row.tier2 or "") + name)
    if per_row and _is_money(pv):
        unit = old.unit if _per_unit(old) else "元/单位"
        raise EntryError(f"「{name}」是单位成本（{unit}），不能填总额“{raw}”。总额请写在总成本行，"
                         f"这一行写每单位的金额，如“≤{old.number if old.number is not None else 'N'}{unit}”。")
    if pv.unit is None:
        return
    rate_name = bool(re.search(r"(率|满意度|比例|占比|比重)$", name))
    if rate_name and pv.unit not in ("%", "‰", "‱", "个百分点"):
        raise EntryError(f"「{name}」是比率，指标值应为百分比，如“≥95%”，不能是“{raw}”。")
    growth = re.search(r"(增长率|增幅|增速|提高率|提升率|超额完成率)$", name)
    if rate_name and not growth and pv.unit == "%" and (pv.magnitude or 0) > 100:
        raise EntryError(f"「{name}」不会超过100%，不能写“{raw}”。")
    money_name = bool(re.search(r"(金额|经费|资金|成本|费用|补助|补贴|投资)$", name))
    if money_name and not (_is_money(pv) or _per_unit(pv)) and pv.unit != "%":
        raise EntryError(f"「{name}」是金额，指标值应带“元”或“万元”，不能是“{raw}”。")

