"""The stages composed: text → sections → sentences → clauses → figures → targets and unused numbers."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ....core.library import char_bigrams
from ....core.values import ParsedValue, parse
from . import naming
from .concepts import concept
from .cues import PER_CHAIN, REASONS, Decision, classify, is_definition, per_chain
from .lexicon import CUES
from .measures import TIME_UNITS, Figure, scan
from .normalize import Text, normalize

MAX_CHARS = 200_000


@dataclass
class Target:
    name: str
    value: str
    pv: ParsedValue
    concept: str
    evidence: str
    section: str
    item: int | None  # goal item (0-based) when found in the goals section of a department text
    start: int
    numbers: tuple[str, ...] = ()
    note: str | None = None
    pattern: str = ""  # which grammar row produced it (T1…T22), for tests and debugging


@dataclass
class Unused:
    text: str  # the words and figure as the user wrote them (常住人口45万)
    figure: str  # the figure alone, as written
    category: str
    reason: str
    start: int


@dataclass
class Money:
    """A sum the text states as funding (budget, source, department line)."""

    amount: float
    unit: str
    label: str
    source: str | None
    sentence: str
    start: int
    total: bool = False


@dataclass
class Reading:
    text: Text
    targets: list[Target] = field(default_factory=list)
    unused: list[Unused] = field(default_factory=list)
    money: list[Money] = field(default_factory=list)
    project_name: str | None = None


# --- sections, sentences, clauses ---------------------------------------------------------------------------

@dataclass
class _Sec:
    kind: str
    start: int
    end: int


def _sections(s: str) -> list[_Sec]:
    from ..extract import _SECTION_RE, SECTION_LABELS

    out: list[_Sec] = []
    ms = list(_SECTION_RE.finditer(s))
    first = ms[0].start() if ms else len(s)
    if s[:first].strip():
        out.append(_Sec("intro", 0, first))
    for i, m in enumerate(ms):
        end = ms[i + 1].start() if i + 1 < len(ms) else len(s)
        kind = next(k for k in SECTION_LABELS if m.group(k))
        if kind == "project":  # 项目名称:… — the name up to the first break; the rest describes the project
            body = s[m.end():end]
            cut = re.search(r"[。\n]|(?<=[项目程划动费金助])[:：,，]", body)
            if cut:
                out.append(_Sec("project", m.end(), m.end() + cut.start()))
                out.append(_Sec("content", m.end() + cut.end(), end))
                continue
        out.append(_Sec(kind, m.end(), end))
    return out


_MARKER = re.compile(
    r"(?:(?<=^)|(?<=[\s:;。,、!?]))\s*(?:目标\s*\d{1,2}\s*[:.、．]?|\d{1,2}\s*[、.．)](?![\d%])|\(\s*\d{1,2}\s*\)|[\u2460-\u24ff\u2776-\u2793]|"
    r"[一二三四五六七八九十]{1,3}\s*[、是]|\(\s*[一二三四五六七八九十]{1,3}\s*\)|第[一二三四五六七八九十]{1,3}\s*[,、是]|"
    r"其[一二三四五六七八九十]\s*[,、是]|[-•·*●○■□◆▪►▶→]+\s*)")
_SENT_END = re.compile(r"[。;!?\n]")
_CLAUSE_SEP = re.compile(r",(?!\d{3}(?:\D|$))|，")


@dataclass
class _Clause:
    text: str
    start: int  # offset in the normalised text
    sent_start: int
    sent_end: int
    section: str
    heading: str | None


def _sentences(s: str, sec: _Sec, markers: list[tuple[int, int]]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    a = sec.start
    cuts = sorted({m.end() for m in _SENT_END.finditer(s, sec.start, sec.end)} | {sec.end})
    for b in cuts:
        seg_a = a
        # list markers inside the piece start new sentences
        for m in _MARKER.finditer(s, a, b):
            if m.group(0).strip() and m.start() >= seg_a:
                if s[seg_a:m.start()].strip(" :：;；,，、"):
                    spans.append((seg_a, m.start()))
                markers.append((m.start(), m.end()))
                seg_a = m.end()
        if s[seg_a:b].strip(" \n。;,、"):
            spans.append((seg_a, b))
        a = b
    return spans


def _clauses(t: Text, secs: list[_Sec], markers: list[tuple[int, int]]) -> list[_Clause]:
    out: list[_Clause] = []
    s = t.s
    for sec in secs:
        if sec.kind == "project":
            continue
        for a, b in _sentences(s, sec, markers):
            sent = s[a:b]
            heading = None
            hm = re.match(r"\s*([\u4e00-\u9fffA-Za-z0-9()（）]{2,24}?)\s*[:：]", sent)
            if hm and not re.search(r"\d", hm.group(1)):
                heading = hm.group(1)
            pos = a
            for piece in _CLAUSE_SEP.split(sent):
                start = s.find(piece, pos) if piece else pos
                if piece.strip():
                    out.append(_Clause(piece, start, a, b, sec.kind, heading))
                pos = start + len(piece)
    return out


# --- the reader ----------------------------------------------------------------------------------------------

_UP_VERB = r"提高|提升|增长|增加|上升|扩大|增"
_DOWN_VERB = r"下降|降低|减少|压减|压缩|缩减|缩短|节约|节省|降"
_EVENTS = "|".join(sorted(map(re.escape, CUES["zero"]["events"]), key=len, reverse=True))
_ZERO_LEAD = re.compile(rf"(?P<lead>不发生|未发生|杜绝|不出现|避免发生|防止发生|实现零|确保零|做到零|(?<![\u4e00-\u9fff])无|(?<=年)无|(?<=全年)无|(?<=确保)无)"
                        rf"(?P<event>[^,，;；。:：]{{0,22}}?(?:{_EVENTS}))")
_ZERO_VERB = re.compile(rf"(?P<event>[\u4e00-\u9fff“”\"]{{2,14}}?)\s*[“\"]?零(?P<ev>{_EVENTS}|发生|发案)[”\"]?")
_ZERO_TRAIL = re.compile(r"(?P<event>[\u4e00-\u9fff“”\"、]{2,18}?)\s*[:：]?\s*(?:实现)?[“\"]?(?P<trail>为零|为0(?![\d.])|清零|零发生)[”\"]?")
_FULL_COVER = re.compile(r"(?P<subj>[\u4e00-\u9fff“”]{2,20}?)\s*(实现|达到|做到)?全覆盖")
_ALL_DONE = re.compile(r"(?P<subj>[\u4e00-\u9fff“”]{2,16}?)(全部|全都|一律)(?P<verb>[\u4e00-\u9fff]{2,6}?)(到位|完毕|办结|完成)")
_YEAR_END = re.compile(r"(?P<w>年内|年底前|年末前|今年底前|今年内|本年度内|年度内|年底|年末|当年)")
_COMPLETE = re.compile(r"完成|清零|建成|投入使用|投用|投运|竣工|完工|发放到位|拨付到位|到位|上线|交付|通过验收|验收|办结|出台|印发|制定|"
                       r"启用|开工|落实|发放|拨付|兑现|实现|全覆盖")


def read(raw: str, *, kind: str = "project", year: int | None = None) -> Reading:
    """Read staff prose. kind: project | department; year: the budget year when known."""
    t = normalize(raw[:MAX_CHARS])
    s = t.s
    secs = _sections(s)
    markers: list[tuple[int, int]] = []
    clauses = _clauses(t, secs, markers)
    budget_year = year or budget_year_of(s)
    rd = Reading(t)
    goal_spans = _goal_items(s, secs) if kind == "department" else []
    ctx = _Ctx(t, rd, kind, budget_year, goal_spans)
    for sec in secs:
        if sec.kind == "project":
            rd.project_name = s[sec.start:sec.end].strip(" :：,，。") or None
            for f in scan(s[sec.start:sec.end]):
                ctx.unused(sec.start + f.start, sec.start + f.end, Decision("decoy", f.kind if f.kind in REASONS
                                                                             else "year"))
    if rd.project_name is None:
        hm = re.match(r"\s*([\u4e00-\u9fff()（）A-Za-z]{4,40}?(?:项目|工程|计划|行动|活动|专项|经费|资金|补助|补贴|服务))\s*[:：]", s)
        if hm and not any(sec.kind != "intro" and sec.start <= hm.end() for sec in secs[:1]):
            rd.project_name = hm.group(1)
    prev_clause: _Clause | None = None
    for c in clauses:
        ctx.clause(c, prev_clause if prev_clause and prev_clause.sent_start == c.sent_start else None)
        prev_clause = c
    for a, b in markers:  # list markers are accounted for (never rows), but not shown to users
        fig = t.original(a, b).strip()
        if fig:
            rd.unused.append(Unused(fig, fig, "list_marker", REASONS["list_marker"], a))
    rd.targets.sort(key=lambda x: x.start)
    rd.unused.sort(key=lambda x: x.start)
    return rd


def budget_year_of(s: str) -> int | None:
    """The budget year a text is about: YYYY年度 first, else a year at the very start, else the year named most
    often; the years of periods (2024—2026年) do not count."""
    plain = re.sub(r"(?:19|20)\d{2}\s*年?\s*(?:-|~|至|到|—|–)\s*(?:19|20)\d{2}\s*年?", " ", s)
    m = re.search(r"((?:19|20)\d{2})\s*年度", plain) or re.search(r"^\s*\S{0,20}?((?:19|20)\d{2})\s*年", plain[:60])
    if m:
        return int(m.group(1))
    years = re.findall(r"(?<!\d)((?:19|20)\d{2})\s*年", plain)
    if years:
        from collections import Counter

        return int(Counter(years).most_common(1)[0][0])
    return None


def _goal_items(s: str, secs: list[_Sec]) -> list[tuple[int, int]]:
    """Spans of the department goal items, numbered as the drafter numbers its 年度目标."""
    from ..extract import split_items

    spans: list[tuple[int, int]] = []
    for sec in secs:
        if sec.kind != "goals":
            continue
        body = s[sec.start:sec.end]
        pos = 0
        for item in split_items(body.strip()):
            i = body.find(item, pos)
            if i < 0:
                continue
            spans.append((sec.start + i, sec.start + i + len(item)))
            pos = i + len(item)
    return spans


class _Ctx:
    def __init__(self, t: Text, rd: Reading, kind: str, budget_year: int | None, goal_spans):
        self.t, self.rd, self.kind, self.year, self.goal_spans = t, rd, kind, budget_year, goal_spans
        self.last_subject: str | None = None
        self.last_prefix = ""
        self.breakdown_of: tuple[str, Decision] | None = None
        self.prev_clause: _Clause | None = None
        self.total_seen = False
        self.money_context = False
        self.sentence_baseline = False
        self.sentence_past = False  # a sentence or paragraph of last year's results: every figure is last year's
        self.background: Decision | None = None

    # --- bookkeeping ---
    def evidence(self, c: _Clause) -> str:
        return self.t.original(c.sent_start, c.sent_end).strip(" \n;；。,，")

    def item(self, pos: int) -> int | None:
        for i, (a, b) in enumerate(self.goal_spans):
            if a <= pos < b:
                return i
        return None

    def unused(self, a: int, b: int, d: Decision, context_from: int | None = None) -> None:
        fig = self.t.original(a, b).strip()
        lead = ""
        if context_from is not None and context_from < a and d.category in ADDABLE:
            left = self.t.s[context_from:a]
            words = naming.cut(left)
            for w in reversed(words):
                if len(lead) + len(w) > 6 or re.search(r"[,，。;；:：、\s]", w):
                    break
                lead = w + lead
            lead = self.t.original(a - len(lead), a) if lead else ""
        self.rd.unused.append(Unused((lead + fig).strip(), fig, d.category, d.reason, a))

    def add(self, c: _Clause, name: str, value: str, conc: str, pos: int, pattern: str, nums: tuple[str, ...] = (),
            note: str | None = None, timeliness: bool = False) -> None:
        pv = parse(value, timeliness=timeliness)
        self.rd.targets.append(Target(name, value, pv, conc, self.evidence(c), c.section, self.item(pos), pos, nums,
                                      note, pattern))

    # --- one clause ---
    def clause(self, c: _Clause, prev: _Clause | None) -> None:
        text = c.text
        figs = scan(text)
        used: set[int] = set()
        if prev is None:
            self.last_subject = None
            self.last_prefix = ""
            self.breakdown_of = None
            self.background = None
            self.sentence_baseline = False
            ym = re.match(r"\s*(?:[\u4e00-\u9fff]{0,6}[:：])?\s*((?:19|20)\d{2})\s*年(?!度?(?:目标|计划|任务|绩效))", c.text)
            if ym and self.year and int(ym.group(1)) < self.year and not any(
                    w in self.t.s[c.sent_start:c.sent_end] for w in ("计划", "力争", "确保", "预计", "目标", "今年")):
                self.background = Decision("baseline", "baseline")  # 2023年全区研发投入4.6亿元，占比为38.5%
            self.money_context = False
            if len(_CLAUSE_SEP.split(self.t.s[c.sent_start:c.sent_end])) > 1 and re.search(
                    CUES["decoys"]["baseline_opening_re"], c.text.strip()):
                self.sentence_baseline = True
            self.sentence_past = self._past_paragraph(c)
            if self.sentence_past:
                self.sentence_baseline = True  # 上年实际完成…，培训…136人次；全年发生…2起: last year's results
        self.prev_clause = prev
        zero_spans = self._zero(c)
        if not figs:
            self._everything(c)
        for i, f in enumerate(figs):
            if any(a <= f.start < b for a, b in zero_spans):
                used.add(i)  # a threshold inside the event's name (不发生造成10人以上伤亡的事故)
                self.unused(c.start + f.start, c.start + f.end, Decision("decoy", "definition" if f.kind in (
                    "quantity", "money") else f.kind if f.kind in REASONS else "in_name"), c.start)
        self._money_units(c, figs)
        n_before = len(self.rd.targets)
        self._enumeration(c, figs, used)
        prior = [f.year for f in figs if f.kind == "year" and f.year]
        # figures that are part of a name or a definition (60周岁以上, 3个月内…的比例) do not cut the words around them
        sep = [i for i, f in enumerate(figs) if f.kind not in ("in_name", "year") and not is_definition(f, text)]
        for i, f in enumerate(figs):
            if i in used:
                continue
            prev_sep = max((j for j in sep if j < i), default=None)
            lstart = figs[prev_sep].end if prev_sep is not None else 0
            if prev_sep is not None:  # 培训2815人次以上、资助…: 以上 belongs to the figure before
                m_after = re.match(r"\s*(及以上|及以下|以上|以下|以内|之内|左右|内)?", text[lstart:])
                lstart += m_after.end() if m_after else 0
            nxt = min((j for j in sep if j > i), default=None)
            rend = figs[nxt].start if nxt is not None else len(text)
            left, right = text[lstart:f.start], text[f.end:rend]
            years_before = [y for y, ff in ((ff.year, ff) for ff in figs[:i]) if y and ff.kind == "year"] or (
                prior if c.start == c.sent_start else [])
            d = classify(f, text, left, right, kind=self.kind, section=c.section, budget_year=self.year,
                         prior_years=years_before, prev=figs[prev_sep] if prev_sep is not None else None)
            a, b = c.start + f.start, c.start + f.end
            if d.role == "target" and self._restates_change(c, f, left):
                d = Decision("baseline", "comparison")  # 3000亩，较上年增加1000亩: the change, not a second target
            if d.role == "funding" and d.category == "budget" and re.search(
                    r"(资金来源|经费来源|资金构成)\s*[:：][^。;；]*$", self.t.s[max(0, c.sent_start - 8):c.start + f.start]):
                d = Decision("funding", "funding", {"source": naming.clean_phrase(left)[-12:]})  # 资金来源：中央…60万元
            before_fig = self.t.s[c.sent_start:c.start + f.start]
            if self.kind == "department" and d.role == "target" and f.kind == "money" and not (
                    f.op_before or f.op_after) and d.category not in ("per_unit", "benefit_money") and re.search(
                    r"收入(预算)?(合计|总计)|收入预算|支出预算", before_fig) and before_fig.count("（") <= before_fig.count("）") \
                    and before_fig.count("(") <= before_fig.count(")"):
                d = Decision("funding", "funding")  # 收入预算合计…，其中：上级审计专项补助60万元
            if d.role == "funding" and d.category == "budget":
                d = self._budget(c, f, left, d)
                if d.role == "target" and self._restates_change(c, f, left):
                    d = Decision("baseline", "comparison")  # 经费92万元，较上年增加6万元
            if d.role == "target" and c.heading and re.fullmatch(CUES["background_headings"], c.heading) \
                    and f.kind not in ("deadline", "recurring", "half"):
                d = Decision("decoy", "background")  # 背景：2024年全市人均体育场地面积2.9平方米
            quiet = not (f.op_before or f.op_after) and not any(
                w in left for w in CUES["decoys"]["future"] + CUES["decoys"]["plan"] + CUES["content_verbs"]
                + CUES["decoys"]["benefit_reach"])
            if d.role == "target" and quiet and self.background is not None and f.kind in ("quantity", "money") \
                    and d.category in ("quantity", "named_budget", "money_output", "payout"):
                d = Decision(self.background.role, self.background.category)  # …现有职工46人，保留剧目20部
            inherit = self.breakdown_of is not None and f.kind == self.breakdown_of[0] and not (
                f.op_before or f.op_after) and d.category in (
                "quantity", "named_budget", "payout", "money_output", "budget") and (
                re.match(r"\s*其中", text) and prev_sep is None or re.match(r"\s*、", left))
            if d.role == "target" and inherit:
                d = Decision(self.breakdown_of[1].role, self.breakdown_of[1].category)  # parts of a figure above
            if self.sentence_past and d.role == "target" and f.kind not in ("deadline", "recurring", "half"):
                d = Decision("baseline", "baseline")  # 2023年，…人均纯收入达到14230元: reached last year
            if self.sentence_baseline and d.role == "target" and not f.op_before and not f.op_after \
                    and f.kind not in ("deadline", "recurring", "half"):
                d = Decision("baseline", "baseline")
            if d.role != "target" and f.kind in ("quantity", "money"):
                self.breakdown_of = (f.kind, d)
            elif d.role == "target":
                self.breakdown_of = None
            if d.role in ("baseline", "decoy") and d.category in ("baseline", "population", "staff", "background") \
                    and f.kind in ("quantity", "money") and not d.extra.get("from_to"):
                self.background = d  # (the first half of a from–to is followed by this year's figure, not more past)
            elif d.role == "target" and (f.op_before or f.op_after or not quiet):
                self.background = None
            if d.role == "target":
                made = self._target(c, f, d, left, right, figs, i, prev_sep)
                if made:
                    continue
                d = Decision("decoy", "no_unit")
            if d.role == "funding" and f.kind == "money":
                self.rd.money.append(Money(float(f.num.replace(",", "")), f.mult + f.unit if f.mult else f.unit,
                                           left.strip(" ,，:：")[-16:], d.extra.get("source"), self.evidence(c), a,
                                           bool(d.extra.get("total"))))
            self.unused(a, b, d, c.start + lstart)
        if len(self.rd.targets) == n_before:
            self._year_end(c, figs)

    def _money_units(self, c: _Clause, figs: list[Figure]) -> None:
        """预算86万 / 资金60万: a 万/亿 figure without 元 next to money words, or among sums of money in the same
        sentence, is money (万元/亿元)."""
        for i, f in enumerate(figs):
            if f.kind == "money":
                self.money_context = True
            if f.kind != "quantity" or f.unit or not f.mult:
                continue
            prev_end = max((g.end for g in figs[:i] if g.kind != "in_name"), default=0)
            left = c.text[prev_end:f.start]
            blocked = any(w in left for w in CUES["decoys"]["population"] + CUES["decoys"]["staff"])
            if not blocked and (any(w in left[-10:] for w in CUES["money"]["cues"]) or self.money_context):
                f.kind, f.unit, f.mult = "money", f.mult + "元", ""
                f.notes.append("原文写作“万”，按万元计")
                self.money_context = True

    def _budget(self, c: _Clause, f: Figure, left: str, d: Decision) -> Decision:
        """A sum labelled as budget or funds: the text's own budget goes to the funding block; a named item of
        spending (应急救护培训经费28万元) is a cost row."""
        subject = naming.clean_phrase(re.split(r"[:：、(（;；]", left)[-1])
        core = subject
        for w in sorted(CUES["money"]["budget"] + CUES["money"]["budget_generic"] + CUES["money"]["source"],
                        key=len, reverse=True):
            core = core.replace(w, "")
        core = re.sub(r"(\d{4}年度?|年度|今年|本年|全年|县级|市级|省级|区级|本级|财政)", "", core)
        specific = len(re.sub(r"[^\u4e00-\u9fff]", "", core)) >= 2
        if self.kind == "project" and not self.total_seen and (d.extra.get("word") or not specific):
            self.total_seen = True
            return Decision("funding", "funding", {"total": True})
        if not specific and self.kind == "department" and self.prev_clause is not None:
            project = re.search(r"([\u4e00-\u9fff“”]{2,24}(项目|工程|计划|行动|专项|经费))\s*$", self.prev_clause.text)
            if project:  # 电子商务进农村项目，年度预算263万元
                return Decision("target", "named_budget", {"name": project.group(1)})
        if specific:
            return Decision("target", "named_budget")
        return Decision("funding", "funding")

    # --- targets ---
    def _op(self, f: Figure, name: str, *, per_standard: bool = False, exact_verb: bool = False) -> str:
        op = None
        if f.op_before and f.op_after:
            op = f.op_after if f.op_before in ("≥", ">") and f.op_after == "≥" else (
                "≤" if f.op_after == "≤" else f.op_before)
        else:
            op = f.op_before or f.op_after
        if op:
            return op
        d = CUES["defaults"]
        negative = any(w in name for w in d["negative"]) and not any(w in name for w in d["negative_exceptions"])
        if f.num and float(f.num.replace(",", "")) == 0:
            return "="
        if per_standard or exact_verb:
            return "="
        if negative or f.is_money or (f.unit in TIME_UNITS and f.unit not in ("年",)):
            return "≤"
        if f.unit == "%" and f.num in ("100", "100.0"):
            return "="
        if exact_verb:
            return "="
        return "≥"

    def _number(self, f: Figure, op: str) -> str:
        if f.num2 and op in ("≤", "<"):
            return f.num2.replace(",", "")
        return f.num.replace(",", "")

    def _target(self, c: _Clause, f: Figure, d: Decision, left: str, right: str, figs: list[Figure], i: int,
                prev_sep: int | None) -> bool:
        text = c.text
        pos = c.start + f.start
        if f.kind in ("deadline", "recurring", "half"):
            return self._deadline(c, f, left, right)
        if f.kind == "period":
            name = naming.clean_phrase(left) or "服务周期"
            self.add(c, naming.trim(name), text[f.start:f.end].replace(" ", ""), "timeliness", pos, "T22", (f.num,),
                     timeliness=True)
            return True
        base_left = left
        # from–to: 由72%提高到80% names the thing before 由
        if prev_sep is not None and figs[prev_sep].kind in ("quantity", "money") and re.search(
                r"(由|从)[^,，。;；由从]{0,12}$", text[:figs[prev_sep].start]) and re.search(
                r"((到|至)|(调整|调增|调减|调高|调低|上调|下调|变更|改|增加|减少|提高|降低|压减|下降)(为|成))(每[\u4e00-\u9fff])?\s*$", left):
            j = prev_sep
            pp = max((k for k in range(j) if figs[k].kind not in ("in_name", "year")), default=None)
            base_left = text[figs[pp].end if pp is not None else 0:figs[j].start]
            base_left = re.sub(r"(由|从)[^,，。;；由从]{0,12}$", "", base_left)
        relative = None
        rm = re.search(rf"({_UP_VERB}|{_DOWN_VERB})(了)?\s*$", re.sub(r"(不少于|不低于|至少|超过|达到|约)\s*$", "", left))
        if rm and f.unit in ("%", "个百分点", "倍", "‰") and not re.search(r"(到|至)\s*$", left):
            relative = "up" if re.fullmatch(_UP_VERB, rm.group(1)) else "down"
            base_left = left[:rm.start()] if rm.start() > 0 else left
        per = d.extra.get("per")
        exact_verb = any(v in left for v in CUES["defaults"]["exact_verbs"])
        subject = self._subject(base_left, right, f, per is not None)
        std_words = CUES["money"]["standard_words"]
        if f.kind == "money":
            benefit = d.category == "benefit_money"
            standard = per is not None and any(w in left[-14:] + right[:4] for w in std_words)
            name = subject
            if per is not None:
                name = re.sub(r"^(人均|亩均|户均|生均|场均|次均|件均|平均每|平均)", "", name) if standard else name
                if not re.search(r"[\u4e00-\u9fff]{2}", re.sub(r"(标准|定额)$", "", name)):
                    name = _object_of_standard(right) or name
                if standard:
                    name = name if name.endswith(("标准", "定额")) else name + "标准"
                else:
                    lead_avg = re.search(r"(人均|亩均|户均|生均|场均|次均)", left[-12:])
                    if lead_avg and lead_avg.group(1) not in name:
                        name = lead_avg.group(1) + name
                    name = naming.with_measure(name, f.unit, "cost")
            if re.fullmatch(r"(投入|补助|补贴|奖励|资助|支出|费用|经费|资金)?(成本|标准|金额|经费)?", name) and self.last_subject:
                name = ("每个" if per == "个" else "") + self.last_subject + name  # 每个投入8万元 after 建设博爱家园2个
            elif d.category == "named_budget":
                name = d.extra.get("name") or name
                name = name if re.search(r"(经费|资金|费|补助|补贴|奖励|投资|预算|成本)$", name) else name + "经费"
            elif d.category == "money_output":
                name = naming.with_measure(name, f.unit, "output")
            else:
                name = naming.with_measure(name, f.unit, "economic" if benefit else "cost")
            if not re.search(r"[\u4e00-\u9fff]{2}", name.replace("标准", "").replace("成本", "").replace("金额", "")):
                name = self._fallback_name(c, name)
            name = naming.trim(name)
            op = self._op(f, name, per_standard=standard)
            if (benefit or d.category == "money_output") and not (f.op_before or f.op_after):
                op = "≥"
            if standard and f.num2:
                op = "≤"  # a band of standards (1000–3000元): the cap
            unit = f.unit + (f"/{per}" if per else "")
            value = f"{op}{self._number(f, op)}{unit}"
            if d.category == "money_output":
                volume = re.search(r"(归集|提取|发放|投放|办理|完成投资|放贷)", left[-14:]) and not re.search(
                    r"(追回|追缴|挽回|查出|核减|审减|节约|节省)", left[-14:])
                conc = "quantity" if volume and not any(w in name for w in CUES["concepts"]["economic"]) else "economic"
            else:
                conc = concept(name, f.unit, kind="money", benefit_money=benefit)
            note = _approx_note(f) or (f.notes[0] if f.notes else None)
            self.add(c, name, value, conc, pos, "T13" if benefit else ("T11" if per is not None else "T12"),
                     (f.num,), note)
            self.last_subject = subject
            return True
        if relative:
            suffix = {("up", "个百分点"): "提高幅度", ("down", "个百分点"): "下降幅度", ("up", "%"): "增长率",
                      ("down", "%"): "下降率", ("up", "倍"): "增长倍数", ("down", "倍"): "下降倍数",
                      ("up", "‰"): "增长率", ("down", "‰"): "下降率"}[(relative, f.unit)]
            core = re.sub(r"(较上年|比上年|同比|较去年|比去年|较上年度|较基期|(较|比)\d{4}年度?)$", "", subject)
            core = naming.clean_phrase(core) or self._fallback_name(c, "")
            name = naming.trim(core + suffix if not core.endswith(suffix) else core)
            op = f.op_before or f.op_after or "≥"
            if op in ("≤", "<") and not f.op_before:
                op = "≥"
            value = f"{op}{self._number(f, op)}{f.unit}"
            self.add(c, name, value, concept(name, f.unit, kind="quantity", relative=True), pos,
                     "T14" if relative == "up" else "T15", (f.num,), "相对变化，请在指标解释中写明基数")
            self.last_subject = core
            return True
        unit = f.unit
        kind = "quantity"
        if f.kind == "bare":
            unit = _unit_from_name(subject, f.num)
            if unit is None:
                if not naming.has_measure(subject):
                    return False
                unit = ""  # 建设面积：≥39360 — the number is kept, the missing unit is for the user to add
        qty_per = ""
        chain = [] if f.kind == "bare" else per_chain(left[-12:])
        if chain and not re.search(r"每\d|每[万千百十]", left) and subject and not subject.startswith("每"):
            qty_per = "·".join(dict.fromkeys(chain))
        if unit in TIME_UNITS and (re.match(r"\s*(内|以内|之内)", right) or f.op_before in ("≤", "<") or (
                re.search(r"(时限|时间|用时)", subject) and f.op_before not in ("≥", ">") and f.op_after != "≥")):
            kind = "duration"
        elif unit in ("年", "个月", "天", "日") and re.search(r"(服务期|租期|运维期|维保期|托管期|服务周期|合同期|服务)", subject + left):
            kind = "service_period"
        name = subject
        if kind == "duration":
            verb = _verb_after(right)
            if verb and verb not in name:
                name = name + verb
            name = naming.with_measure(naming.clean_phrase(name) or name, unit, "limit")
        elif kind == "service_period":
            name = name if re.search(r"(期|周期|期限|年限)$", name) else (
                re.sub(r"(服务|租用|租赁|运维|维保|托管)$", "", name) + "服务期" if name else "服务期")
        else:
            if unit == "%" and not name.endswith(naming._RATE_END) and re.search(r"(完成|实现)", left) \
                    and not re.search(r"(完成|实现)(率|比例)", name):
                name = name + "完成"  # 完成项目主体工程70% → 项目主体工程完成率
            if unit in ("%", "‰", "‱") and not name.endswith(naming._RATE_END):
                rp = naming.clean_phrase(re.split(r"[,，;；。(（]", re.sub(r"^\s*(以上|以内|及以上)", "", right))[0])
                if 2 <= len(rp) <= 10 and not re.search(r"\d", rp):
                    name = name + rp
            name = naming.with_measure(name, unit)
        name = self._with_topic(c, name)
        if not re.search(r"[\u4e00-\u9fff]{2}", re.sub("(数量|人数|人次|次数|面积|长度|率|量|数)$", "", name)) \
                or re.fullmatch(r"(场次|人次|次数|数量|人数|户数|期数|个数|件数|比例|面积|长度|里程|天数|场数)(（\d+）)?", name):
            name = self._fallback_name(c, name)
        name = naming.trim(name)
        op = self._op(f, name, exact_verb=exact_verb or kind == "service_period")
        if kind == "duration" and op in ("≥", ">", "="):
            op = "≤"
        if op in ("≥", ">") and unit == "%" and self._number(f, op) in ("100", "100.0"):
            op = "="
        per_txt = f.per if f.per and f.kind != "bare" else qty_per
        value = f"{op}{self._number(f, op)}{f.mult}{unit}{('/' + per_txt) if per_txt else ''}"
        conc = concept(name, unit, kind=kind)
        note = _approx_note(f)
        if f.kind == "bare":
            note = f"原文没有写单位，按名称补为“{unit}”，请核对" if unit else "原文没有写计量单位，请补上"
        self.add(c, name, value, conc, pos, _pattern(f, kind, left, right), (f.num,), note, timeliness=kind == "duration")
        self.last_subject = re.sub(r"(数量|人数|人次|次数|面积|长度|率|量|数|期数)$", "", name) or self.last_subject
        return True

    def _subject(self, left: str, right: str, f: Figure, per_unit: bool) -> str:
        lt = re.sub(r"[(（][^()（）]*[)）]", "", left)  # 劳动者（快递员、外卖送餐员等）不少于3000人: an aside
        if ":" in lt or "：" in lt:
            after = re.split(r"[:：]", lt)[-1]
            before = re.split(r"[:：]", lt)[-2]
            lt = after if re.search(r"[\u4e00-\u9fff]{2}", naming.clean_phrase(after)) else before
        lt = re.split(r"[(（;；+=＋＝]|其中|同时|并且|以及", lt)[-1]
        adjusted = re.sub(r"((按|按照|根据|依据|结合)[^,，。;；]{1,14}?)?(调整|调增|调减|调高|调低|上调|下调|变更|更改|改)(为|到|至|成)\s*$",
                          "", lt)
        if adjusted != lt and naming.clean_phrase(adjusted):
            lt = adjusted  # 管理人数按实际在册情况调整为7000人: how it was set is not the name
        listed = False
        if "、" in lt and re.fullmatch(r"\s*[\u4e00-\u9fff]{0,6}、\s*", lt):
            lt, listed = "", True  # 覆盖14个乡镇、108个行政村: the next item of a list after a figure
        elif lt.lstrip().startswith("、"):
            lt = lt.lstrip()[1:]  # 新建服务站12个、维修道路8公里: each item names its own figure
        # otherwise a 、 inside the words (救助困难群众、大病患者不少于300人次) lists what one figure counts
        per_verb = ""
        lt = re.sub(r"按(照)?(" + PER_CHAIN.pattern + r")+[\u4e00-\u9fff]{0,3}$", "", lt)  # 检查费用按每对夫妇(440元)
        if per_unit or f.kind == "money":
            pm = re.search(r"每([\u4e00-\u9fff]{2,3}?)(?:一|1)(?:人次|人|户|名|个|家|件|场|次)", lt)
            if pm and pm.group(1) in CUES["content_verbs"] or pm and naming.cut(pm.group(1)) == (pm.group(1),):
                per_verb = pm.group(1)
            lt = re.sub(r"(每[\u4e00-\u9fff]{0,3}?(一|1)?(人次|人|户|亩|生|名|个|家|座|台|套|场|次|吨|批次|批|公里|平方米|床|车|学期|"
                        r"年|月|天|日|周|课时|学时|期|班|件|项|村|所|校|宗|例|张|册|篇|份|单|车次))+", "", lt)
        if re.search(r"等\s*$", lt) and _object_after(right):
            lt = ""  # 黄泥坳、杉木冲等9座小型水库: the examples are not the name, the object after the figure is
        if not per_unit and f.kind != "money" and not re.search(r"每\d|每[万千百十]", lt):
            stripped = PER_CHAIN.sub("", lt)
            if naming.clean_phrase(stripped):
                lt = stripped
        name = naming.clean_phrase(lt)
        if re.fullmatch(r"要求|确保|力争|争取|保证|务必|必须|力求|计划|预计", name):
            name = ""  # 要求达到90%: a modal, not what is measured
        name = re.sub(r"^(要求|确保|力争|争取|务必|力求)(?=[\u4e00-\u9fff]{2})", "", name)
        if re.search(r"(为|给|帮助|帮|对)\s*$", left) and f.kind != "money":
            act = re.match(r"\s*[\u4e00-\u9fff]{2,12}?((实施|开展|提供|安装|完成|进行|落实|配备|建立)[\u4e00-\u9fff]{2,10}?)"
                           r"(?=[,，。;；]|$)", right)
            if act:  # 为200户困难家庭实施适老化改造: what is done for them
                return act.group(1)
        if per_verb and per_verb not in name:
            name = per_verb + name
        first = naming.cut(right.strip())[0] if right.strip() else ""
        if listed and self.last_prefix and f.kind != "money":
            obj = first if first in CUES["decoys"]["place_units"] else _object_after(right)
            if obj:
                return self.last_prefix + obj
        if first in CUES["decoys"]["place_units"] and f.unit == "个" and not name.endswith(first) \
                and _object_after(right) in ("", first):
            self.last_prefix = name
            name = name + first  # 覆盖全县14个乡镇 → 覆盖全县乡镇（数量）
        words = naming.cut(name) if name else ()
        verbs = set(CUES["content_verbs"]) | {"配", "建", "修", "购", "买", "办", "送", "种", "栽", "装", "开", "设", "派", "聘"}
        if right and f.kind != "money" and f.unit not in TIME_UNITS and (not name or len(name) <= 2 or words[-1] in verbs):
            obj = _object_after(right)
            if obj:
                verb = words[-1] if words and words[-1] in verbs else ""
                self.last_prefix = verb if verb and len(name) > 4 else (name or "")
                name = (verb + obj) if verb and len(name) > 4 else (name or "") + obj
        if not name:
            m = re.match(r"\s*(每[\u4e00-\u9fff]{1,2})", left)
            if m and self.last_subject:
                name = m.group(1) + self.last_subject
            elif self.last_subject and f.kind != "money":
                name = self.last_subject
        return name

    _PAST_OPENING = re.compile(r"\s*(?:[\u4e00-\u9fff]{0,8}[:：])?\s*(?:先把|先说|先看|关于|回顾)?\s*"
                               r"(上年|去年|上一年|上年度|前年|(?P<y>(?:19|20)\d{2})\s*年度?)(的|，|,)?"
                               r"(全年|全县|全市|全区|全镇|我县|我市|我区|我局|我馆|我中心|本单位|项目)?"
                               r"(实际|共|累计|全年)?[^\n。;；]{0,16}?(完成|发生|实现|开展|办理|接待|培训|受理|形势|工作|情况|达到)")
    _PLAN = re.compile(r"计划|今年|本年|力争|确保|预计|拟|将要|打算|争取|安排在|目标[为是:：]|目标(如下|这样)")

    def _past_paragraph(self, c: _Clause) -> bool:
        """A paragraph that opens on last year (上年实际完成…, 2022年全县森林防火形势…) and plans nothing: every
        figure in it is last year's."""
        s = self.t.s
        start = s.rfind("\n", 0, c.sent_start) + 1
        end = s.find("\n", c.sent_start)
        para = s[start:end if end != -1 else len(s)]
        sentence = s[c.sent_start:c.sent_end]  # or a sentence that does (2023年，全县脱贫人口人均纯收入达到14230元…)
        for text in (para, sentence):
            m = self._PAST_OPENING.match(text)
            if not m or self._PLAN.search(text) or self.year and f"{self.year}年" in text:
                continue
            year = m.group("y")
            if not year or (self.year is not None and int(year) < self.year):
                return True
        return False

    def _restates_change(self, c: _Clause, f, left: str) -> bool:
        """A change against last year (较上年增加1000亩) beside this year's figure of the same measure in the sentence:
        after it (3000亩，较上年增加1000亩) or before it (比上年增加500人次，达到7000人次以上)."""
        if re.search(_CHANGE_WORDS + r"\s*$", left):
            after = self.t.s[c.start + f.end:c.sent_end]
            m = re.match(r"\s*(以上|左右)?\s*[,，]?\s*(全年|总数|总量|总计)?(达到|达|增至|增加到|减至|减少到|降至|为|共)\s*"
                         r"(不少于|不低于|不超过)?\s*[\d.,]+\s*(万|亿)?\s*(?P<unit>[^\d\s,，。;；]{1,3})", after)
            if m and m.group("unit").startswith((f.unit or "")[:1] or "\0"):
                return True
        if not re.fullmatch(r"[\s,，、（(]*" + _CHANGE_WORDS + r"\s*", left):
            return False  # only a change with no subject of its own restates the figure before it
        pct = ("%", "个百分点", "百分点")
        unit = (f.unit or "").split("/")[0]
        if any(c.sent_start <= t.start < c.start + f.start and t.pattern != "T12" and (
                (t.pv.unit or "").split("/")[0] == unit or (t.pv.unit in pct and unit in pct)) for t in self.rd.targets):
            return True
        before = self.t.s[c.sent_start:c.start + f.start - len(left)]  # 经费92万元，较上年增加6万元
        return bool(unit) and f.kind == "money" and re.search(rf"[\d.]+\s*{re.escape(f.mult or '')}{re.escape(unit)}", before) is not None

    def _context_subject(self, c: _Clause) -> str:
        """What the sentence is about when a clause names nothing (完成宿舍楼改造（预算85万元），10月底前投入使用)."""
        first = next((t for t in self.rd.targets if c.sent_start <= t.start < c.start and t.pattern not in ("T11", "T12")),
                     None)
        if first is not None:  # 农居抗震改造完成180户，每户补助1500元，年内完成 → 农居抗震改造
            core = re.sub(r"(人数|人次|户数|次数|数量|面积|长度|率|量|数|期数|场次)$", "", first.name)
            if len(core) >= 2:
                return core
        if self.prev_clause is not None:
            t = re.sub(r"[(（][^()（）]*[)）]", "", self.prev_clause.text)
            t = re.sub(r"\d[\d.,]*\s*[\u4e00-\u9fff%]{0,3}", "", t)
            p = naming.clean_phrase(t)
            if 2 <= len(p) <= 14:
                return p
        return self.last_subject or ""

    def _fallback_name(self, c: _Clause, name: str) -> str:
        heading = c.heading if c.heading and not re.fullmatch(CUES["generic_headings"], c.heading) else None
        prev = naming.clean_phrase(self.prev_clause.text) if self.prev_clause and not scan(self.prev_clause.text) else ""
        prev = re.sub(r"^(另外|同时|还要|今年)?(新增|新开展|新设)(?=[\u4e00-\u9fff“”]{4})", "", prev)  # 新增“档案进校园”活动
        if len(prev) > 14:  # 组织康复专业人员上门开展家庭康复指导: the work after the last verb
            tail = re.split(r"开展|实施|提供|组织|进行|推进|落实", prev)[-1]
            prev = tail if 2 <= len(tail) <= 14 else prev
        head = self._sentence_head(c)
        topic = heading or self.last_subject or (prev if 2 <= len(prev) <= 14 else "") or head
        topic = naming.clean_phrase(topic)
        bare = re.fullmatch(r"率|比例|成本|金额|标准|数量|人数|人次|次数|场次|户数|件数|个数|面积|长度|里程|天数", name or "")
        if topic and name and (topic.endswith(name) or bare and (naming.has_measure(topic) or topic.endswith(
                ("度", "标准", "率", "比例", "成本", "费用")))):
            return topic  # 肺结核患者规范管理率 + 率, 受援人满意度 + 率, 办案补贴标准 + 成本
        return (topic + name) if topic else (name or "目标值")

    def _sentence_head(self, c: _Clause) -> str:
        """The words a sentence opens with, up to its first figure or comparison (来电法律咨询接待量比上年增加…)."""
        sent = self.t.s[c.sent_start:c.start]
        m = re.match(r"[^\d,，。;；:：]*?(?=比上年|较上年|比去年|较去年|同比|由|从|\d|[,，])", sent)
        head = naming.clean_phrase(m.group(0)) if m else ""
        head = head.split("、")[-1]
        return head if 2 <= len(head) <= 14 else ""

    def _topic(self, c: _Clause) -> str:
        """What a sentence is about: its heading (养老保险：…) or an opening clause with no figure
        (扩大养老保险覆盖面，在职参保人员达47000人)."""
        for cand in (c.heading, self._opening(c)):
            if cand and not re.fullmatch(CUES["generic_headings"], cand):
                topic = _topic_core(cand)
                if topic and not re.fullmatch(CUES["generic_headings"], topic):
                    return topic
        return ""

    def _opening(self, c: _Clause) -> str:
        sent = self.t.s[c.sent_start:c.sent_end]
        first = _CLAUSE_SEP.split(sent)[0]
        first = re.split(r"[:：]", first)[-1].strip()
        if first and first != c.text.strip() and not scan(first) and len(first) <= 14 and re.match(
                r"(扩大|提高|提升|巩固|做好|推进|加强|完善|落实|稳定|保障|维护|优化|深化|强化|加大|抓好|实施|开展|推动|做实)", first):
            return first
        return ""

    def _with_topic(self, c: _Clause, name: str) -> str:
        topic = self._topic(c)
        if not topic:
            return name
        core = re.sub(r"(人数|人次|户数|次数|数量|面积|长度|率|量|数)$", "", name)
        if len(core) <= 6 and len(topic) <= 6 and not (char_bigrams(topic) & char_bigrams(name)) \
                and "满意" not in name:
            return topic + name
        return name

    def _deadline(self, c: _Clause, f: Figure, left: str, right: str) -> bool:
        year = f.year or self.year
        if f.kind == "recurring":
            value = f.text_value
        elif f.day:
            value = f"{str(year) + '年' if year else ''}{f.month}月{f.day}日前"
        else:
            value = f"{str(year) + '年' if year else ''}{f.month}月底前"
        verb_obj = _deadline_object(right)
        if not verb_obj or right.lstrip().startswith("、"):
            later = [g for g in scan(c.text) if g.kind in ("deadline", "half") and g.start > f.start]
            if later:
                verb_obj = _deadline_object(c.text[later[-1].end:])
        verb_obj = re.sub(r"(到|至|给|向)[\u4e00-\u9fff]*$", "", verb_obj)
        moved = re.search(r"(提前|推迟|延后|调整|改|放宽|延长)(到|至|为)\s*$", left)
        if moved:
            left = left[:moved.start()]  # 采购入库时间提前到5月底前: the new deadline of what is named before
            before = re.search(r"([^,，。;；由从]*)(由|从)[^,，。;；由从]*$", c.text[:f.start])
            if not naming.clean_phrase(left) and before:
                left = before.group(1)  # 完工时间由8月25日前调整为8月20日前
        subj = naming.clean_phrase(re.split(r"[、(（]", left)[-1]) if left.strip() else ""
        subj = re.sub(r"(于|在|要|应|须|计划|力争|确保|前)$", "", subj)
        timed = moved and subj.endswith(("时间", "时限", "日期")) and not verb_obj  # the subject says what is timed
        name = (subj if timed else _deadline_name(subj, verb_obj)) \
            or _deadline_name(self._context_subject(c), verb_obj or "完成") \
            or self._fallback_name(c, "完成时间")
        name = naming.trim(name)
        nums = tuple(str(x) for x in (f.year, f.month, f.day) if x)
        note = None
        if f.kind == "half":
            note = f"原文为“{f.text_value}”"
        self.add(c, name, value, "timeliness", c.start + f.start, "T8" if f.kind == "deadline" else "T9", nums, note,
                 timeliness=True)
        return True

    def _year_end(self, c: _Clause, figs: list[Figure]) -> None:
        if any(f.kind in ("deadline", "half", "recurring") for f in figs):
            return
        m = _YEAR_END.search(c.text)
        if not m or not _COMPLETE.search(c.text[m.end():]):
            return
        value = f"{str(self.year) + '年' if self.year else ''}12月底前"
        left = c.text[:m.start()]
        subj = naming.clean_phrase(left)
        vo = _deadline_object(c.text[m.end():])
        name = naming.trim(_deadline_name(subj, vo) or _deadline_name(self._context_subject(c), vo or "完成")
                           or self._fallback_name(c, "完成时间"))
        self.add(c, name, value, "timeliness", c.start + m.start(), "T9", (str(self.year),) if self.year else (),
                 f"原文为“{m.group('w')}”", timeliness=True)

    def _everything(self, c: _Clause) -> None:
        """All of them, no figure: 小作坊监督抽检全覆盖 → 小作坊监督抽检覆盖率 =100%; 问题食品全部核查处置到位 →
        问题食品核查处置率 =100%."""
        if self.sentence_baseline:
            return
        text = re.sub(r"^\s*(\d+|[一二三四五六七八九十]+)\s*[、.．)）]", "", c.text)
        m = _FULL_COVER.search(text) or _ALL_DONE.search(text)
        if not m:
            return
        subject = naming.clean_phrase(re.sub(r"^(新增|另外|同时|并)?(对|为|在)?", "", m.group("subj")))
        subject = re.sub(r"^(全区|全县|全市|全镇|全乡|辖区|全部)", "", subject)
        if len(subject) < 2:
            return
        name = subject + ("覆盖率" if m.re is _FULL_COVER else m.group("verb") + "率")
        conc = "quality"
        self.add(c, naming.trim(name), "=100%", conc, c.start + m.start(), "T23", ("100",),
                 f"原文为“{m.group(0).strip()}”，取值100%")

    def _zero(self, c: _Clause) -> list[tuple[int, int]]:
        """不发生/杜绝/无 + event, X零发生/零损毁, X为零/清零 → =0 rows; returns the spans read."""
        spans: list[tuple[int, int]] = []
        text = c.text
        for rx in (_ZERO_LEAD, _ZERO_VERB, _ZERO_TRAIL):
            for m in rx.finditer(text):
                if any(a < m.end() and m.start() < b for a, b in spans):
                    continue
                raw = m.group("event")
                if rx is _ZERO_VERB and m.group("ev") not in ("发生", "发案"):
                    raw = raw + m.group("ev")
                raw = raw.replace("“", "").replace("”", "").replace('"', "")
                if rx is _ZERO_TRAIL and "年底前" in raw:
                    continue
                parts = [p for p in re.split(r"、|和|及", raw) if p.strip()]
                tail_m = re.search(rf"({_EVENTS})$", parts[-1]) if parts else None
                made = False
                for k, part in enumerate(parts):
                    event = naming.clean_phrase(part)
                    event = re.sub(r"^(发生|出现|实现|确保)", "", event)
                    if tail_m and k < len(parts) - 1 and not re.search(rf"({_EVENTS})$", event):
                        event += tail_m.group(1)
                    if len(event) < 2:
                        continue
                    unit = next((u for w, u in CUES["zero"]["events"].items() if w in event), "次")
                    measure = {"起": "发生起数", "件": "件数", "次": "发生次数", "人": "人数", "个": "个数", "处": "处数"}[unit]
                    if event.endswith(("数", "量", "率")):
                        measure = ""
                    name = naming.trim(event + measure)
                    conc = "ecological" if any(w in name for w in CUES["concepts"]["ecological"]) else "quality"
                    made = True
                    if m.group(0).lstrip().startswith("未") and self.sentence_baseline:
                        continue  # 上年…未发生重特大森林火灾: last year's record, not this year's target
                    self.add(c, name, f"=0{unit}", conc, c.start + m.start(), "T21", ("0",),
                             f"原文为“{m.group(0).strip()}”，取值0")
                if made:
                    spans.append((m.start(), m.end()))
        return spans

    def _enumeration(self, c: _Clause, figs: list[Figure], used: set[int]) -> None:
        text = c.text
        m = re.search(r"(分别|均|都)(?:为|是|达到|达|完成|有|不少于|不低于|不超过|控制在|在|要|超过)?", text)
        if not m:
            return
        after = [i for i, f in enumerate(figs) if f.start >= m.end() and f.kind in ("quantity", "money")]
        before_figs = [f for f in figs if f.end <= m.start() and f.kind not in ("in_name",)]
        left = text[before_figs[-1].end if before_figs else 0:m.start()]
        left = re.split(r"[:：;；]", left)[-1]
        items = [x for x in re.split(r"、|和|及|与|以及|/", left) if x.strip()]
        if len(items) < 2:
            return
        shared = m.group(1) in ("均", "都")
        if shared and len(after) != 1 or not shared and len(after) != len(items):
            return
        items = [naming.clean_phrase(x) or x for x in items]
        # a verb on the first item carries to the others; a measure on the last carries back
        first_words = naming.cut(items[0])
        verb = first_words[0] if len(first_words) > 1 and first_words[0] in CUES["content_verbs"] else ""
        last_words = naming.cut(items[-1])
        tail = ""
        role = re.search(r"(患者|人员|学生|儿童|老人|老年人|家庭|农户|企业|对象|群众|居民|妇女|残疾人)", items[-1])
        if role and role.start() > 0 and not any(role.group(1) in x for x in items[:-1]):
            tail = items[-1][role.start():]  # 高血压、2型糖尿病患者规范管理率 → 高血压患者规范管理率
        elif len(last_words) > 1 and all(len(x) <= 3 for x in items[:-1]) and 2 <= len(last_words[0]) <= 3 \
                and re.fullmatch(r"[\u4e00-\u9fff]+", last_words[0]):
            tail = "".join(last_words[1:])  # 县道、乡道、村道日常养护补助标准 → each item + 日常养护补助标准
        elif len(last_words) > 1 and naming.has_measure(last_words[-1]):
            tail = last_words[-1]
            if len(tail) == 1 and len(last_words) > 2:
                tail = last_words[-2] + tail
        chain = per_chain(text[m.end():figs[after[0]].start]) if after else []  # 分别为每公里每年10000元、7000元…
        per = "·".join(dict.fromkeys(chain))
        for k, item in enumerate(items):
            f = figs[after[0] if shared else after[k]]
            name = item
            if verb and not name.startswith(verb):
                name = verb + name
            if tail and not name.endswith(tail) and not naming.has_measure(name):
                name = name + tail
            name = naming.trim(naming.with_measure(name, f.unit, "cost" if f.is_money else ""))
            standard = f.is_money and any(w in name for w in CUES["money"]["standard_words"])
            op = self._op(f, name, per_standard=standard)
            if m.group(0).endswith(("达到", "不少于", "不低于", "超过")) and not f.op_after:
                op = "≥"
            elif m.group(0).endswith(("不超过", "控制在")):
                op = "≤"
            unit_per = f.per or (per if f.is_money else "")
            value = f"{op}{self._number(f, op)}{f.mult}{f.unit}{('/' + unit_per) if unit_per else ''}"
            conc = concept(name, f.unit, kind="money" if f.is_money else "quantity")
            self.add(c, name, value, conc, c.start + f.start, "T19" if shared else "T18", (f.num,))
        used.update(after)


