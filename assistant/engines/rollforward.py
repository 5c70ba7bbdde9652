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

from ..core.change import wan_money
from ..core.library import dice
from ..core.model import Draft, FormType, Indicator, Kind, LastYearRow, Origin
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
    funding_carried: bool = False  # no budget in this year's text: last year's funding kept, to replace
    goal_figures: list[str] = field(default_factory=list)  # 120场→150场: goal texts updated with the rows

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
        if self.goal_figures:
            parts.append(f"年度目标中的数字已随指标更新：{'、'.join(self.goal_figures[:6])}")
        if self.funding_carried:
            parts.append("资金情况仍是上年的数，请按本年预算修改")
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
    d.last_year_rows = [LastYearRow(id=r.id, tier2=r.tier2, name=r.name, value=r.value) for r in last.indicators]
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
    else:
        out.funding_carried = not d.funding.is_empty()
    out.carried = [r.name for r in d.indicators if r.note in (CARRIED, NOT_MENTIONED)]
    return out


def _concepts(*drafts: Draft) -> dict[str, str | None]:
    """The 二级 concept of every row, by row id, each draft read with its own profile."""
    out: dict[str, str | None] = {}
    for draft in drafts:
        prof = guess_profile(draft)[0]
        out.update({r.id: resolve(prof, r.tier1, r.tier2).tier2_concept for r in draft.indicators})
    return out


FROM_FUNDING = ("取自项目资金", "取自项目支出预算")  # rows the drafter derives from the budget, not stated targets
MATCH = 0.6  # a stated target replaces last year's row when their match scores this much


def _update_from_text(d: Draft, text: str, out: RollOutcome, engine, year: int | None) -> None:
    from .offline import OfflineEngine

    eng = engine or OfflineEngine()
    new = eng.draft(text, profile=d.profile, kind=d.kind).draft
    stated = [r for r in new.indicators if r.origin is Origin.EXTRACTED]
    for r in stated:
        r.value = _with_year(r.value, year)
    carried = list(d.indicators)
    concept = _concepts(new, d)
    # every stated target against every row of last year's; the best pairs are matched first
    pairs = sorted(((_match(s, r, concept), i, j) for i, s in enumerate(stated) for j, r in enumerate(carried)),
                   key=lambda x: -x[0])
    taken: dict[int, int] = {}
    used: set[int] = set()
    for score, i, j in pairs:
        if score < MATCH:
            break
        if i not in taken and j not in used:
            taken[i] = j
            used.add(j)
    for i, j in _alone(stated, carried, concept, taken, used):
        taken[i] = j
        used.add(j)
    for i, s in enumerate(stated):
        if i in taken:
            best = carried[taken[i]]
            before = best.previous or best.value
            best.value = _by_change(s, before) or _keep_op(s, _keep_unit(s.value, before), before)
            best.origin = Origin.EXTRACTED
            best.evidence = s.evidence
            best.note = "按本年文字更新"
            out.replaced.append(best.name)
        elif (s.note or "").startswith(FROM_FUNDING):
            continue  # this year's budget is in the funding block; last year's table had no such row
        elif any(_restated(s, stated[k]) or _same_sentence(s, stated[k]) for k in taken):
            continue  # the same target said twice (经费96万元 … 经费支出控制在96万元以内)
        else:
            row = s.model_copy(deep=True)
            row.previous = None
            row.note = "本年新增"
            row.goal = _goal_of(text, s, d) if d.kind is Kind.DEPARTMENT and d.goals else None
            d.indicators.append(row)
            out.added.append(row.name)
    for r in d.indicators:
        if r.note == CARRIED and r.origin is not Origin.EXTRACTED:
            r.note = NOT_MENTIONED
            out.unmentioned.append(r.name)
    _goal_figures(d, out)
    if not new.funding.is_empty():
        d.funding = new.funding
    else:
        out.funding_carried = not d.funding.is_empty()
    if year and new.header.year and new.header.year != year:
        d.header.year = new.header.year


