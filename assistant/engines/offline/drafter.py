"""The offline drafting engine: prose → Draft in a profile's tier format, with nothing invented.

Stated targets become rows with origin=extracted and the sentence they came from; funding becomes
cost rows; tiers the profile expects but the text doesn't cover get library rows with
origin=suggested and a placeholder (or a conventional value such as ≥90% satisfaction).
"""

from __future__ import annotations

import re
from functools import lru_cache

from typing import Sequence

from ...core.patch import PatchError, apply_ops
from ..base import DraftOutcome, EngineError, ReviewOutcome, ReviseOutcome
from .commands import HELP, CommandError, parse_command, unknown_reply
from ...core.library import Entry, Library, dice, load_library
from ...core.model import Draft, Goal, Header, Indicator, Kind, Origin, Project, Scope
from ...core.profiles import DEFAULT_BY_KIND, Profile, get_profile
from ...core.validator import fix_all, validate
from ...core.values import format_amount, parse
from ...core.model import FundingLine
from .extract import MAX_CHARS, extract_funding, normalize, split_items, split_sections
from .prose.reader import Reading, Target, describe, read

# 二级 a complete draft covers, in this order; ecological / economic only when the text is about them
DRAFT_TIERS = ("quantity", "quality", "timeliness", "cost", "social", "sustainable", "satisfaction")
_ORG = re.compile(r"([\u4e00-\u9fff()（）]{2,30}?(?:局|委员会|委|中心|医院|卫生院|学校|党校|政府|办事处|管理处|事业管理局|站|所|队|馆|院|团|社|"
                  r"办公室|协会|馆|公司))")


