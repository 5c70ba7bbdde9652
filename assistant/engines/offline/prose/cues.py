"""Stage 4: what a figure is — a target, a baseline, a decoy or funding — from the words around it.

Decisions read the cue lists of data/cues.yaml; the order of the checks is the only logic here:

1. date forms: deadlines and recurring days are targets; years, dates, periods, document numbers and
   numbers inside names are not;
2. a threshold inside a definition (造成10人以上受伤的事故) is part of the event's name;
3. a baseline: the first half of a from–to (由72%提高到80%), a baseline word (上年为, 去年, 截至目前已…)
   not used as a comparison (较上年提高5% is a target), or a year before the budget year;
4. staff and organisation counts, population and inventory, place scope — unless a plan word
   (计划, 新增, 完成…) stands between the cue and the figure;
5. money: per-unit sums and standards are cost targets, benefit money is an economic target, budget,
   source and department lines are funding, payouts are cost targets;
6. everything else with a unit is a target.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .lexicon import CUES
from .measures import Figure

_D = CUES["decoys"]
_M = CUES["money"]

REASONS = {
    "year": "年份",
    "date": "日期",
    "period": "时间段（实施期或统计期）",
    "doc_number": "文号",
    "in_name": "名称或编号中的数字",
    "definition": "定义里的门槛（如“10人以上的事故”），不是目标",
    "baseline": "基数或往年数值，不是今年的目标值",
    "staff": "人员编制或内设机构数，不是绩效目标",
    "population": "人口、存量等基本情况，不是目标",
    "background": "背景情况，不是目标",
    "place": "实施地点范围",
    "funding": "资金数额，已填入资金情况",
    "money": "资金数额，未作为指标",
    "duties": "职能描述中的数字",
    "no_unit": "没有计量单位，无法判断是什么数",
    "duplicate": "与已提取的指标重复",
    "duration": "时长，不是目标",
    "basis": "测算依据，不是目标",
    "list_marker": "序号",
    "comparison": "与上年相比的变化量，目标已另写",
    "list_count": "列举的条数，不是目标",
}


@dataclass
class Decision:
    role: str  # target | baseline | decoy | funding
    category: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def reason(self) -> str:
        return REASONS.get(self.category, self.category)


def _find(words: list[str], text: str, *, whole: bool = False) -> tuple[str, int] | None:
    """The cue word of `words` that occurs last in `text`, and its end offset. `whole`: only where the cue
    starts a word (jieba), so 前年 is not found inside 目前年内."""
    best: tuple[str, int] | None = None
    starts = None
    for w in words:
        i = text.rfind(w)
        while whole and i > 0:
            if starts is None:
                from .naming import word_starts

                starts = word_starts(text)
            if i in starts:
                break
            i = text.rfind(w, 0, i)
        if i >= 0 and (best is None or i + len(w) > best[1] or i + len(w) == best[1] and len(w) > len(best[0])):
            best = (w, i + len(w))
    return best


def _plan_after(text: str, pos: int) -> bool:
    return _find(_D["plan"], text[pos:]) is not None


_PER_UNITS = "|".join(sorted((re.escape(u) for u in CUES["units"]["all"] + ["生", "车", "学期", "村", "校", "具", "对", "月"]
                              if re.fullmatch(r"[\u4e00-\u9fff]{1,2}", u)), key=len, reverse=True))
PER_CHAIN = re.compile(rf"每(?:[\u4e00-\u9fff]{{0,3}}?)(?:一|1)?(?P<per>{_PER_UNITS})")
_PER_WORD = {"人均": "人", "亩均": "亩", "户均": "户", "生均": "生", "场均": "场", "次均": "次", "件均": "件", "单台": "台",
             "单个": "个", "单座": "座", "单套": "套", "单次": "次", "单场": "场", "单件": "件", "单车": "辆", "单宗": "宗",
             "单盏": "盏", "单位面积": "平方米"}
_PER_TIME = {"年均": "年", "月均": "月", "日均": "天"}


def per_chain(text: str) -> list[str]:
    """每人每月 → [人, 月]; 每签约一人 → [人]; 每对夫妇 → [对]."""
    out = []
    for m in PER_CHAIN.finditer(text):
        out.append({"日": "天"}.get(m.group("per"), m.group("per")))
    return out


def per_of(left: str, fig: Figure) -> str | None:
    """The per-unit of a sum: 500元/人 → 人; 每人每月500元 → 人·月; 亩均1800元 → 亩; None when not per-unit."""
    if fig.per:
        return fig.per
    parts = per_chain(left[-16:])
    for w, unit in _PER_WORD.items():
        if w in left and unit not in parts:
            parts.insert(0, unit)
    if parts:
        for w, unit in _PER_TIME.items():
            if w in left[-16:] and unit not in parts:
                parts.append(unit)
        return "·".join(dict.fromkeys(parts))
    if re.search(r"(单价|单位成本|平均每|单位造价|每单位|上限)", left[-12:]) or any(
            w in left[-12:] for w in CUES["money"]["per_words"]):
        return ""
    return None


_DEF_RIGHT = re.compile(r"\s*(以上|以下|及以上|及以下|以内)?(的)?([\u4e00-\u9fff]{0,12}?)(的)?([\u4e00-\u9fff]{0,4})")


def is_definition(fig: Figure, clause: str) -> bool:
    """A threshold inside the name of what is counted: 造成10人以上受伤的事故, 单笔50万元以上的支出, 10万元以上的村,
    3个月内实现就业的比例."""
    if fig.kind not in ("quantity", "money"):
        return False
    right = clause[fig.end:]
    if fig.is_time and re.match(r"\s*(内|以内|之内)[\u4e00-\u9fff]{1,12}?(的)?(比例|率|人数|占比|户数|人次)", right):
        return True  # 3个月内实现就业的比例, 20秒内接通率
    if fig.is_time and re.match(r"\s*(内|以内|之内|以上|以下)的[\u4e00-\u9fff]", right):
        return True  # 新入职三年内的青年教师: the time qualifies who is counted
    m = _DEF_RIGHT.match(right)
    if not m:
        return False
    nouns = _D["definition_nouns"]
    tail = (m.group(3) or "") + (m.group(5) or "")
    has_de = bool(m.group(2) or m.group(4))
    if any(x in tail for x in _D["definition_exceptions"]):
        return False
    if m.group(1) and any(tail.startswith(n) for n in nouns):
        return True
    return has_de and len(tail) >= 2 and bool(m.group(1) or m.group(2) or any(n in tail for n in nouns))


def classify(fig: Figure, clause: str, left: str, right: str, *, kind: str, section: str,
             budget_year: int | None, prior_years: list[int], prev: Figure | None) -> Decision:
    """`left`: the clause text from the previous figure to this one; `right`: from this one to the next."""
    k = fig.kind
    if k == "docno":
        return Decision("decoy", "doc_number")
    if k == "period":
        if re.search(r"(服务周期|服务期|运维期|租期|服务时间|合同期|托管期)\s*(为|是|:|：)?\s*$", left):
            return Decision("target", "service_period")  # 服务周期2023.07-2024.01: the period the money buys
        return Decision("decoy", "period")
    if k == "in_name":
        return Decision("decoy", "in_name")
    if k in ("deadline", "recurring", "half"):
        if re.search(r"(截至|截止|到|至)\s*$", left) and not re.match(r"\s*(前|之前)", right) \
                and not re.search(r"(提前|推迟|延后|调整|改|放宽|延长)(到|至)\s*$", left):
            return Decision("decoy", "date")
        if k == "half" and not (re.match(r"\s*(前|之前|以前|内)", right) or re.match(CUES["completion_after_date"],
                                                                                 right)):
            return Decision("decoy", "date")
        if fig.year and budget_year and fig.year < budget_year:
            return Decision("baseline", "baseline")
        if re.match(r"\s*(调整|改|提前|推迟|延后|放宽|延长|压缩)(到|至|为)", right) and re.search(
                r"(由|从)[^,，。;；由从]{0,12}$", clause[:fig.start]):
            return Decision("baseline", "baseline", {"from_to": True})  # 由8月25日前调整为8月20日前
        return Decision("target", "deadline")
    if k in ("date", "year"):
        return Decision("decoy", k)

    if is_definition(fig, clause):
        return Decision("decoy", "definition")
    if re.search(r"按(照)?[^,，;；。]{0,12}$", left) and re.match(r"\s*(左右)?\s*(计|计算|确定|核定|测算|折算|计列)", right):
        return Decision("decoy", "basis")  # 就餐天数按200天计 / 资助面按在校生的20%确定: how a figure is worked out
    if re.match(r"\s*(以上|以下|及以上)?\s*时", right):
        return Decision("decoy", "definition")  # 日降雨量50毫米以上时…: a condition
    if re.match(r"\s*(" + "|".join(("科室", "股室", "内设机构", "事业单位", "直属单位", "下属单位")) + ")", right):
        return Decision("decoy", "staff")
    if re.search(r"(造成|导致|致使|涉及金额|单笔|单项|单次)\s*$", left) and re.match(r"\s*(以上|以下|及以上|及以下)", right):
        return Decision("decoy", "definition")

    # baselines
    if re.match(r"\s*(提高|提升|增加|增长|上升|扩大|下降|降低|减少|压减|压缩|缩短|降|调整|调增|调减|调高|调低|上调|下调|变更|改)"
                r"(到|至|为|成)", right) and re.search(r"(由|从)[^,，。;；由从]{0,12}$", clause[:fig.start]):
        return Decision("baseline", "baseline", {"from_to": True})
    if fig.unit in ("条", "项", "个", "点", "方面", "类", "块", "件") and re.match(
            r"\s*(工作|任务|内容|措施|指标|要求|目标|事项|方面|部分)?\s*[:：]", right):
        return Decision("decoy", "list_count")  # 今年加两条：… — how many items follow
    if fig.kind == "money":
        to = re.fullmatch(r"\s*(提高|提升|增加|上调|下调|调整|调增|调减|降低|下降|减少|压减)(到|至|为|成)\s*", left)
        head = re.search(r"([^,，。;；由从]*)(由|从)[^,，。;；由从]*$", clause[:fig.start]) if to else None
        if head:  # 人均慰问标准由500元提高到600元: the sum is what is named before 由
            left = head.group(1) + left
        return _money(fig, clause, left, right, kind=kind, section=section)
    base = _find(_D["baseline"], left, whole=True)
    if base:
        word, end = base
        before = left[: end - len(word)]
        compared = any(before.rstrip().endswith(c) for c in _D["comparison"]) or re.search(
            r"(较|比|同比|相比|超)[^,，。;；]{0,4}$", before)
        weak = word in _D["baseline_weak"] and (fig.op_before or fig.op_after or _find(_D["future"], left[end:]))
        if not compared and not weak:
            return Decision("baseline", "baseline")
    own = re.split(r"[:：]", left)[-1]  # 2023年度绩效目标：2019年排查… — the heading is not this figure's words
    for y in prior_years:
        if budget_year and y < budget_year and not _find(["计划", "力争", "预计", "确保", "争取", "目标"], own) \
                and str(y) in own + clause[:clause.find(own)] and not re.search(r"(?<!达)(到|至)\s*$", left) and not re.search(r"(由|从|较|比)[^,，]{0,3}\d{4}", clause[:fig.start]):
            return Decision("baseline", "baseline")

    if fig.unit in ("%", "‰", "‱", "个百分点"):
        return Decision("target", "quantity")  # a rate is never a head count or an inventory
    # staff, population and inventory, place scope (unless a plan word follows the cue)
    if re.match(r"\s*(全县|全市|全区|全省|全镇|全乡|全州|辖区内?|我县|我市|我区|本县|本市|本区)", left) and not (
            fig.op_before or fig.op_after) and not _find(_D["plan"] + CUES["content_verbs"], left) and fig.kind == "quantity":
        return Decision("decoy", "population")  # 全县持证残疾人5466人: how things are, not a target
    pm = None
    for pm in re.finditer(_D["possession_re"], left):
        pass
    if pm and not _plan_after(left, pm.end()) and not fig.op_before and not fig.op_after:
        return Decision("decoy", "population")
    for cat in ("staff", "population"):
        hit = _find(_D[cat], left)
        if hit and not _plan_after(left, hit[1]) and not fig.op_before and not fig.op_after and not (
                cat == "population" and _find(_D["benefit_reach"], left[:hit[1]])):
            return Decision("decoy", cat)
    from .naming import cut

    first = cut(right.strip())[0] if right.strip() else ""
    if first in _D["place_units"] and fig.unit in ("个", "") and not re.search(
            r"(覆盖|惠及|辐射|延伸到|扩大到|新增|新建|创建|打造|建设|建成|培育|选派|派驻|帮扶|联系|走访|创成|评选|认定)",
            left if "、" not in left else clause[:fig.start]) \
            and not fig.op_before and not fig.op_after:
        return Decision("decoy", "place")
    if section == "duties" and not fig.op_before and not fig.op_after and not _find(_D["plan"], left):
        return Decision("decoy", "duties")
    if fig.kind == "bare":
        return Decision("target", "bare") if _key_value(left) else Decision("decoy", "no_unit")
    if fig.unit in ("年", "个月", "季度") and not fig.op_before and not fig.op_after and not re.search(
            r"(年限|期限|寿命|服务期|质保|保修|租期|运维期|维保期|托管期|周期|合同期|有效期|使用期|服务|期|时长)\s*(为|是|达)?\s*$",
            left) and not re.search(r"(年限|期限|寿命|服务期)", right[:4]) and not re.match(r"\s*内", right):
        return Decision("decoy", "duration")
    return Decision("target", "quantity")


def _key_value(left: str) -> bool:
    """培训人次：500 / 签约率为75 — a bare number after a name that says what it counts."""
    from .naming import MEASURE_SUFFIXES

    t = re.sub(r"(?:[:：]|为|达到|达|不少于|不低于|不超过|控制在|约|共|是|高于|低于|超过|=|≥|≤|>|<|\s)+$", "", left.strip())
    return len(t) >= 2 and t.endswith(MEASURE_SUFFIXES) and not re.search(r"[\d%]", t[-3:])


def _source(near: str) -> tuple[str, int] | None:
    """A funding source word used as one (县级配套资金, 中央补助), not inside another word (配套设施)."""
    best = None
    for w in _M["source"]:
        for m in re.finditer(re.escape(w), near):
            rest = near[m.end():]
            if re.match(r"\s*$|\s*(财政|资金|补助|拨款|配套|经费|投入|安排|承担|下达|专项|奖补|补贴|债券|自筹|统筹|本级|级)", rest) \
                    and (best is None or m.end() > best[1]):
                best = (w, m.end())
    return best


def _money(fig: Figure, clause: str, left: str, right: str, *, kind: str, section: str) -> Decision:
    per = per_of(left, fig)
    plain = re.sub(r"[(（][^()（）]*[)）]", "", left)  # 追回违规基金（含违约金、罚款）力争…: the aside is not the subject
    near = re.split(r"[:：]", plain)[-1][-14:]  # 安排表：笏石街道办20万元 — the heading's words are not this sum's
    benefit = _find(_M["benefit"], near) or re.match(r"\s*(的)?(收入|收益|产值|效益)", right) or re.search(
        _M["benefit_income_re"], near)
    if benefit and not _find(["成本", "费用", "补助", "补贴", "标准"], near):
        return Decision("target", "benefit_money", {"per": per} if per else {})
    if per is not None:
        return Decision("target", "per_unit", {"per": per})
    dept_line = _find(_M["department"], near)
    if dept_line and len(re.sub(r"[^\u4e00-\u9fff]", "", near[dept_line[1]:])) > 3:
        dept_line = None  # 项目支出为口岸查验设施维护项目620万元: the line names another subject
    if kind == "department" and dept_line and not benefit and not (fig.op_before or fig.op_after):
        return Decision("funding", "funding", {"line": dept_line[0]})
    if kind == "department" and dept_line and not benefit:
        return Decision("target", "benefit_money")  # 业务收入达到55万元: a committed figure, not the budget line
    if benefit:
        return Decision("target", "benefit_money")
    output = _find(_M["output_verbs"], near)
    budget = _find(_M["budget"], near)
    payout = _find(_M["payout"], near)
    src = _source(near)
    if not src and not output and re.search(r"资金来源|来源为|来源是|资金构成", plain):
        src = ("资金来源", 0)  # 资金来源：中央自然灾害救灾资金60万元 — each line after the heading is a source
    if src and not output:
        return Decision("funding", "funding", {"source": src[0]})
    if payout and "贷款" in near[payout[1] - len(payout[0]):]:
        output = payout  # 发放个人住房贷款18亿元 is what the fund delivers
    if output and fig.op_before in ("≥", ">") or output and fig.op_after == "≥":
        return Decision("target", "money_output")  # 追回违规资金不低于386.5万元: a commitment, not a budget
    if output and (not budget or output[1] >= budget[1]):
        return Decision("target", "money_output")
    if budget and (not payout or payout[1] <= budget[1]):
        return Decision("funding", "budget", {"word": budget[0]})
    if payout:
        return Decision("target", "payout")
    return Decision("funding", "budget", {"word": ""})