def _goal_figures(d: Draft, out: RollOutcome) -> None:
    """A goal that quotes last year's figure of a row updated from the text quotes this year's (120场 → 150场)."""
    for r in d.indicators:
        if r.origin is not Origin.EXTRACTED or r.previous is None:
            continue
        a, b = parse(r.previous), parse(r.value)
        if a.kind is not ValueKind.QUANTITY or b.kind is not ValueKind.QUANTITY or a.number_text is None \
                or b.number_text is None or (a.unit or "") != (b.unit or "") or a.magnitude == b.magnitude:
            continue
        mult = _MULT_WORD.get(a.mult, "")
        old = re.compile(rf"(?<![\d.]){re.escape(a.number_text)}\s*{mult}\s*{re.escape(a.unit or '')}(?![\d])")
        new = f"{b.number_text}{_MULT_WORD.get(b.mult, '')}{b.unit or ''}"
        for g in d.goals:
            if len(old.findall(g.text)) == 1:
                g.text = old.sub(new, g.text)
                out.goal_figures.append(f"{a.number_text}{mult}{a.unit or ''}→{new}")


_MULT_WORD = {10_000: "万", 100_000_000: "亿"}
_MEASURE = re.compile(r"(人数|人次|户数|次数|数量|面积|里程|长度|场次|期数|个数|率|数|量)$")


def _core(name: str) -> str:
    name = re.sub(r"（\d+）$", "", name)  # 次数（2）: the drafter's mark for a second row of the same name
    name = re.sub(r"(目标|指标|任务)(?=(人数|人次|户数|次数|数量|率|数|量)?$)", "", name)  # 日均客运量目标
    return _MEASURE.sub("", name) or name


def _coverage(name: str, text: str) -> float:
    """The share of a name's character pairs found in a sentence (送教下乡活动次数 in 送教下乡活动由12次调整为10次)."""
    core = _core(name)
    grams = {core[k:k + 2] for k in range(len(core) - 1)}
    return sum(g in text for g in grams) / len(grams) if grams else 0.0


def _acronyms(name: str) -> set[str]:
    return {a.upper() for a in re.findall(r"[A-Za-z][A-Za-z0-9.]+", name)}


def _figure_in(value: str, text: str) -> bool:
    """Last year's figure written in this year's sentence (由上年的12次调整为10次, 上年3个)."""
    number = re.search(r"\d[\d.]*", value)
    if parse(value).magnitude is None or not number:
        return False
    return re.search(rf"(?<![\d.]){re.escape(number.group(0))}(?![\d.])", text) is not None


def _match(s: Indicator, r: Indicator, concept: dict[str, str | None]) -> float:
    """How surely a target stated this year is last year's row `r`: names, last year's figure in the sentence,
    the same figure, the same 二级 concept and unit. 0 when they measure different things (a rate vs a count)."""
    before = r.previous or r.value
    if _family(s.value, s.name) != _family(before, r.name):
        return 0.0
    evidence = s.evidence or ""
    name = max(dice(_core(s.name), _core(r.name)), 0.8 * _coverage(r.name, evidence))
    if _core(r.name) in s.name or _core(s.name) in r.name or _acronyms(s.name) & _acronyms(r.name):
        name = max(name, 0.6)  # 日均客运量 in 城乡公交日均客运量; COD削减量 and 化学需氧量（COD）年削减量
    score = name
    a, b = wan_money(parse(s.value)), wan_money(parse(before))
    said_last = a.magnitude != b.magnitude and _figure_in(before, evidence) and name >= 0.3
    # the same count or sum under the same 二级 (not a rate: 90% and 95% recur everywhere)
    same_concept = concept[s.id] == concept[r.id]
    same_figure = a.magnitude is not None and a.magnitude == b.magnitude and same_concept \
        and _family(s.value) != "percent"
    if name < 0.4 and not said_last and not same_figure:
        return 0.0  # names too far apart, and nothing else ties them
    if a.magnitude is not None and a.magnitude == b.magnitude:
        score += 0.3  # the same figure as last year: most likely the same indicator
    elif said_last:
        score += 0.4  # 由上年的12次调整为10次
    if same_concept:
        score += 0.15  # (forms file the same measure under different 二级, so another 二级 only loses this)
    if (a.unit or "") == (b.unit or ""):
        score += 0.1
    return score