class OfflineEngine:
    name = "offline"
    label = "离线规则引擎"

    def __init__(self, library: Library | None = None):
        self.library = library or load_library()

    # --- revise / review --------------------------------------------------------------------------
    def revise(self, draft: Draft, instruction: str, history: Sequence[dict] = ()) -> ReviseOutcome:
        prof = _profile_of(draft)
        try:
            parsed = parse_command(instruction, draft, prof, self.library)
        except CommandError as e:
            return ReviseOutcome(draft, validate(draft, prof), f"未修改：{e}", understood=True)
        if parsed is None:
            return ReviseOutcome(draft, validate(draft, prof), unknown_reply(instruction) + "表格未修改。",
                                 understood=False)
        if parsed.help:
            return ReviseOutcome(draft, validate(draft, prof), HELP)
        if parsed.undo:
            return ReviseOutcome(draft, validate(draft, prof), "已撤销上一步修改。", undo=True)
        try:
            new, changes = apply_ops(draft, parsed.ops)
        except PatchError as e:
            return ReviseOutcome(draft, validate(draft, prof), f"未修改：{e}")
        report = validate(new, prof)
        reply = "已修改：\n" + "\n".join(f"- {c}" for c in changes)
        if parsed.reply_hint:
            reply += "\n" + parsed.reply_hint
        s = report.summary()
        reply += f"\n检查结果：错误 {s['errors']} 项，提示 {s['warnings']} 项。"
        return ReviseOutcome(new, report, reply, changes)

    def review(self, draft: Draft) -> ReviewOutcome:
        prof = _profile_of(draft)
        report = validate(draft, prof)
        s = report.summary()
        summary = (f"按“{prof.title}”检查：错误 {s['errors']} 项，提示 {s['warnings']} 项，"
                   f"其中 {s['fixable']} 项可一键修正。离线模式只做规则检查；配置大模型后还会给出改写建议。")
        return ReviewOutcome(draft, report, list(report.findings), summary)

    # --- draft ----------------------------------------------------------------------------------
    def draft(self, text: str, profile: str | None = None, kind: Kind | None = None) -> DraftOutcome:
        notes: list[str] = []
        raw = text or ""
        if not raw.strip():
            raise EngineError("没有可用的文字：请粘贴单位职能、年度任务和绩效目标等内容。")
        if len(raw) > MAX_CHARS:
            notes.append(f"文字过长（{len(raw)}字），只处理了前{MAX_CHARS}字。")
            raw = raw[:MAX_CHARS]
        text_n = normalize(raw)
        if not re.search(r"[\u4e00-\u9fff]", text_n):
            raise EngineError("没有识别到中文内容。请粘贴中文的单位职能、工作任务和绩效目标。")
        sections = split_sections(text_n)
        kind = kind or _guess_kind(text_n, sections)
        prof = get_profile(profile) if profile else get_profile(DEFAULT_BY_KIND[kind])
        if prof.family != kind.value:
            kind = prof.kind()
        year = _year(text_n)
        header = _header(text_n, sections, kind, year)
        goals, long_goal = _goals(sections, kind)
        tasks = [t for s in sections if s.kind == "tasks" for t in split_items(s.text)]
        duties = "\n".join(s.text for s in sections if s.kind == "duties") or None
        fi = extract_funding(text_n, kind, sections)
        reading = read(raw, kind=kind.value, year=year)
        if kind is Kind.PROJECT:
            header.project_name = header.project_name or reading.project_name
            _budget_from_reading(fi.funding, reading)
        draft = Draft(kind=kind, profile=prof.id, header=header, funding=fi.funding, projects=fi.projects,
                      duties=duties, tasks=tasks, long_term_goal=long_goal,
                      goals=[Goal(text=g) for g in goals], source_text=raw)
        if kind is Kind.PROJECT and not draft.projects and header.project_name and fi.funding.total is not None:
            draft.projects = []  # project forms keep the budget in funding.total
        targets = _dedupe(reading.targets)
        sector = self._sector(text_n)
        rows = self._target_rows(targets, prof, draft)
        rows += self._cost_rows(draft, prof, fi, rows)
        rows += self._qualitative_rows(draft, prof, sector, rows)
        rows += self._suggested_rows(draft, prof, sector, rows)
        draft.indicators = _order(rows, prof)
        draft, _ = fix_all(draft, prof, codes={"R01A", "R11", "R13"})
        report = validate(draft, prof)
        if not targets:
            notes.append("原文中没有找到带数值的目标，指标值需要您填写。")
        if sector:
            notes.append(f"按“{sector}”领域从指标库补充了建议指标。")
        unused = unused_figures(draft, reading)
        if describe(unused):
            notes.append("原文中没有写进表的数字：" + describe(unused) + _add_hint(draft, unused))
        return DraftOutcome(draft, report, self.label, notes, unused=unused)

    # --- rows ---------------------------------------------------------------------------------
    def _target_rows(self, targets: list[Target], prof: Profile, draft: Draft) -> list[Indicator]:
        rows = []
        for t in targets:
            t.concept = _refine(t, prof)
            loc = prof.tier2_location(t.concept) or prof.tier2_location("quantity")
            assert loc is not None
            goal = self._goal_for(draft, t.item, t.evidence)
            rows.append(Indicator(goal=goal, tier1=loc[0], tier2=loc[1], name=t.name, value=t.value,
                                  standard=_standard(prof, t.concept), origin=Origin.EXTRACTED,
                                  evidence=t.evidence, note=t.note))
        return rows

    def _goal_for(self, draft: Draft, item: int | None, evidence: str) -> int | None:
        if draft.kind is not Kind.DEPARTMENT or not draft.goals:
            return None
        if item is not None and item < len(draft.goals):
            return item + 1
        from ...core.library import bigrams

        ev = set(bigrams(evidence))
        best, score = 1, 0
        for i, g in enumerate(draft.goals, 1):
            s = len(ev & _goal_grams(g.text))
            if s > score:
                best, score = i, s
        return best

    def _cost_rows(self, draft: Draft, prof: Profile, fi, existing: list[Indicator]) -> list[Indicator]:
        loc = prof.tier2_location("cost")
        if not loc:
            return []
        have = {round(parse(r.value).money_wan() or -1, 4) for r in existing}
        rows = []
        unit = draft.funding.unit
        if draft.kind is Kind.PROJECT and draft.funding.total is not None:
            amount = draft.funding.total
            if round(amount * {"元": 1e-4, "万元": 1, "亿元": 1e4}.get(unit, 1), 4) not in have:
                ev = next((m.sentence for m in fi.mentions if abs(m.amount - amount) < 1e-6), None)
                rows.append(Indicator(tier1=loc[0], tier2=loc[1], name="项目总成本", value=f"≤{format_amount(amount)}{unit}",
                                      standard="预算支出标准", origin=Origin.EXTRACTED, evidence=ev,
                                      note="取自项目资金，成本不超过预算"))
        for p in draft.projects:
            amount = p.annual_budget if p.annual_budget is not None else p.total_budget
            if amount is None or round(amount, 4) in have:
                continue
            goal = self._goal_for(draft, None, f"{p.name}{p.use or ''}")
            rows.append(Indicator(goal=goal, tier1=loc[0], tier2=loc[1], name=_cost_name(p),
                                  value=f"≤{format_amount(amount)}万元", standard="预算支出标准", origin=Origin.EXTRACTED,
                                  evidence=next((m.sentence for m in fi.mentions if abs(m.wan - amount) < 1e-6), None),
                                  note="取自项目支出预算"))
        return rows

    def _qualitative_rows(self, draft: Draft, prof: Profile, sector: str | None,
                          rows: list[Indicator]) -> list[Indicator]:
        """Goals stated without numbers: a measurable library indicator with a placeholder value."""
        out: list[Indicator] = []
        texts: list[tuple[int | None, str]] = []
        if draft.kind is Kind.DEPARTMENT:
            texts = [(i, g.text) for i, g in enumerate(draft.goals, 1)]
        else:
            texts = [(None, g.text) for g in draft.goals]
        for goal, text in texts[:MAX_GOALS_SEARCHED]:
            if goal is not None and any(r.goal == goal for r in rows + out):
                continue
            if goal is None and any(r.origin is Origin.EXTRACTED and r.evidence and r.evidence in text for r in rows):
                continue
            hits = self.library.search(text, sector=sector, limit=6, min_score=0.22)
            taken = 0
            for h in hits:
                if h.entry.dimension == "satisfaction" or taken >= 2 or not _relevant(h.entry, text) \
                        or _duplicate(h.entry.name, rows + out):
                    continue
                row = self._entry_row(h.entry, prof, goal, evidence=text)
                if row:
                    out.append(row)
                    taken += 1
        return out

    def _suggested_rows(self, draft: Draft, prof: Profile, sector: str | None,
                        rows: list[Indicator]) -> list[Indicator]:
        """One library row for each 二级 a complete draft covers that the text left out — only rows that fit
        the text (their words occur in it) and that don't repeat a row already drafted."""
        out: list[Indicator] = []
        text = draft.source_text or ""
        query = " ".join(filter(None, [draft.header.project_name, draft.header.project_name,
                                       " ".join(r.name for r in rows if r.origin is Origin.EXTRACTED),
                                       draft.header.unit, draft.long_term_goal, " ".join(g.text for g in draft.goals),
                                       " ".join(draft.tasks), (draft.duties or "")[:300]]))
        concepts = {_concept(prof, r) for r in rows}
        wanted = [c for c in DRAFT_TIERS if prof.tier2_location(c) or (c == "cost" and prof.tier2_location("cost"))]
        goal = 1 if draft.kind is Kind.DEPARTMENT and draft.goals else None
        for concept in wanted:
            if concept in concepts:
                continue
            if concept == "social" and concepts & {"economic", "ecological"}:
                continue
            if concept == "satisfaction":
                row = self._satisfaction_row(prof, text, goal)
                if row:
                    out.append(row)
                continue
            hits = self.library.search(query, sector=sector, dimension=concept, limit=12)
            entry = next((h.entry for h in hits if _relevant(h.entry, text) and not _duplicate(h.entry.name, rows + out)),
                         None)
            if entry is None and concept in ("cost", "social"):
                # a complete form needs these: the most general library row of the tier
                generic = [e for e in self.library.entries if e.dimension == concept and "通用" in e.sectors
                           and e.op != "grade" and not _duplicate(e.name, rows + out)]
                entry = generic[0] if generic else None
            if entry is None:
                continue
            row = self._entry_row(entry, prof, goal, evidence=None)
            if row:
                out.append(row)
        return out

    def _satisfaction_row(self, prof: Profile, text: str, goal: int | None) -> Indicator | None:
        loc = prof.tier2_location("satisfaction")
        if not loc:
            return None
        who = beneficiary(text)
        from ...core.profiles import tier2_concept_of

        if tier2_concept_of(f"{who}满意度"):  # 群众满意度 is also a name of the tier itself
            who = "受益" + who
        return Indicator(goal=goal, tier1=loc[0], tier2=loc[1], name=f"{who}满意度", value="≥90%",
                         standard="历史标准", origin=Origin.SUGGESTED, evidence=None,
                         note="建议值，请按本单位以往测评结果确认")

    def _entry_row(self, entry: Entry, prof: Profile, goal: int | None, evidence: str | None) -> Indicator | None:
        loc = entry.placement(prof)
        if not loc:
            return None
        value = entry.conventional or entry.value_form()
        note = "建议值，请按本单位情况确认" if entry.conventional else (entry.note or "请填写本单位的目标值")
        return Indicator(goal=goal, tier1=loc[0], tier2=loc[1], name=entry.name, value=value,
                         standard=_standard(prof, entry.dimension, entry.standard), origin=Origin.SUGGESTED,
                         evidence=evidence, note=note)

    def _sector(self, text: str) -> str | None:
        ranked = self.library.sectors_for(text, top=2)
        return ranked[0][0] if ranked else None


