"""Start from last year's form: move the year on, mark every carried value, update it from this year's text.

- the year moves on in the header, the 实施期, goal texts and deadlines (2023年12月底前 → 2024年12月底前);
- every carried row keeps last year's value in `previous` and is marked 沿用上年，待确认 (a suggestion) until the
  user confirms or changes it;
- a target stated in this year's text replaces last year's row of the same concept (same 二级 and a similar
  name, not the same position); new targets are added; rows the text no longer mentions are kept and listed;
- funding comes from this year's text when it states any.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..core.change import change_label  # noqa: F401  (re-exported for callers of roll_forward)
from ..core.library import dice
from ..core.model import Draft, FormType, Indicator, Kind, Origin
from ..core.profiles import guess_profile, resolve
from ..core.values import ValueKind, parse

CARRIED = "沿用上年，待确认"
NOT_MENTIONED = "本年文字未提及，请决定保留或删除"


@dataclass
class RollOutcome:
    draft: Draft
    replaced: list[str] = field(default_factory=list)  # names updated from this year's text
    added: list[str] = field(default_factory=list)
    carried: list[str] = field(default_factory=list)  # kept from last year, to confirm
    unmentioned: list[str] = field(default_factory=list)  # carried, and this year's text doesn't mention them

    def summary(self) -> str:
        parts = [f"从上年表格开始：{len(self.draft.indicators)} 行指标"]
        if self.replaced:
            parts.append(f"按本年文字更新 {len(self.replaced)} 行")
        if self.added:
            parts.append(f"新增 {len(self.added)} 行")
        if self.carried:
            parts.append(f"沿用上年 {len(self.carried)} 行（标“{CARRIED}”）")
        if self.unmentioned:
            parts.append(f"其中 {len(self.unmentioned)} 行本年文字未提及：{'、'.join(self.unmentioned[:8])}")
        return "；".join(parts) + "。"


def shift_years(text: str | None, old: int, new: int) -> str | None:
    """Every year from `old` on moves by new − old (2023年 → 2024年, 2023.07-2024.06 → 2024.07-2025.06)."""
    if not text:
        return text
    delta = new - old

    def move(m: re.Match[str]) -> str:
        y = int(m.group(0))
        return str(y + delta) if old <= y <= old + 10 else m.group(0)

    return re.sub(r"(?<!\d)(?:19|20)\d\d(?!\d)", move, text)


def _moved_value(row: Indicator, old: int, new: int) -> str:
    timely = any(w in row.tier2 for w in ("时效", "实效", "进度"))
    pv = parse(row.value, timeliness=timely)
    if pv.kind in (ValueKind.DEADLINE, ValueKind.PERIOD) and pv.year:
        return shift_years(row.value, old, new) or row.value
    return row.value


def roll_forward(last: Draft, text: str | None = None, year: int | None = None, engine=None) -> RollOutcome:
    """This year's draft from last year's form (and, optionally, this year's text)."""
    old_year = last.header.year
    new_year = year or (old_year + 1 if old_year else None)
    d = last.copy_deep()
    out = RollOutcome(d)
    if old_year and new_year:
        h = d.header
        h.year = new_year
        h.title = shift_years(h.title, old_year, new_year)
        h.period = shift_years(h.period, old_year, new_year)
        h.project_name = shift_years(h.project_name, old_year, new_year)
        h.date = None  # a new form gets a new filing date
        for g in d.goals:
            g.text = shift_years(g.text, old_year, new_year) or g.text
        d.long_term_goal = shift_years(d.long_term_goal, old_year, new_year)
    d.last_year_rows = [r.name for r in last.indicators]
    evaluation = d.form is FormType.SELF_EVAL
    if evaluation:  # last year's 自评表: this year's form is a 申报表; last year's actuals stay beside the targets
        d.form = FormType.TARGET
        d.execution, d.total_score, d.actual_summary = None, None, None
    for r in d.indicators:
        r.previous = r.value
        r.previous_actual = r.actual if evaluation else None
        r.actual = r.score = r.deviation = None
        if evaluation:
            r.weight = None
        if old_year and new_year:
            r.value = _moved_value(r, old_year, new_year)
        r.origin = Origin.SUGGESTED
        r.note = CARRIED
        r.change_reason = None
    d.source_text = text or None
    if text and text.strip():
        _update_from_text(d, text, out, engine, new_year)
    out.carried = [r.name for r in d.indicators if r.note in (CARRIED, NOT_MENTIONED)]
    return out


def _concept(draft: Draft, r: Indicator) -> str | None:
    return resolve(guess_profile(draft)[0], r.tier1, r.tier2).tier2_concept


def _update_from_text(d: Draft, text: str, out: RollOutcome, engine, year: int | None) -> None:
    from .offline import OfflineEngine

    eng = engine or OfflineEngine()
    new = eng.draft(text, profile=d.profile, kind=d.kind).draft
    stated = [r for r in new.indicators if r.origin is Origin.EXTRACTED]
    used: set[str] = set()
    per_concept: dict[str | None, int] = {}
    for s in stated:
        per_concept[_concept(new, s)] = per_concept.get(_concept(new, s), 0) + 1
    for s in stated:
        concept = _concept(new, s)
        best, score = None, 0.0
        candidates = [r for r in d.indicators if r.id not in used and _concept(d, r) == concept
                      and _family(s.value) == _family(r.previous or r.value)]
        for r in candidates:
            sim = dice(s.name, r.name)
            if s.name in r.name or r.name in s.name:
                sim += 0.3
            a, b = parse(s.value), parse(r.previous or r.value)
            if a.magnitude is not None and a.magnitude == b.magnitude:
                sim += 0.3  # the same figure as last year: most likely the same indicator
            if sim > score:
                best, score = r, sim
        # one row of this concept last year, one stated this year, measured alike: the same indicator renamed
        alone = len(candidates) == 1 and per_concept.get(concept) == 1
        if best is not None and (score >= 0.45 or alone):
            used.add(best.id)
            best.value = s.value
            best.origin = Origin.EXTRACTED
            best.evidence = s.evidence
            best.note = "按本年文字更新"
            out.replaced.append(best.name)
        else:
            row = s.model_copy(deep=True)
            row.previous = None
            row.note = "本年新增"
            row.goal = s.goal if d.kind is Kind.DEPARTMENT and d.goals else None
            d.indicators.append(row)
            out.added.append(row.name)
    for r in d.indicators:
        if r.note == CARRIED and r.id not in used:
            r.note = NOT_MENTIONED
            out.unmentioned.append(r.name)
    if not new.funding.is_empty():
        d.funding = new.funding
    if year and new.header.year and new.header.year != year:
        d.header.year = new.header.year


def _family(value: str | None) -> str:
    pv = parse(value or "")
    if pv.kind in (ValueKind.DEADLINE, ValueKind.PERIOD):
        return "time"
    unit = pv.unit or pv.placeholder_unit or ""
    if not unit and pv.mult == 10_000:
        unit = "万元"  # 250万 with no unit: the money it almost always is
    if unit.startswith(("元", "万元", "亿元")):
        return "money/" + ("per" if "/" in unit else "total")
    if unit in ("%", "‰", "‱"):
        return "percent"
    return "count" if pv.kind is ValueKind.QUANTITY or pv.kind is ValueKind.PLACEHOLDER else "text"