def _alone(stated: list[Indicator], carried: list[Indicator], concept: dict[str, str | None], taken: dict[int, int],
           used: set[int]):
    """The only row of a 二级 concept last year and the only target of it this year, measured alike and both still
    unmatched: the same indicator renamed (受益学生人数 ↔ 今年学生大概26500人)."""
    counts: dict[str | None, list[int]] = {}
    for i, s in enumerate(stated):
        if not (s.note or "").startswith(FROM_FUNDING):
            counts.setdefault(concept[s.id], []).append(i)
    for tier2, items in counts.items():
        rows = [j for j, r in enumerate(carried) if concept[r.id] == tier2]
        if len(items) != 1 or len(rows) != 1 or items[0] in taken or rows[0] in used:
            continue
        s, r = stated[items[0]], carried[rows[0]]
        a, b = wan_money(parse(s.value)), wan_money(parse(r.previous or r.value))
        alike = (a.unit or "") == (b.unit or "") or a.magnitude is not None and a.magnitude == b.magnitude
        if _family(s.value) == _family(r.previous or r.value) != "time" and alike:
            yield items[0], rows[0]


_CHANGE = re.compile(r"(?:比|较)(?:上年|去年|上年度)[^,，。;；\d]{0,4}?(?P<dir>增加|增长|提高|多|减少|降低|下降|少|压减)了?\s*"
                     r"(?P<num>\d+(?:\.\d+)?)\s*(?P<mult>万|亿)?")


def _by_change(s: Indicator, before: str) -> str | None:
    """This year's value from a change against last year (比上年减少4场 on a ≥24场 row → ≥20场), when the text
    gives only the change."""
    pv, old = parse(s.value), parse(before)
    m = _CHANGE.search(s.evidence or "")
    scale = {w: k for k, w in _MULT_WORD.items()}.get(m.group("mult") or "", 1) if m else 1
    if not m or pv.magnitude is None or old.magnitude is None or old.kind is not ValueKind.QUANTITY \
            or abs(float(m.group("num")) * scale - pv.magnitude) > 1e-9 or (pv.unit or "") != (old.unit or ""):
        return None
    if re.search(rf"(达到|达|增至|减至|降至|为)\s*[\d.]+\s*{re.escape(pv.unit or '')}", (s.evidence or "")[m.end():]):
        return None  # 比上年增加500人次，达到7000人次: this year's figure is written too
    sign = -1 if m.group("dir") in ("减少", "降低", "下降", "少", "压减") else 1
    new = old.magnitude + sign * pv.magnitude
    if new < 0:
        return None
    wan = old.mult == 10_000 and "万" in before
    number = f"{new / 10_000:g}万" if wan else f"{new:g}"
    return f"{old.op or ''}{number}{old.unit or ''}"


def _keep_op(s: Indicator, value: str, before: str) -> str:
    """A change verb is not the kind of target (人均标准由500元提高到600元 in a ≤ row stays ≤600元)."""
    pv, old = parse(value), parse(before)
    ev = s.evidence or ""
    if pv.kind is not ValueKind.QUANTITY or not old.op or not pv.op or old.op == pv.op or "=" in (old.op, pv.op):
        return value
    number = re.search(r"\d", value)
    up = re.search(r"(提高|提升|增加|增长|上调|调增)(到|至|为|成)", ev)
    down = re.search(r"(降低|下降|减少|压减|压缩|缩短|下调|调减)(到|至|为|成)", ev)
    if number and (pv.op in ("≥", ">") and up or pv.op in ("≤", "<") and down):
        return old.op + value[number.start():]
    return value


def _with_year(value: str, year: int | None) -> str:
    """A deadline written without its year (9月底前装完) is this year's."""
    if not year:
        return value
    pv = parse(value, timeliness=True)
    if pv.kind is ValueKind.DEADLINE and pv.year is None and re.match(r"\d{1,2}月", value):
        return f"{year}年{value}"
    return value


_GOAL_HEAD = re.compile(r"(?:年度)?目标\s*(?P<n>[一二三四五六七八九十]|\d{1,2})\s*[:：、.．]")
_CN = "一二三四五六七八九十"