_GENERIC_BIGRAMS = {"人数", "人次", "数量", "完成", "满意", "意度", "达标", "标率", "合格", "格率", "时间", "及时", "时率", "情况",
                    "建立", "使用", "用率", "成本", "标准", "项目", "服务", "工作", "提升", "提高", "水平", "覆盖", "盖率"}


_GENERIC_KEYWORDS = {"运维", "服务", "管理", "建设", "运行", "设施", "系统", "工作", "项目", "资金", "群众", "提升", "提高",
                     "完成", "保障", "质量", "安全", "宣传", "培训", "设备", "维护", "检查", "监管", "治理", "改造"}


def _relevant(entry: Entry, text: str) -> bool:
    """A library row fits a text when one of its specific keywords, or two words of its name, occur in it
    (运维 or 服务 alone say nothing about which indicator fits)."""
    if any(len(k) >= 2 and k not in _GENERIC_KEYWORDS and k in text for k in entry.keywords):
        return True
    grams = {entry.name[i:i + 2] for i in range(len(entry.name) - 1)} - _GENERIC_BIGRAMS
    return sum(1 for g in grams if g in text) >= 2


def _name_core(name: str) -> str:
    return re.sub(r"(满意度|满意率|合格率|达标率|覆盖率|人数|人次|户数|次数|数量|面积|里程|长度|完成时间|时间|时限|情况|指标|数|率)$", "",
                  name)


