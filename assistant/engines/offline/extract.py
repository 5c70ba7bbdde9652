"""Deterministic extraction of a text's structure: sections, goal items and the funding block.

Stated targets are read by the prose reader (prose/); this module finds where things are and what the
money is (department 收入/支出 lines, project budgets and sources, the projects a department lists).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ...core.model import Funding, FundingLine, Kind, Project

MAX_CHARS = 200_000  # bound the work on very long input; the rest is reported as not read

# --- sections -----------------------------------------------------------------------------------

SECTION_LABELS = {
    "duties": r"部门职能概述|部门\(单位\)职责|部门职责|单位职责|部门职能|主要职能|职能职责|主要职责|职责|整体目标",
    "tasks": r"年度工作任务及项目安排|年度工作任务|年度主要任务|年度重点工作|重点工作任务|主要工作任务|工作任务|今年工作任务|"
             r"今年重点工作|重点工作|主要工作|工作计划|今年计划|年度计划",
    "goals": r"年度总体绩效目标|年度绩效目标|本年度绩效目标|年度总体目标|年度目标|绩效目标|实施期目标及年度目标|今年工作目标|"
             r"年度工作目标|今年目标|工作目标|主要目标|目标任务|今年的目标|总目标|具体目标|"
             r"(?:年度)?目标[一二三四五六七八九十]{1,2}",  # 目标一：… as a heading, one goal each
    "long": r"长期目标|中期目标|实施期绩效目标|实施期目标|总体绩效目标|总体目标|项目总体绩效目标",
    "funding": r"资金情况|资金安排|资金来源|预算|部门总体资金情况",
    "content": r"项目概况|项目实施内容|实施内容|项目建设内容|建设内容|主要内容|项目依据",
    "project": r"项目名称|项目支出名称",
}
_SECTION_RE = re.compile(
    r"(?:^|(?<=[\n。；;]))\s*(?:[一二三四五六七八九十]+[、.．]|\d+[、.．])?\s*\*?\s*(?P<label>"
    + "|".join(f"(?P<{k}>{v})" for k, v in SECTION_LABELS.items())
    + r")(?:[(（][^)）]{0,12}[)）])?(?:[-—–]+[^:：\n]{0,8})?\s*[:：]")


@dataclass
class Section:
    kind: str  # duties / tasks / goals / long / funding / content / project / intro
    label: str
    text: str
    start: int


def normalize(text: str) -> str:
    t = unicodedata.normalize("NFKC", text)
    t = t.replace("\r\n", "\n").replace("\r", "\n")
    t = re.sub(r"[ \t\u3000]+", " ", t)
    # PDF extractions put spaces inside words (在职 参保人数); join CJK separated by a single space
    t = re.sub(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])", "", t)
    return t


def split_sections(text: str) -> list[Section]:
    out: list[Section] = []
    matches = list(_SECTION_RE.finditer(text))
    first = matches[0].start() if matches else len(text)
    if text[:first].strip():
        out.append(Section("intro", "", text[:first].strip(), 0))
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        kind = next(k for k in SECTION_LABELS if m.group(k))
        body = text[m.end():end]
        if kind == "project":  # 项目名称:… — only the name; what follows describes the project
            cut = re.search(r"[。\n]", body)
            if cut and body[cut.end():].strip():
                out.append(Section(kind, m.group("label"), body[:cut.start()].strip(), m.end()))
                out.append(Section("content", "", body[cut.end():].strip(), m.end() + cut.end()))
                continue
        out.append(Section(kind, m.group("label"), body.strip(), m.end()))
    return out


# --- goals, tasks -------------------------------------------------------------------------------

_GOAL_ITEM = re.compile(r"(?:^|(?<=[\s。；;]))(?:目标\s*(\d+)\s*[:：、.．]|(\d+)\s*[、.．)）](?!\d)|[(（](\d+)[)）]|"
                        r"([一二三四五六七八九十]+)是)")


def split_items(text: str) -> list[str]:
    """Numbered items (目标1: / 1. / (1) / 一是) or, failing that, the text as one item."""
    marks = list(_GOAL_ITEM.finditer(text))
    if len(marks) < 2 and not (marks and marks[0].group(1)):
        t = text.strip(" \n。；;")
        return [t] if t else []
    items = []
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        item = text[m.end():end].strip(" \n；;")
        if item:
            items.append(item)
    return items


# --- funding ------------------------------------------------------------------------------------

_MONEY = re.compile(r"(?P<num>\d[\d,]*(?:\.\d+)?)\s*(?P<unit>亿元|万元|元)(?!\s*/)(?![/每])")
_BARE = re.compile(r"(?P<label>[\u4e00-\u9fff()（）]{2,14}?)\s*(?P<num>\d[\d,]*(?:\.\d+)?)(?![\d.%])")
_INCOME = (("财政拨款", "财政拨款"), ("一般公共预算", "一般公共预算拨款"), ("政府性基金", "政府性基金拨款"),
           ("上年结转", "上年结转"), ("事业收入", "事业收入"), ("其他资金", "其他资金"))
_EXPENSE = (("基本支出", "基本支出"), ("项目支出", "项目支出"), ("人员经费", "人员经费"), ("公用经费", "日常公用经费"))
_SOURCE = ("中央", "省级", "省", "市级", "县级", "区级", "本级", "财政资金", "财政拨款", "自筹", "自有", "配套", "补助资金",
           "上级", "其他资金", "债券")
_TOTAL = ("资金总额", "总投资", "项目预算", "预算资金", "项目资金", "预算数", "项目金额", "本年度预算", "预算", "安排资金", "安排", "拨付",
          "下达", "资金")
_BENEFIT_MONEY = ("产值", "收入", "增收", "效益", "节约", "挽回", "带动", "贷款", "研发投入", "销售", "营业额", "新增研发")


@dataclass
class MoneyMention:
    label: str
    amount: float  # in the unit written
    unit: str  # 元 / 万元 / 亿元
    sentence: str
    start: int

    @property
    def wan(self) -> float:
        return self.amount * {"元": 1e-4, "万元": 1.0, "亿元": 1e4}[self.unit]


def _num(s: str) -> float:
    return float(s.replace(",", ""))


def money_mentions(text: str, default_unit: str | None = None) -> list[MoneyMention]:
    out = []
    for m in _MONEY.finditer(text):
        s0 = max(0, m.start() - 24)
        pre = re.split(r"[,，;；。:：、(（]", text[s0:m.start()])[-1]
        out.append(MoneyMention(pre.strip(), _num(m.group("num")), m.group("unit"), sentence_at(text, m.start()),
                                m.start()))
    if default_unit:
        taken = {(mm.start) for mm in out}
        for m in _BARE.finditer(text):
            if m.start("num") in taken or re.match(r"\s*(年|月|日|%|人|个|万元|元)", text[m.end():m.end() + 2]):
                continue
            label = m.group("label")
            if re.search(r"\d{4}年$", text[max(0, m.start() - 6):m.start("num")]) or label.endswith("年"):
                continue
            out.append(MoneyMention(label, _num(m.group("num")), default_unit, sentence_at(text, m.start()),
                                    m.start("num")))
        out.sort(key=lambda x: x.start)
    return out


def sentence_at(text: str, pos: int) -> str:
    start = max(text.rfind(c, 0, pos) for c in "。；;\n") + 1
    ends = [i for i in (text.find(c, pos) for c in "。；;\n") if i != -1]
    end = min(ends) + 1 if ends else len(text)
    return text[start:end].strip()


@dataclass
class FundingInfo:
    funding: Funding
    projects: list[Project]
    used_spans: list[tuple[int, int]] = field(default_factory=list)  # where funding figures were read
    mentions: list[MoneyMention] = field(default_factory=list)


_PROJECT_PAREN = re.compile(r"项目支出\s*(?P<num>\d[\d,]*(?:\.\d+)?)\s*(?:万元)?\s*[(（](?P<inner>[^)）]{2,200})[)）]")
_PROJECT_BUDGET = re.compile(r"(?P<name>[\u4e00-\u9fff、]{2,30}?)\s*[(（](?:项目)?预算\s*(?P<num>\d[\d,]*(?:\.\d+)?)\s*(?P<unit>万元|元)[)）]")
_PROJECT_TYPE = re.compile(r"常年性|延续性|一次性")
_PROJECT_ITEM = re.compile(r"(?P<name>[\u4e00-\u9fff]{2,24}?(?:经费|资金|补助|费))\s*(?P<num>\d[\d,]*(?:\.\d+)?)\s*万元")


def extract_funding(text: str, kind: Kind, sections: list[Section]) -> FundingInfo:
    f = Funding()
    projects: list[Project] = []
    fund_text = "\n".join(s.text for s in sections if s.kind == "funding")
    unit_hint = "万元" if re.search(r"资金情况[(（]万元[)）]|单位[:：]?万元|（万元）|\(万元\)", text) else None
    all_mentions = money_mentions(text)
    if kind is Kind.DEPARTMENT and not fund_text:  # no 资金 heading: the sentences that state the budget lines
        fund_text = "\n".join(dict.fromkeys(mm.sentence for mm in all_mentions if re.search(
            r"收入|支出|拨款|预算", mm.label)))
    mentions = money_mentions(fund_text, unit_hint) if fund_text else []
    used: list[tuple[int, int]] = []

    # department blocks: 收入构成 / 支出构成
    if kind is Kind.DEPARTMENT:
        for mm in mentions:
            lab = mm.label
            if re.search(r"20\d{2}年?(收支|收入|支出)?$", lab) and ("收支" in lab or len(lab) <= 8 and "预算" not in lab):
                continue  # previous years' figures
            hit_i = next((name for key, name in _INCOME if key in lab), None)
            hit_e = next((name for key, name in _EXPENSE if key in lab), None)
            if "合计" in lab or "收入预算" in lab or "总计" in lab:
                if "支出" in lab:
                    _add(f.expense, "合计", mm.amount, "total")
                else:
                    _add(f.income, "合计", mm.amount, "total")
            elif hit_e:
                _add(f.expense, hit_e, mm.amount, "sub" if hit_e in ("人员经费", "日常公用经费") else "item")
            elif hit_i:
                if "其中" in lab:
                    continue
                _add(f.income, hit_i, mm.amount, "item")
        for m in _PROJECT_PAREN.finditer(fund_text):
            inner = m.group("inner")
            for part in re.split(r"[;；]", inner):
                pm = re.search(r"(?P<name>[\u4e00-\u9fff、]{2,30}?)(?:[,，]?\s*(?P<num>\d[\d,]*(?:\.\d+)?)\s*(?:万元)?)?"
                               r"(?:[,，]\s*(?P<type>常年性|延续性|一次性)项目)?(?:[,，]\s*用于(?P<use>[^,，;；]+))?$",
                               part.strip())
                if not pm:
                    continue
                names = [x for x in re.split(r"[,，]", part) if x.strip()]
                name = re.sub(r"\d[\d,.]*\s*万元$", "", names[0]).strip()
                amount = _num(pm.group("num")) if pm.group("num") else None
                if amount is None and len(re.split(r"[;；]", inner)) == 1:
                    amount = _num(m.group("num"))
                ptype = _PROJECT_TYPE.search(part)
                use = re.search(r"用于([^,，;；]+)", part)
                sub = [x for x in re.split(r"、", name) if x]
                if len(sub) > 1 and all(re.search(r"\d", x) for x in sub):
                    continue
                projects.append(Project(name=name, type=(ptype.group(0) + "项目") if ptype else None,
                                        annual_budget=amount, total_budget=amount,
                                        use=use.group(1) if use else None))
        if len(projects) <= 1:
            listed = [m for m in _PROJECT_ITEM.finditer(fund_text) if not re.search(
                r"财政拨款|基本支出|项目支出|合计|收入|一般公共预算|政府性基金|上级补助|事业收入|上年结转|其他资金", m.group("name"))]
            if len(listed) >= 2 or (listed and not projects):
                projects = []
                for m in listed:
                    tail = fund_text[m.end():m.end() + 12]
                    ptype = _PROJECT_TYPE.search(tail)
                    amount = _num(m.group("num"))
                    projects.append(Project(name=re.sub(r"^(包括|主要为|其中|含|主要用于)", "", m.group("name")),
                                            type=(ptype.group(0) + "项目") if ptype else None,
                                            annual_budget=amount, total_budget=amount))
        for m in re.finditer(r"安排(?P<name>[\u4e00-\u9fff]{2,16}?(?:经费|资金))\s*(?P<num>\d[\d,]*(?:\.\d+)?)\s*万元", text):
            if not any(p.name == m.group("name") for p in projects):
                amount = _num(m.group("num"))
                projects.append(Project(name=m.group("name"), annual_budget=amount, total_budget=amount))
        if not projects:
            for m in _PROJECT_BUDGET.finditer(text):
                amount = _num(m.group("num")) * (1e-4 if m.group("unit") == "元" else 1)
                name = re.sub(r"^(完成|实施|推进|开展|做好)", "", m.group("name"))
                projects.append(Project(name=name, annual_budget=amount, total_budget=amount))
        for task_m in re.finditer(r"(?P<name>[\u4e00-\u9fff、]{4,30}?项目)[。,，]?\s*该项目为(?P<type>常年性|延续性|一次性)项目"
                                  r"[,，]\s*(?:\d{4}年)?预算\s*(?P<num>\d[\d,]*(?:\.\d+)?)\s*万元", text):
            name = re.sub(r"^(持续实施|实施|推进|开展|做好)", "", task_m.group("name"))
            if not any(p.name == name for p in projects):
                amount = _num(task_m.group("num"))
                projects.append(Project(name=re.sub(r"项目$", "", name), type=task_m.group("type") + "项目",
                                        annual_budget=amount, total_budget=amount))
        f.unit = "万元"
    else:
        pool = mentions or [mm for mm in all_mentions if _looks_like_funding(mm)]
        for mm in pool:
            lab = mm.label
            if any(w in lab for w in _BENEFIT_MONEY) or re.search(r"20\d{2}年(全区|全县|全市)", mm.sentence[:20]):
                continue
            unit = mm.unit
            if f.total is None and (any(lab.endswith(t) or t in lab for t in _TOTAL) and not any(
                    w in lab for w in ("中央", "省级", "市级", "县级", "区级", "本级", "自筹", "配套", "其中"))):
                f.total, f.unit = mm.amount, unit
                used.append((mm.start, mm.start + 1))
                continue
            src = next((w for w in _SOURCE if w in lab), None)
            if src and f.total is not None and unit == f.unit:
                name = re.sub(r"^(其中|全部为|包括|含)", "", lab).strip() or src
                if mm.amount <= f.total:
                    f.sources.append(FundingLine(name=name, amount=mm.amount))
        if f.total is not None and not f.sources:
            only = re.search(r"全部为([\u4e00-\u9fff]{2,12}?(资金|拨款))", text)
            if only:
                f.sources.append(FundingLine(name=only.group(1), amount=f.total))
    return FundingInfo(f, projects, used, all_mentions)


def _add(lines: list[FundingLine], name: str, amount: float, role: str) -> None:
    if not any(x.name == name and x.role == role for x in lines):
        lines.append(FundingLine(name=name, amount=amount, role=role))  # type: ignore[arg-type]


def _looks_like_funding(mm: MoneyMention) -> bool:
    return bool(re.search(r"资金|预算|拨款|投资|经费|拨付|下达|安排|总额|金额|财政|补助资金", mm.label + mm.sentence[:40]))