def _goal_of(text: str, s: Indicator, d: Draft) -> int | None:
    """The 年度目标 a new row belongs to: the one the drafter found, else the 目标N heading above its sentence in
    this year's text, else the goal whose words its sentence shares most."""
    if s.goal and s.goal <= len(d.goals):
        return s.goal
    at = text.find((s.evidence or "")[:12]) if s.evidence else -1
    heads = [m for m in _GOAL_HEAD.finditer(text) if at < 0 or m.start() < at]
    if at >= 0 and heads:
        n = heads[-1].group("n")
        k = _CN.index(n) + 1 if n in _CN else int(n)
        if 1 <= k <= len(d.goals):
            return k
    grams = {(s.evidence or s.name)[i:i + 2] for i in range(len(s.evidence or s.name) - 1)}
    overlap = [len(grams & {g.text[i:i + 2] for i in range(len(g.text) - 1)}) for g in d.goals]
    return overlap.index(max(overlap)) + 1 if max(overlap, default=0) > 0 else None


def _same_sentence(s: Indicator, row: Indicator) -> bool:
    """`s` is the same indicator as a target from the same sentence already matched (每月5次 beside 全年不少于60次)."""
    return bool(s.evidence) and s.evidence == row.evidence and dice(_core(s.name), _core(row.name)) >= 0.8


def _restated(s: Indicator, row: Indicator) -> bool:
    """`s` says again what a target already matched to last year's row says: the same value, a similar name."""
    pv = parse(s.value)
    return pv.magnitude is not None and wan_money(pv) == wan_money(parse(row.value)) \
        and dice(_core(s.name), _core(row.name)) >= 0.4


def _keep_unit(value: str, before: str) -> str:
    """This year's figure in last year's unit when the text only said less (900元 in a 元/人次 row)."""
    a, b = parse(value), parse(before)
    if a.kind is ValueKind.QUANTITY and b.kind is ValueKind.QUANTITY and a.magnitude == 0 == b.magnitude \
            and a.op == b.op:
        return before  # 零发生 in a row counted in 次: the same zero
    if a.kind is not ValueKind.QUANTITY or b.kind is not ValueKind.QUANTITY or not a.unit or not b.unit \
            or a.unit == b.unit or a.mult != 1 or b.mult != 1:
        return value
    if a.unit.startswith(b.unit + "/") and b.unit in ("元", "万元") and value.endswith(a.unit):
        return value[: -len(a.unit)] + b.unit  # 次均住院费用 ≤3100元/次 in a form that wrote ≤3200元
    if a.unit == "个" and _family(before) == "count" and len(b.unit) <= 2 and "/" not in b.unit \
            and value.endswith(a.unit):
        return value[:-1] + b.unit  # 34个食品大类 in a row counted in 类: 个 is the generic measure word
    head_a, _, per_a = a.unit.partition("/")
    head_b, _, per_b = b.unit.partition("/")
    if head_a == head_b and per_b.startswith(per_a) and len(per_b) > len(per_a) and value.endswith(a.unit):
        return value[: -len(a.unit)] + b.unit
    return value


def _family(value: str | None, name: str = "") -> str:
    """What a value measures: time, money per unit or in total, a percentage, a count, text. A sum in a row named
    人均/户均… is per unit however the form wrote its unit (带动脱贫人口人均增收 ≥800元)."""
    pv = parse(value or "")
    if pv.kind in (ValueKind.DEADLINE, ValueKind.PERIOD):
        return "time"
    unit = pv.unit or pv.placeholder_unit or ""
    if not unit and pv.mult == 10_000:
        unit = "万元"  # 250万 with no unit: the money it almost always is
    if unit.startswith(("元", "万元", "亿元")):
        per = "/" in unit or re.search(r"人均|户均|亩均|生均|次均|单位|每", name)
        return "money/" + ("per" if per else "total")
    if unit in ("%", "‰", "‱"):
        return "percent"
    return "count" if pv.kind is ValueKind.QUANTITY or pv.kind is ValueKind.PLACEHOLDER else "text"