def _topic_core(heading: str) -> str:
    h = re.sub(r"^(目标\s*\d*|年度目标|绩效目标|总体目标|项目名称|项目)", "", heading)
    h = re.sub(r"^(扩大|提高|提升|巩固|做好|推进|加强|完善|落实|稳定|保障|维护|优化|深化|强化|加大|抓好|实施|开展|推动)", "", h)
    h = re.sub(r"(覆盖面|成果|水平|工作|质量|体系|底线|环境|力度|能力|项目|方面)$", "", h)
    return naming.clean_phrase(h)


_CHANGE_WORDS = r"(同比|(较|比|相比)(上年|去年|上年度|上一年|往年)(同期)?)[^,，。;；\d]{0,4}(增加|减少|提高|降低|下降|增长|上升|多|少|压减|缩短)了?"


def _object_after(right: str) -> str:
    r = re.sub(r"^\s*(及以上|及以下|以上|以下|以内|之内|内|左右|余|多)", "", right)
    r = re.sub(r"[(（][^)）]{0,8}[)）]", "", r)
    m = re.match(r"\s*(的)?([\u4e00-\u9fffA-Za-z0-9·]{2,14})", r)
    if not m:
        return ""
    words = naming.cut(m.group(2))
    out = ""
    for w in words:
        if w in ("的", "和", "及", "并", "等", "以", "进行", "开展", "实施", "用于", "完成", "达到", "为", "共", "计") or (
                out and w in CUES["content_verbs"]):
            break
        out += w
    out = naming.FILLER_WORDS.sub("", out)  # 10处够了: a remark, not the object
    return out if len(out) >= 2 else ""