def _duplicate(name: str, rows: list[Indicator]) -> bool:
    """Would a row of this name repeat one already drafted (same thing measured, however worded)?"""
    core = _name_core(name)
    for r in rows:
        other = _name_core(r.name)
        if name == r.name or dice(core, other) >= 0.45 or (len(other) >= 3 and other in core) or (
                len(core) >= 3 and core in other):
            return True
    return False


def beneficiary(text: str) -> str:
    """Who the text serves (居民, 农户, 学生, 患者, 游客 …): the one it names most often; 受益对象 when none."""
    from .prose.lexicon import CUES

    best, count = "受益对象", 0
    for w in CUES["beneficiaries"]:
        n = text.count(w) * (0.5 if w in ("企业", "经营主体", "商户", "干部", "职工") else 1)  # people first
        if n > count or (n == count and n and len(w) > len(best)):
            best, count = w, n
    return best


def _profile_of(draft: Draft) -> Profile:
    from ...core.profiles import guess_profile

    return guess_profile(draft)[0]


def _refine(t: Target, prof: Profile) -> str:
    """Profiles with social / eco cost tiers (2021-central) take negative side effects there."""
    concepts = prof.concepts2()
    if "cost_ecological" in concepts and re.search(r"污染|扬尘|植被|水土流失|噪声超标|排放超标", t.name) and (
            t.pv.op in ("≤", "<", "=")):
        return "cost_ecological"
    if "cost_social" in concepts and re.search(r"中断|占道|停水|停电|封闭|扰民|拆迁", t.name) and t.pv.op in ("≤", "<", "="):
        return "cost_social"
    if t.concept not in concepts:
        return "cost" if t.concept.startswith("cost") else "quantity"
    return t.concept


