"""Which numbers a text states, and whether two values state the same one.

Used to ground drafts (a number not in the user's text is a suggestion, never their fact) and to score them.
"""

from __future__ import annotations

import re

from .values import ParsedValue, ValueKind, arabize, normalize_text, parse

_NUM = re.compile(r"\d+(?:\.\d+)?")


def text_numbers(text: str) -> set[float]:
    """Numbers a text states: digits (thousands separators and full width removed) and Chinese numerals;
    万/亿 and 元↔万元 conversions are added, so 1.2亿 also counts as 12000 (万) and 3,309,840元 as 330.984."""
    t = normalize_text(arabize(text or "")).replace(",", "")
    out: set[float] = set()
    for m in re.finditer(r"(\d+(?:\.\d+)?)\s*(万|亿)?\s*(元)?", t):
        n = float(m.group(1))
        out.add(n)
        if m.group(2) == "万":
            out.add(n * 1e4)
        if m.group(2) == "亿":
            out.update({n * 1e8, n * 1e4})
        if m.group(3) == "元" and not m.group(2):
            out.add(round(n / 1e4, 6))
    for m in re.finditer(r"(?<!\d)((?:19|20)\d{2})\s*[./-]\s*(\d{1,2})(?!\d)", t):  # 2023.07: a year and a month
        out.update({float(m.group(1)), float(m.group(2))})
    if re.search(r"百分之百|全部|全覆盖|足额|100%", t):
        out.add(100.0)
    if re.search(r"不发生|杜绝|为零|零事故|无\S{0,8}(事件|事故)", t):
        out.add(0.0)
    if re.search(r"年内|年底|年末|全年|当年|年度内|下半年", t):
        out.update({12.0, 31.0})
    if "上半年" in t:
        out.update({6.0, 30.0})
    for m in re.finditer(r"第?\s*([1-4一二三四])\s*季度", t):
        q = "1234".find(m.group(1)) + 1 or "一二三四".find(m.group(1)) + 1
        out.add(float(q * 3))
    out |= {n / 1e4 for n in list(out) if n >= 1e4 and n % 100 == 0}  # 三万 read as 30000 is also 3万
    return out


def value_numbers(value: str) -> set[float]:
    pv = parse(value)
    if pv.kind is ValueKind.DEADLINE:
        return {float(x) for x in (pv.year, pv.month, pv.day) if x}
    if pv.kind is ValueKind.PERIOD:
        return {float(x) for x in (pv.year, pv.month, pv.day, pv.end_year, pv.end_month, pv.end_day) if x}
    return {float(n) for n in _NUM.findall(normalize_text(value).replace(",", ""))}


def _signature(pv: ParsedValue) -> tuple | None:
    if pv.kind is ValueKind.QUANTITY and pv.magnitude is not None:
        wan = pv.money_wan()
        return ("money", round(wan, 4)) if wan is not None else ("q", round(pv.magnitude, 4))
    if pv.kind is ValueKind.DEADLINE:
        return ("d", pv.month, pv.day)
    if pv.kind is ValueKind.PERIOD:
        return ("p", pv.year, pv.month, pv.end_year, pv.end_month)
    return None


def same_number(filed: str, drafted: str, timeliness: bool = False) -> bool:
    a, b = _signature(parse(filed, timeliness=timeliness)), _signature(parse(drafted, timeliness=timeliness))
    if a is None or b is None:
        return False
    if a == b:
        return True
    # 6次 vs 6批次, 220 vs 220门: compare magnitudes when one side has no unit
    return a[0] in ("q", "money") and b[0] in ("q", "money") and a[1] == b[1]