def _object_of_standard(right: str) -> str:
    """按每生每天5元标准为学生提供营养膳食补助 → 营养膳食补助 (what a standard with no subject pays for)."""
    r = re.split(r"[,，;；。]", right)[0]
    m = re.search(r"(?:提供|发放|给予|用于|实施|开展)([\u4e00-\u9fff]{2,12})$", r)
    return naming.clean_phrase(m.group(1)) if m else ""


def _verb_after(right: str) -> str:
    r = re.sub(r"^\s*(以内|之内|内|以下)", "", right)
    m = re.match(r"\s*(?:完成|实现)?([\u4e00-\u9fff]{2,8})", r)
    if not m:
        return ""
    words = naming.cut(m.group(1))
    out = ""
    for w in words:
        out += w
        if len(out) >= 2:
            break
    return out


def _deadline_object(right: str) -> str:
    r = re.sub(r"^\s*(之前|以前|前|内|为止|止)", "", right)
    m = re.match(r"\s*([\u4e00-\u9fff、A-Za-z0-9]{2,20})", r)
    return m.group(1) if m else ""


def _deadline_name(subject: str, verb_obj: str) -> str:
    """项目 + 完成招标 → 项目招标完成时间; '' + 完成年度考核 → 年度考核完成时间."""
    vo = re.split(r"并|、|和|及|以及|同时", verb_obj)[0].strip() if verb_obj else ""
    vo = re.sub(r"^(全部|全面|按时|按期|如期|顺利|基本)", "", vo)
    m = re.match(r"^(全面完成|完成|建成|投入使用|竣工|完工|开工|上线|交付|通过|启用|印发|出台|制定|发放|拨付|办结)(.*)$", vo)
    verb, obj = (m.group(1), m.group(2)) if m else ("", vo)
    verb = "完成" if verb in ("全面完成", "") else verb
    obj = naming.clean_phrase(obj)
    if len(obj) > 10:
        obj = naming.trim(obj, 10)
    subj = naming.clean_phrase(subject)
    core = (subj + obj) if obj and obj not in subj else (subj or obj)
    if not core:
        return ""
    return core + verb + "时间"


