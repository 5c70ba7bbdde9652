"""Deterministic extraction from staff prose: structure (unit, year, goals, funding) and stated targets.

Nothing here invents a number: every target carries the sentence it came from, and every figure in
its value is one the prose states (numerals normalised: 四万七千 → 47000, ４７０００ → 47000).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ...core.model import Funding, FundingLine, Kind, Project
from ...core.values import ParsedValue, ValueKind, arabize, parse

MAX_CHARS = 60_000  # bound the work on very long input; the rest is reported as not read

# --- sections -----------------------------------------------------------------------------------

SECTION_LABELS = {
    "duties": r"部门职能概述|部门\(单位\)职责|部门职责|单位职责|部门职能|主要职能|职能职责|主要职责|职责|整体目标",
    "tasks": r"年度工作任务及项目安排|年度工作任务|年度主要任务|年度重点工作|重点工作任务|主要工作任务|工作任务|今年工作任务|"
             r"今年重点工作|重点工作|主要工作|工作计划|今年计划|年度计划",
    "goals": r"年度总体绩效目标|年度绩效目标|本年度绩效目标|年度总体目标|年度目标|绩效目标|实施期目标及年度目标|今年工作目标|"
             r"年度工作目标|今年目标|工作目标|主要目标|目标任务|今年的目标|总目标|具体目标",
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
_TOTAL = ("资金总额", "总投资", "项目预算", "预算资金", "项目资金", "预算数", "项目金额", "本年度预算", "预算", "安排资金", "拨付",
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
    mentions = money_mentions(fund_text, unit_hint) if fund_text else []
    all_mentions = money_mentions(text)
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
                    w in lab for w in ("中央", "省级", "市级", "县级", "区级", "自筹", "配套", "其中"))):
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


# --- targets ------------------------------------------------------------------------------------

UNITS = ("万人次", "人次", "万人", "人", "名", "户", "个", "家", "所", "座", "台", "套", "辆", "次", "场次", "场", "期", "篇",
         "份", "项", "件", "起", "批次", "批", "门", "栋", "株", "亩", "万亩", "公顷", "公里", "千米", "米", "平方米", "万平方米",
         "立方米", "万立方米", "吨", "公斤", "千克", "剂次", "人天", "课时", "学时", "天", "日", "个工作日", "小时", "分钟", "年",
         "个月", "月", "周", "遍", "条", "处", "间", "张", "册", "本", "部", "路", "个百分点", "%", "‰", "万元", "元", "亿元", "吨/日")
_UNIT_ALT = "|".join(sorted((re.escape(u) for u in UNITS), key=len, reverse=True))
_TARGET = re.compile(
    r"(?P<num>\d[\d,]*(?:\.\d+)?)\s*(?P<mult>万|亿)?\s*(?P<unit>" + _UNIT_ALT + r")(?P<per>/[\u4e00-\u9fff·]{1,4})?")
_OP_BEFORE = [("不低于", "≥"), ("不少于", "≥"), ("不小于", "≥"), ("至少", "≥"), ("达到", "≥"), ("提高到", "≥"), ("提升到", "≥"),
              ("增至", "≥"), ("增加到", "≥"), ("达", "≥"), ("超过", ">"), ("高于", ">"), ("不超过", "≤"), ("不高于", "≤"),
              ("控制在", "≤"), ("降至", "≤"), ("降低到", "≤"), ("低于", "<"), ("少于", "<"), ("保持在", "≥"), ("保持", "="),
              ("均为", "="), ("为", "=")]
_OP_AFTER = [("及以上", "≥"), ("以上", "≥"), ("以内", "≤"), ("之内", "≤"), ("以下", "≤"), ("内", "≤")]
_SKIP_CONTEXT = re.compile(r"编制|在编|在岗|职工|教职工|演职人员|内设|科室|股室|下设|下辖|现有|核定|常住人口|总人口|总库容|"
                           r"下游保护|保护耕地|在校生|总里程|其中县道|点位\d|余部|保留剧目")
_BASELINE_BEFORE = re.compile(r"(由|从|上年(的|为|底)?|去年|目前|现为|基期|原有|已有|已达|累计已)\s*$")
_CUE = re.compile(r"实施|完成|实现|达到|达|不少于|不低于|以上|以内|确保|力争|计划|新建|建设|改造|铺设|培训|举办|开展|组织|发放|"
                  r"资助|救助|保障|帮扶|提供|覆盖|受益|选派|认定|支持|新增|增加|提高|提升|降低|控制|检测|接种|筛查|"
                  r"治理|修复|清扫|清除|演出|创排|处理|巡检|调阅|采购|配备|种植|补助|服务|举办|形成|立项|保持|管理")
_LEAD_VERBS = ("全年共", "全年", "年内", "年度内", "本年度", "计划", "力争", "确保", "争取", "预计", "共计", "共", "累计", "其中",
               "努力", "持续", "扎实", "进一步", "全面", "积极", "主要", "并", "且", "和", "及", "以及")
_ACTION_VERBS = ("全年保障", "保障", "完成", "实现", "实施", "开展", "组织", "举办", "推进", "做好", "促使", "促进", "带动", "增加", "支持", "提供",
                 "保障", "安排", "选派", "帮扶", "发放", "采购", "为")
_MEASURE_BY_UNIT = {"人": "人数", "名": "人数", "万人": "人数", "人次": "人次", "万人次": "人次", "户": "户数", "个": "数量",
                    "家": "数量", "所": "数量", "座": "数量", "台": "数量", "套": "数量", "辆": "数量", "次": "次数", "场次": "场次",
                    "场": "场次", "期": "期数", "篇": "数量", "份": "数量", "项": "数量", "件": "件数", "起": "起数",
                    "批次": "批次", "批": "批次", "门": "数量", "栋": "数量", "株": "数量", "亩": "面积", "万亩": "面积",
                    "公顷": "面积", "公里": "里程", "千米": "里程", "米": "长度", "平方米": "面积", "万平方米": "面积",
                    "立方米": "量", "万立方米": "量", "吨": "量", "公斤": "量", "千克": "量", "剂次": "剂次", "课时": "课时",
                    "学时": "学时", "条": "数量", "处": "数量", "间": "数量", "张": "数量", "册": "数量", "本": "数量",
                    "部": "数量", "路": "数量", "遍": "遍数", "吨/日": "能力", "万元": "金额", "元": "金额", "亿元": "金额"}
_MEASURE_END = re.compile(r"(保存期|期限|率|比例|占比|比重|人数|人次|户数|次数|数量|数|面积|里程|长度|量|能力|金额|时间|时限|天数|年限|期数|场次|"
                          r"批次|剂次|产值|收入|投入|规模|满意度|水平|指数|课时|学时|标准|成本|遍数)$")
_TIME_UNITS = ("天", "日", "个工作日", "小时", "分钟", "周", "个月")


@dataclass
class Target:
    name: str
    value: str
    pv: ParsedValue
    concept: str
    evidence: str
    section: str
    item: int | None  # index of the goal item (0-based) when found in the goals section
    start: int
    numbers: tuple[str, ...] = ()
    note: str | None = None


def _op_before(pre: str) -> tuple[str | None, str]:
    p = pre.rstrip()
    for word, op in sorted(_OP_BEFORE, key=lambda x: -len(x[0])):
        if p.endswith(word):
            return op, p[: -len(word)]
    return None, p


def _op_after(post: str) -> str | None:
    q = post.lstrip()
    for word, op in _OP_AFTER:
        if q.startswith(word):
            return op
    return None


def _clean_subject(s: str) -> str:
    s = re.sub(r"^[\s,，、:：;；.。]+|[\s,，、:：;；]+$", "", s)
    s = re.sub(r"^(目标\s*\d+\s*[:：]?)", "", s)
    changed = True
    while changed:
        changed = False
        for w in _LEAD_VERBS:
            if s.startswith(w) and len(s) > len(w) + 1:
                s = s[len(w):]
                changed = True
    s = re.sub(r"^\d{4}年(度)?", "", s)
    s = re.sub(r"(均|都|各|将|要|应|须|必须|需)$", "", s)
    s = re.sub(r"[在于]?(发现|接报|受理)?后$", "", s)
    s = re.sub(r"(每年|每月|每季度|全年|年度)$", "", s)
    return s.strip(" ,，、")


def _strip_action(s: str) -> str:
    for v in _ACTION_VERBS:
        if s.startswith(v) and len(s) - len(v) >= 2:
            return s[len(v):]
    return s


def make_name(subject: str, unit: str, topic: str | None, per: str | None) -> str:
    """A measurable noun phrase from the words around a figure (subject) and its unit."""
    s = subject
    if unit == "%" or unit == "‰" or unit == "个百分点":
        if not re.search(r"(率|比例|占比|比重|满意度|水平|指数|覆盖面|程度)$", s):
            s = s + "率"
        return _with_topic(s, topic)
    if _MEASURE_END.search(s):
        return _with_topic(_strip_action(s) if unit in ("万元", "元", "亿元") else s, topic)
    measure = _MEASURE_BY_UNIT.get(unit, "数量")
    s = _strip_action(s)
    if unit in ("人", "名", "万人") and s.endswith(("人员", "对象", "学生", "人口", "干部", "教师", "群众", "儿童", "老人", "职工")):
        base = s[:-2] if s.endswith("人员") else s
        return _with_topic(base + "人数" if not s.endswith("人员") else base + "人数", topic)
    if unit in ("人", "名", "万人") and s.endswith("人"):
        return _with_topic(s + "数", topic)
    if unit in ("户",) and s.endswith("户"):
        return _with_topic(s + "数", topic)
    return _with_topic(s + measure, topic)


def _with_topic(name: str, topic: str | None) -> str:
    if topic and topic not in name and len(name) <= 12 and not name.startswith(topic[:2]):
        return topic + name
    return name


def classify(name: str, pv: ParsedValue, unit: str) -> str:
    """The 二级 concept of a stated target, from its unit and keywords (issue #3's mapping)."""
    n = name
    if "满意" in n:
        return "satisfaction"
    if pv.kind in (ValueKind.DEADLINE, ValueKind.PERIOD):
        return "timeliness"
    if unit in _TIME_UNITS and (pv.op in ("≤", "<") or re.search(r"时限|时间|周期|天数|修复|响应|办结", n)):
        return "timeliness"
    if unit in _TIME_UNITS:
        return "quality"
    if re.search(r"及时率|按时|按期|时限|完成时间", n):
        return "timeliness"
    if unit in ("万元", "元", "亿元") or (unit and unit.startswith(("元/", "万元/"))):
        if re.search(r"产值|收入|增收|效益|节约|节支|挽回|带动|研发投入|销售|营业额", n):
            return "economic"
        if re.search(r"贷款|发放额", n):
            return "quantity"
        return "cost"
    if re.search(r"排放|绿化|水质|造林|植被|污染物|削减|治理率|空气质量|节能|减排|无害化|森林覆盖|水土流失|"
                 r"恢复灌溉|改善灌溉|新增灌溉|灌溉达标|排水达标", n):
        return "ecological"
    if re.search(r"使用年限|长效|机制|持续运营|可持续", n):
        return "sustainable"
    if re.search(r"受益|带动|知晓率|入学率|巩固率|就业率|升学率|治愈率|普及率|脱贫|增收|失业率", n):
        return "social"
    if unit in ("%", "‰", "个百分点") or re.search(r"合格率|准确率|达标率|覆盖率|完好率|优良率|可用率|在线率|率$", n):
        return "quality"
    return "quantity"


@dataclass
class Clause:
    text: str  # the clause, numerals normalised
    sentence: str  # the original sentence (evidence)
    section: str
    item: int | None
    topic: str | None
    start: int


def iter_clauses(sections: list[Section], goal_items: list[tuple[int, str]]) -> list[Clause]:
    out: list[Clause] = []
    for sec in sections:
        if sec.kind in ("duties", "project"):
            continue
        if sec.kind == "goals" and goal_items:
            chunks = goal_items
        else:
            chunks = [(None, sec.text)]  # type: ignore[list-item]
        for item, chunk in chunks:
            for sent in re.split(r"(?<=[。；;!！?？\n])", chunk):
                sent = sent.strip()
                if not sent:
                    continue
                norm = arabize(sent)
                topic = None
                for k, clause in enumerate(re.split(r"，|,(?!\d{3}(?:\D|$))", norm)):
                    clause = clause.strip()
                    if not clause:
                        continue
                    if k == 0:
                        topic = _topic(clause)
                    out.append(Clause(clause, sent, sec.kind, item, topic, sec.start))
    return out


def _topic(first_clause: str) -> str | None:
    """The object of an opening clause like 扩大养老保险覆盖面 / 巩固免疫规划成果 → 养老保险 / 免疫规划."""
    first_clause = re.sub(r"^.*目标\s*\d+\s*[:：]\s*", "", first_clause)
    m = re.match(r"^(?:扩大|提高|提升|巩固|做好|推进|加强|完善|落实|稳定和扩大|稳定|保障|维护|优化|深化)"
                 r"(?P<obj>[\u4e00-\u9fff]{2,8}?)(?:覆盖面|成果|水平|工作|质量|体系|底线|环境)$", first_clause)
    if m:
        return m.group("obj")
    return None


def find_targets(clauses: list[Clause], year: int | None) -> list[Target]:
    out: list[Target] = []
    for c in clauses:
        out.extend(_targets_in_clause(c, year))
    return out


_ZERO_EVENT = re.compile(r"(?:不发生|无|杜绝|零)(?P<obj>[\u4e00-\u9fff、]{2,20}?)(?:事件|事故)")
_DEADLINE_IN = re.compile(r"(?P<date>(?:(?P<y>\d{4})年)?(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})日|底|末|份)?)\s*(?:前|之前|以前)"
                          r"(?P<verb>[\u4e00-\u9fff]{0,8})")
_YEAR_END = re.compile(r"(?P<w>年内|年底前|年末前|年底|当年)\s*(?P<verb>完成[\u4e00-\u9fff]{0,10}|[\u4e00-\u9fff]{0,6})")
_ENUM = re.compile(r"分别(?:为|是|达到)")
_STANDARD = re.compile(r"按(?:照)?(?P<per>(?:每[\u4e00-\u9fff]{1,3}){1,2})\s*(?P<num>\d[\d,]*(?:\.\d+)?)\s*(?P<unit>元|万元)(?:的)?标准"
                       r"(?P<rest>[\u4e00-\u9fff]{0,20})")


def _per_unit(per: str) -> str:
    parts = re.findall(r"每([\u4e00-\u9fff]{1,3}?)(?=每|$)", per)
    parts = [{"生": "生", "人": "人", "天": "天", "日": "天", "年": "年", "月": "月"}.get(p, p) for p in parts]
    return "·".join(parts)


def _targets_in_clause(c: Clause, year: int | None) -> list[Target]:
    t = c.text
    found: list[Target] = []
    # 不发生…事件 → =0次
    zm = _ZERO_EVENT.search(t)
    if zm:
        name = zm.group("obj").lstrip("因") + ("事件" if "事件" in t[zm.start():zm.end() + 2] else "事故") + "发生次数"
        pv = parse("=0次")
        found.append(Target(name, "=0次", pv, "quality", c.sentence, c.section, c.item, c.start,
                            note="原文为“不发生”，取值0"))
    # subsidy standards: 按每生每天5元标准…
    for sm in _STANDARD.finditer(t):
        unit = f"{sm.group('unit')}/{_per_unit(sm.group('per'))}"
        value = f"={sm.group('num').replace(',', '')}{unit}"
        rest = re.sub(r"^(为|给予|向|对)?[\u4e00-\u9fff]{0,12}?(提供|发放|核定|补助)", r"\2", sm.group("rest"))
        before = _clean_subject(re.split(r"[,，;；]", t[: sm.start()])[-1])
        before = re.sub(r"^(散居|集中)?$", "", before) if len(before) < 3 else before
        base = before if len(before) >= 3 else (rest if len(rest) >= 2 and rest not in ("发放", "核定")
                                                 else (c.topic or "补助"))
        name = re.sub(r"^(提供|发放)", "", base) + ("标准" if not base.endswith("标准") else "")
        if name == "标准":
            name = "补助标准"
        pv = parse(value)
        found.append(Target(name, value, pv, "cost", c.sentence, c.section, c.item, c.start,
                            (sm.group("num"),)))
    if found and _STANDARD.search(t):
        return found
    # deadlines: …月…日前完成 / 年内完成
    dms = list(_DEADLINE_IN.finditer(t))
    dm = dms[0] if dms else None
    prev_end = 0
    for dm in dms:
        y = int(dm.group("y")) if dm.group("y") else year
        d = dm.group("d")
        end = "底" if ("底" in dm.group("date") or "末" in dm.group("date")) else ""
        value = f"{str(y) + '年' if y else ''}{int(dm.group('m'))}月{(str(int(d)) + '日') if d else end}前"
        verb = dm.group("verb") or (dms[-1].group("verb") if dms[-1].group("verb") else "完成")
        subj = _clean_subject(t[prev_end: dm.start()].strip("、,，"))
        subj = re.sub(r"(计划|于|在|要|应)$", "", subj)
        if dm is not dms[0] and len(subj) <= 4 and dms[0].start() > 0:
            first = _clean_subject(t[: dms[0].start()])
            subj = re.sub(r"(计划|于|在|要|应)$", "", subj) + re.sub(r"^[\u4e00-\u9fff]{1,4}学期", "", first)
        name = _deadline_name(subj or c.topic or "", verb)
        pv = parse(value)
        prev_end = dm.end()
        if pv.kind is ValueKind.DEADLINE:
            found.append(Target(name, value, pv, "timeliness", c.sentence, c.section, c.item, c.start,
                                tuple(x for x in (dm.group("y"), dm.group("m"), d) if x)))
    for dm2 in reversed(dms):
        t = t[: dm2.start()] + " " * (dm2.end() - dm2.start()) + t[dm2.end():]
    ym = _YEAR_END.search(t)
    if ym and year and not dms and re.search(r"完成|建成|投入|投运|竣工|完工|通过|发放", t):
        verb = ym.group("verb") or "完成"
        subj = _clean_subject(t[: ym.start()]) or c.topic or ""
        name = _deadline_name(subj, verb)
        value = f"{year}年12月底前"
        found.append(Target(name, value, parse(value), "timeliness", c.sentence, c.section, c.item, c.start,
                            (str(year),), note=f"原文为“{ym.group('w')}”"))
    # enumerations: A、B、C…分别为X、Y、Z
    em = _ENUM.search(t)
    if em:
        enum = _enumeration(c, em)
        if enum:
            return found + enum
    for m in _TARGET.finditer(t):
        tg = _figure(c, t, m, year)
        if tg:
            found.append(tg)
    return found


def _unit_cost(c: Clause, label: str, num: str, unit: str, avg: str | None, per_unit: str | None, pre: str,
               post: str) -> Target | None:
    """人均…94元 / 亩均财政投入1800元 / 单座水库投资控制在180万元以内 / 每家奖励20万元 → a cost row."""
    per = per_unit or {"人均": "人", "亩均": "亩", "户均": "户", "生均": "生", "单座": "座", "单个": "个", "单台": "台",
                       "每家": "家", "每座": "座", "每个": "个", "每人": "人", "每户": "户", "每亩": "亩", "每生": "生",
                       "每公里": "公里"}.get(avg or "", "")
    if not per:
        return None
    op, core = _op_before(pre)
    after = _op_after(post)
    op = after or op
    name = _clean_subject(re.split(r"[,，、;；]", core)[-1])
    name = re.sub(r"(每[\u4e00-\u9fff]{1,2}?)+$", "", name).strip()
    name = re.sub(r"^(对|按照|按|其中)", "", name)
    if re.search(r"标准|补助|奖励|补贴", name) and op in (None, "="):
        op = "="
        if not name.endswith("标准"):
            name += "标准"
    elif op is None or op == "≥":
        op = "≤"
    if len(name) < 2:
        name = (c.topic or "") + "单位成本"
    value = f"{op}{num.replace(',', '')}{unit}/{per}"
    pv = parse(value)
    return Target(name, value, pv, "cost", c.sentence, c.section, c.item, c.start, (num,))


def _deadline_name(subject: str, verb: str) -> str:
    verb = re.sub(r"^(并|且)", "", verb)
    if not subject and len(verb) > 3 and verb.startswith("完成"):
        obj = re.split(r"并|和|及", verb[2:])[0]
        subject, verb = re.sub(r"^(全部|所有|全年)", "", obj), "完成"
    if not verb or verb in ("完成",):
        verb = "完成"
    elif verb.startswith("完成"):
        verb = "完成"
    subject = _strip_action(subject)
    subject = re.sub(r"(完成|建成|投入使用|投入运行)$", "", subject)
    return f"{subject}{verb}时间" if subject else f"{verb}时间"


def _enumeration(c: Clause, em: re.Match) -> list[Target]:
    left = _clean_subject(c.text[: em.start()])
    right = c.text[em.end():]
    per = re.match(r"((?:每[\u4e00-\u9fff]{1,3}){1,2})", right)
    per_unit = _per_unit(per.group(1)) if per else None
    values = list(_TARGET.finditer(right))
    m_sub = re.match(r"^(?P<items>[\u4e00-\u9fff]{1,6}(?:、[\u4e00-\u9fff]{1,6})+)(?P<rest>[\u4e00-\u9fff]*)$", left)
    if not m_sub or len(values) < 2:
        return []
    items = m_sub.group("items").split("、")
    rest = m_sub.group("rest")
    if len(items) != len(values):
        return []
    out = []
    for item, vm in zip(items, values):
        unit = vm.group("unit") + (f"/{per_unit}" if per_unit and vm.group("unit") in ("元", "万元") else "")
        name = item + rest
        op = "=" if "标准" in name else "≥"
        value = f"{op}{vm.group('num').replace(',', '')}{unit}"
        pv = parse(value)
        out.append(Target(name, value, pv, classify(name, pv, vm.group("unit")), c.sentence, c.section, c.item,
                          c.start, (vm.group("num"),)))
    return out


_TABLE_WORDS = r"指标|年度计划|绩效标准|指标值|填报|审签"


def _figure(c: Clause, t: str, m: re.Match, year: int | None) -> Target | None:
    num, unit, mult = m.group("num"), m.group("unit"), m.group("mult")
    pre, post = t[: m.start()], t[m.end():]
    if len(re.findall(r"\d+(?:\.\d+)?", c.text)) > 6:
        return None  # a run of figures is table debris (a pasted PDF), not a sentence
    if re.search(r"\s|[:：]", pre.rstrip()):
        pre = re.split(r"\s|[:：]", pre.rstrip())[-1] + pre[len(pre.rstrip()):]
    # not targets: document numbers, years, dates, ages, parameters, baselines, background facts
    if re.search(r"[〔\[【(（]\s*\d*$", pre) and re.match(r"\s*[〕\]】)）]?\s*\d*\s*号", post) or re.match(r"\s*号", post):
        return None
    if pre.endswith(("第", "每", "约")) or re.match(r"\s*(岁|周岁|年级|型|级以上|级)", post):
        return None
    if unit == "年" and (re.match(r"\d{4}$", num) or not re.search(r"年限|期限|保修|寿命", pre + post)):
        return None
    if unit == "月" or (unit == "日" and not re.match(r"\s*内", post)) or (unit == "天" and re.search(r"按\S*$", pre)):
        return None
    if re.search(r"按[\u4e00-\u9fff]{0,8}$", pre) and re.match(r"\s*(计|测算|核定)", post):
        return None
    if _BASELINE_BEFORE.search(pre):
        return None
    if re.match(r"\s*(的标准|标准|/)", post) and unit not in ("元", "万元"):
        return None
    if _SKIP_CONTEXT.search(c.text) and not re.search(r"不少于|不低于|以上|达到|完成|提高", pre[-8:]):
        return None
    per_unit = None
    pm = re.search(r"(?:每((?:[\u4e00-\u9fff]{1,2}?))){1}(?:每([\u4e00-\u9fff]))?\s*(?:不低于|不少于|不超过|达到|为|约)?$", pre)
    if pm and unit not in ("%",):
        per_unit = "·".join(x for x in pm.groups() if x)
    if c.section == "funding" and unit not in ("元", "万元", "亿元"):
        return None
    if unit in ("元", "万元", "亿元"):
        label = re.split(r"[,，、;；]", pre)[-1]
        avg = re.search(r"(人均|亩均|户均|生均|单座|单个|单台|每家|每座|每个|每人|每户|每亩|每生|每公里)", label)
        if avg or per_unit:
            return _unit_cost(c, label, num, unit, avg.group(1) if avg else None, per_unit, pre, post)
        if not re.search(r"产值|收入|增收|效益|节约|节支|挽回|带动|研发投入|销售|营业额|贷款|发放额", label + post[:6]):
            return None  # funding figures are read by extract_funding
    if c.section in ("content", "intro", "long") and not _CUE.search(c.text):
        return None
    op, pre_core = _op_before(pre)
    after = _op_after(post)
    if after and (op is None or op == "≥" and after == "≥"):
        op = after
    elif after == "≤" and op in ("≤", None):
        op = "≤"
    if unit in _TIME_UNITS and re.match(r"\s*内", post):
        op = "≤"
    place = re.match(r"\s*(乡镇|行政村|村|社区|街道|镇)", post)
    if place and "覆盖" not in c.text:
        return None  # scope (在3个乡镇的26个行政村…), not a target
    if place:
        pre_core = "覆盖" + place.group(1)
    pre_core = re.sub(r"^.*?在[^,，]*?(乡镇|村|社区|县|区|街道|市)(的)?(?=[\u4e00-\u9fff])", "", pre_core)
    if re.match(r"^\s*在[^,，]{1,20}(乡镇|村|社区|县|区|街道|市|省)[、,，和及]?$", pre_core):
        return None
    subject = _clean_subject(re.split(r"由|从", pre_core)[0])
    subject = re.sub(r"^对", "", subject)
    if subject.endswith("等"):
        subject = ""
    post_obj = re.sub(r"[(（][^)）]{0,6}[)）]", "", post)
    if not subject or len(subject) < 2 or re.fullmatch(r"[\u4e00-\u9fff]{0,1}", subject):
        obj = re.match(r"\s*([\u4e00-\u9fff]{2,12}?)(?:实施|进行|开展|完成|建设|用于|$)", post_obj)
        subject = obj.group(1) if obj else (c.topic or "")
    elif re.search(r"(新建|建设|改造|铺设|采购|配备|种植|培训|完成|开展|组织|举办|选派|认定|新增|创排|设立|建成)$", subject):
        obj = re.match(r"\s*([\u4e00-\u9fff]{2,12})", post)
        if obj and not re.match(r"(以上|以内|以下|左右)", obj.group(1)):
            subject = subject + obj.group(1)
    if re.search(r"[\u4e00-\u9fff]{20,}", subject):
        subject = subject[-16:]
    if not subject or not re.search(r"[\u4e00-\u9fff]{2}", subject) or re.search(_TABLE_WORDS, subject):
        return None
    unit_w = ("万" if mult else "") + unit
    value_num = num.replace(",", "")
    if unit == "%" and op is None:
        op = "=" if float(value_num) == 100 else "≥"
    if op is None:
        op = "≥"
    if unit in _TIME_UNITS and op == "≥" and re.search(r"时限|时间|修复|响应|办结|处置|清除|完成", subject + post[:6]):
        op = "≤"
    per = m.group("per") or (f"/{per_unit}" if per_unit else "")
    value = f"{op}{value_num}{unit_w}{per}"
    name = make_name(subject, unit, c.topic, per or None)
    if unit in _TIME_UNITS and not re.search(r"时限|时间|周期|天数|期限|期$", name):
        name = re.sub(r"(天数|数量)$", "", name) + ("时限" if op in ("≤", "<") else "天数")
    name = re.sub(r"(数量)(数量)$", r"\1", name)
    pv = parse(value, timeliness=unit in _TIME_UNITS)
    return Target(name, value, pv, classify(name, pv, unit), c.sentence, c.section, c.item, c.start,
                  (num,))