def _concept(prof: Profile, row: Indicator) -> str | None:
    from ...core.profiles import resolve

    return resolve(prof, row.tier1, row.tier2).tier2_concept


def _standard(prof: Profile, concept: str, default: str = "计划标准") -> str:
    if concept.startswith("cost"):
        return "预算支出标准"
    if concept == "satisfaction":
        return "历史标准" if default == "历史标准" else default
    return default or "计划标准"


def _cost_name(p: Project) -> str:
    name = re.sub(r"项目$", "", p.name) or p.name
    return name if re.search(r"(经费|资金|费|补助)$", name) else name + "支出"


MAX_GOALS_SEARCHED = 30  # library rows for goals stated without numbers: a real form has fewer goals


@lru_cache(maxsize=4096)
def _goal_grams(text: str) -> frozenset:
    from ...core.library import bigrams

    return frozenset(bigrams(text))


def unused_figures(draft: Draft, reading: Reading | None = None) -> list:
    """Numbers of the draft's source text that are not in the table, each with the reason in words."""
    if not draft.source_text:
        return []
    reading = reading or read(draft.source_text, kind=draft.kind.value, year=draft.header.year)
    from ...core.grounding import value_numbers

    in_table = set()
    for r in draft.indicators:
        in_table |= value_numbers(r.value)
    money = {round(x, 4) for x in (draft.funding.total,) if x is not None}
    quoted = {r.evidence for r in draft.indicators if r.evidence}
    out = []
    for u in reading.unused:
        if u.text in quoted:
            continue
        n = [float(x.replace(",", "")) for x in re.findall(r"\d[\d,]*(?:\.\d+)?", normalize(u.figure))]
        if n and (n[-1] in in_table or round(n[-1], 4) in money) and u.category == "funding":
            continue  # became the cost row or the funding total
        out.append(u)
    return out


def _add_hint(draft: Draft, unused: list) -> str:
    from .prose.reader import ADDABLE

    u = next((x for x in unused if x.category in ADDABLE), None)  # list markers are never offered
    if u is None:
        return ""
    r = row_for_figure(draft, u)
    return f"。需要写进表时，可以说“在{r.tier2}下添加：{r.name} {r.value}”"


def row_for_figure(draft: Draft, u) -> Indicator:
    """The row a user asks for from a figure the draft left out (the reason it was left out stays in the note)."""
    from .prose.reader import as_row

    prof = _profile_of(draft)
    name, value, conc = as_row(u)
    loc = prof.tier2_location(conc) or prof.tier2_location("quantity")
    assert loc is not None
    return Indicator(tier1=loc[0], tier2=loc[1], name=name, value=value, standard=_standard(prof, conc),
                     origin=Origin.USER, evidence=u.text, note=f"由原文数字“{u.text}”添加（原判断：{u.reason}），请核对名称和数值")


def _budget_from_reading(f, reading: Reading) -> None:
    """The project budget the reader found, when the funding block has none: the first sum without a source
    word is the total, sums with one are its sources."""
    if f.total is not None or not reading.money:
        return
    total = next((m for m in reading.money if m.total), None) or next(
        (m for m in reading.money if not m.source), None) or (
        max(reading.money, key=lambda m: m.amount * {"元": 1e-4, "万元": 1, "亿元": 1e4}.get(m.unit, 1))
        if reading.money else None)  # only source lines: the largest is the whole allocation
    if total is None:
        return
    f.total, f.unit = total.amount, total.unit
    for m in reading.money:
        if m.source and m.unit == total.unit and m.amount <= total.amount:
            f.sources.append(FundingLine(name=m.label or m.source, amount=m.amount))