def _unit_from_name(name: str, num: str) -> str | None:
    table = (("人次", "人次"), ("人数", "人"), ("户数", "户"), ("次数", "次"), ("场次", "场次"), ("期数", "期"), ("件数", "件"),
             ("里程", "公里"), ("批次", "批次"), ("起数", "起"), ("天数", "天"),
             ("个数", "个"), ("家数", "家"), ("天数", "天"), ("满意度", "%"), ("率", "%"), ("比例", "%"), ("占比", "%"))
    for suffix, unit in table:
        if name.endswith(suffix):
            if unit == "%" and float(num.replace(",", "")) > 100:
                return None
            return unit
    return None


def _approx_note(f: Figure) -> str | None:
    if f.approx in ("约", "左右", "近"):
        return f"原文为约数（{f.approx}）"
    if f.num2:
        return f"原文为区间{f.num}–{f.num2}"
    return None


def _pattern(f: Figure, kind: str, left: str, right: str) -> str:
    if kind == "duration":
        return "T10"
    if kind == "service_period":
        return "T22"
    if f.unit in ("%", "‰"):
        return "T7" if "满意" in left else "T2"
    if f.kind == "bare":
        return "T5"
    if f.op_before == "≤" or f.op_after == "≤":
        return "T6"
    if _object_after(right):
        return "T4"
    return "T1"


ADDABLE = ("population", "staff", "baseline", "background", "definition", "place", "money", "funding", "no_unit",
           "duration", "duties", "date")


def as_row(u: Unused) -> tuple[str, str, str]:
    """A figure the reader left out, made into (name, value, concept) when the user asks for it as a row."""
    t = normalize(u.text).s
    figs = [f for f in scan(t) if f.kind in ("quantity", "money", "bare", "deadline", "half")]
    if not figs:
        return naming.trim(naming.clean_phrase(t) or "新指标"), t, "quantity"
    f = figs[-1]
    raw = re.sub(r"[(（][^()（）]*[)）]", "", t[:f.start]).strip(" ,，:：")
    words = naming.clean_phrase(raw)
    words = words if len(words) > 2 else (raw[-8:] or "新指标")
    if f.kind in ("deadline", "half"):
        value = f"{str(f.year) + '年' if f.year else ''}{f.month}月{str(f.day) + '日' if f.day else '底'}前"
        return naming.trim(words + "完成时间"), value, "timeliness"
    unit = f.unit
    name = naming.trim(naming.with_measure(words, unit, "cost" if f.is_money else ""))
    kind = "money" if f.is_money else "quantity"
    conc = concept(name, unit, kind=kind)
    op = f.op_before or f.op_after or ("≤" if f.is_money or conc == "cost" else "≥")
    return name, f"{op}{f.num.replace(',', '')}{f.mult}{f.full_unit[len(f.mult):]}", conc


def describe(u: list[Unused], limit: int = 12) -> str:
    """One short line per unused figure: 2019年 — 年份; 〔2022〕35号 — 文号 (list markers left out)."""
    rows = [x for x in u if x.category != "list_marker"]
    shown = [f"{x.text} — {x.reason}" for x in rows[:limit]]
    more = len(rows) - len(shown)
    return "；".join(shown) + (f"；另有{more}处" if more > 0 else "")


__all__ = ["read", "Reading", "Target", "Unused", "Money", "describe", "as_row", "budget_year_of", "MAX_CHARS"]