def _dedupe(targets: list[Target]) -> list[Target]:
    """One row per target: a text that states the same target twice (in the goals and again in the tasks)
    keeps the first statement; different targets that happen to share a value all stay."""
    order = {"goals": 0, "long": 1, "tasks": 2, "content": 3, "intro": 4}
    kept: list[Target] = []
    for t in sorted(targets, key=lambda t: (order.get(t.section, 5), t.start)):
        sig = (t.pv.kind, t.pv.magnitude, t.pv.unit, t.pv.year, t.pv.month, t.pv.day, t.pv.op)
        if any((k.pv.kind, k.pv.magnitude, k.pv.unit, k.pv.year, k.pv.month, k.pv.day, k.pv.op) == sig and (
                _name_core(k.name) in _name_core(t.name) or _name_core(t.name) in _name_core(k.name)) for k in kept):
            continue
        kept.append(t)
    names: set[str] = set()
    final = []
    for t in sorted(kept, key=lambda t: t.start):
        name = t.name
        k = 2
        while name in names:
            name = f"{t.name}（{k}）"
            k += 1
        names.add(name)
        t.name = name
        final.append(t)
    return final


def _order(rows: list[Indicator], prof: Profile) -> list[Indicator]:
    order = {pair: i for i, pair in enumerate(prof.pairs())}
    return sorted(rows, key=lambda r: (r.goal or 0, r.scope is not Scope.LONG_TERM, order.get((r.tier1, r.tier2), 99)))


def _guess_kind(text: str, sections) -> Kind:
    if any(s.kind == "duties" for s in sections) or re.search(r"部门整体|整体支出|部门职能|年度工作任务|部门\(单位\)", text):
        if not re.search(r"^\s*项目(支出)?名称", text):
            return Kind.DEPARTMENT
    return Kind.PROJECT


def _year(text: str) -> int | None:
    from .prose.reader import budget_year_of

    return budget_year_of(text)


def _header(text: str, sections, kind: Kind, year: int | None) -> Header:
    h = Header(year=year)
    # the implementing unit first; 主管部门 is the department above it, never the unit
    m = (re.search(r"(?:实施单位|项目单位|项目实施单位|承办单位)\s*[:：]\s*(?!万元|元)([^\s(（,，。;；\n]+)", text)
         or re.search(r"(?<!主管)(?:单位名称|部门名称|单位|部门)\s*[:：]\s*(?!万元|元)([^\s(（,，。;；\n]+)", text))
    if m:
        h.unit = m.group(1)
    else:
        head = text[:200]
        om = _ORG.search(head)
        if om:
            h.unit = re.sub(r"^\d{4}年(度)?", "", om.group(1))
    pm = re.search(r"项目(?:支出)?名称\s*[:：]\s*([^\n。;；:：,，]+?)(?:[(（]|[。;；:：,，\n]|$)", text)
    if pm:
        h.project_name = pm.group(1).strip()
    dm = re.search(r"主管部门\s*[:：]\s*([^\s;；,，。\n]+)", text)
    if dm:
        h.department = dm.group(1)
    am = re.search(r"项目属性\s*[:：]\s*(新增|延续)", text)
    if am:
        h.attribute = am.group(1)
    period = re.search(r"(?:实施期|起止时间|项目期|项目支出实施期|实施周期)\s*[:：]?\s*([\d.\-—–~至年月 ]{4,30})", text)
    if period:
        h.period = period.group(1).strip(" 。")
    if kind is Kind.PROJECT and not h.unit:
        im = re.search(r"实施单位\s*[:：]\s*([^\s;；,，。\n]+)", text)
        if im:
            h.unit = im.group(1)
    return h


def _goals(sections, kind: Kind) -> tuple[list[str], str | None]:
    goals: list[str] = []
    long_goal = None
    for s in sections:
        if s.kind == "goals":
            items = split_items(s.text)
            goals.extend(items if kind is Kind.DEPARTMENT else [" ".join(items)])
        elif s.kind == "long" and not long_goal:
            long_goal = s.text.strip(" 。") or None
    goals = [_one_line(g) for g in goals if g.strip()]
    return goals, long_goal


def _one_line(goal: str) -> str:
    """A goal written as a heading over bullets (社区治理\n- 志愿服务150场以上；…) as one line for the form."""
    lines = [ln.strip(" \t-•·*●;；") for ln in goal.splitlines() if ln.strip(" \t-•·*●;；")]
    if len(lines) <= 1:
        return goal.strip()
    if len(lines[0]) <= 20 and not re.search(r"\d", lines[0]):
        return lines[0] + "：" + "；".join(lines[1:])
    return "；".join(lines)
