"""DOMAIN §4.A — structure of the indicator table (R01–R10), plus header and goal completeness."""

from __future__ import annotations

import re

from collections import defaultdict

from rapidfuzz import fuzz

from ..model import Origin
from ..profiles import Match, _alias_tables, concept_name, norm_label
from ..validator import Context, RowView, has_word, rule, short
from ..values import ValueKind, format_amount


def _set(row: RowView, **fields) -> list[dict]:
    return [{"op": "update_row", "row_id": row.row.id, "fields": fields}]


@rule("R01", "一级/二级指标须属于当前规则版本", "error")
def r01_membership(ctx: Context):
    p = ctx.profile
    allowed = "；".join(f"{t1}：{'、'.join(spec.children)}" for t1, spec in p.tiers.items())
    for r in ctx.rows:
        res = r.res
        if not (r.row.tier1 or r.row.tier2) and not r.row.name:
            continue
        if res.valid:
            continue
        if res.canonical_pair and res.match1 in (Match.MISPLACED, Match.FOREIGN, Match.UNKNOWN, Match.EMPTY):
            t1, t2 = res.canonical_pair
            yield ctx.finding(
                "R01", f"{r.label}：“{r.row.tier1 or '（空）'}/{r.row.tier2}”不是{p.id}版式的层级，"
                       f"“{t2}”应放在“{t1}”之下。",
                fix=f"一级改为“{t1}”，二级改为“{t2}”", row=r, field="tier1", ops=_set(r, tier1=t1, tier2=t2))
        elif res.match2 is Match.FOREIGN and res.tier2_concept:
            yield ctx.finding(
                "R01", f"{r.label}：二级“{r.row.tier2}”（{concept_name(res.tier2_concept)}）在{p.id}版式中不存在。",
                fix=f"改用本版式的二级指标：{allowed}", row=r, field="tier2")
        elif res.match2 in (Match.UNKNOWN, Match.EMPTY):
            what = "未填写" if res.match2 is Match.EMPTY else f"“{r.row.tier2}”无法识别"
            yield ctx.finding("R01", f"{r.label}：二级指标{what}。", fix=f"从本版式的二级指标中选择：{allowed}",
                              row=r, field="tier2")
        else:
            yield ctx.finding("R01", f"{r.label}：一级指标“{r.row.tier1 or '（空）'}”无法识别。",
                              fix=f"从本版式的一级指标中选择：{'、'.join(p.tiers)}", row=r, field="tier1")


@rule("R01A", "层级写法是别名（说明）", "info")
def r01a_alias(ctx: Context):
    seen: set[tuple[str, str]] = set()
    for r in ctx.rows:
        res = r.res
        if not res.valid:
            continue
        for written, match, canon, fld in ((r.row.tier1, res.match1, res.tier1, "tier1"),
                                           (r.row.tier2, res.match2, res.tier2, "tier2")):
            if match is Match.ALIAS and canon and norm_label(written) != canon:
                key = (written, canon)
                ops = _set(r, **{fld: canon})
                if key in seen:
                    yield ctx.finding("R01A", f"{r.label}：“{written}”按本版式写作“{canon}”。", fix=f"改为“{canon}”",
                                      row=r, field=fld, ops=ops)
                    continue
                seen.add(key)
                yield ctx.finding("R01A", f"{r.label}：表中写作“{written}”，{ctx.profile.id}版式写作“{canon}”，"
                                          f"视为同一指标。", fix=f"统一写作“{canon}”", row=r, field=fld, ops=ops)


@rule("R01T", "层级名称有错别字", "warning")
def r01t_typo(ctx: Context):
    for r in ctx.rows:
        if r.res.match2 is Match.TYPO and r.res.tier2:
            yield ctx.finding("R01T", f"{r.label}：二级指标“{r.row.tier2}”有误，应为“{r.res.tier2}”。",
                              fix=f"改为“{r.res.tier2}”", row=r, field="tier2", ops=_set(r, tier2=r.res.tier2))


@rule("R02", "三级指标名称不能照抄一级/二级名称", "error")
def r02_label_as_name(ctx: Context):
    t1, t2, typos = _alias_tables()
    labels = set(t1) | set(t2) | set(typos)
    for spec in ctx.profile.tiers.values():
        labels.update(spec.children)
    for r in ctx.rows:
        bare = re.sub(r"^(?:维持|保持|提高|提升|确保|保证|控制|加强|完成|达到|实现)", "", r.name or "")
        if r.name and (r.name in labels or (bare != r.name and bare in labels)):
            hint = "如“人均培训成本”“项目总成本”" if "成本" in r.name else "如“培训人次”“验收合格率”“受益群众满意度”"
            yield ctx.finding("R02", f"{r.label}：三级指标名称“{r.row.name}”照抄了层级名称，没有说明衡量什么。",
                              fix=f"写出具体的衡量对象和口径，{hint}", row=r, field="name")


UNFILLED = ("/", "／", "\\", "-", "—", "--", "无", "暂无", "空")


@rule("R03", "指标名称和指标值必须填写", "error")
def r03_mandatory(ctx: Context):
    extra_required = [c for c in ctx.profile.columns if c in ("指标解释", "评(扣)分标准", "指标值类型")]
    for r in ctx.rows:
        if not r.row.name and not r.row.value:
            continue  # a blank 二级 line, see R05
        if not r.row.name:
            yield ctx.finding("R03", f"第{r.index + 1}行：有指标值“{short(r.row.value)}”但没有指标名称。",
                              fix="补写指标名称，或删除此行", row=r, field="name")
        elif r.pv.kind is ValueKind.EMPTY or r.row.value.strip() in UNFILLED:
            yield ctx.finding("R03", f"{r.label}：指标值未填写{'（只写了“' + r.row.value.strip() + '”）' if r.row.value.strip() else ''}。", fix="填写目标值，如“≥N人”“=100%”“2025年12月底前”",
                              row=r, field="value")
        if r.row.extra and extra_required:
            for col in extra_required:
                if col in r.row.extra and not r.row.extra[col].strip():
                    yield ctx.finding("R03", f"{r.label}：必填列“{col}”为空。", fix=f"填写“{col}”", row=r, field=col)


def _coverage_present(ctx: Context, concept: str) -> bool:
    # a row under the wrong 一级 still covers its concept: R01 reports the placement
    return any((r.c1 == concept or r.c2 == concept) and r.row.name for r in ctx.rows)


@rule("R04", "产出、效益、成本、满意度指标齐全", "warning")
def r04_coverage(ctx: Context):
    if not ctx.rows:
        yield ctx.finding("R04", "表中还没有任何绩效指标。", fix="补充产出、效益、满意度等指标", severity="error")
        return
    p = ctx.profile
    budget = ctx.draft.budget_wan()
    for concept, sev in p.coverage.items():
        if _coverage_present(ctx, concept):
            continue
        loc = p.tier2_location(concept)
        where = f"{loc[0]}/{loc[1]}" if loc else (p.tier1_label(concept) or concept_name(concept))
        if concept == "cost":
            yield from _missing_cost(ctx, where, sev, budget)
            continue
        example = {"output": "如“培训人次 ≥N人次”", "benefit": "如“受益群众人数 ≥N人”",
                   "satisfaction": "如“服务对象满意度 ≥90%”（写明评价主体）"}.get(concept, "")
        yield ctx.finding("R04", f"表中没有{concept_name(concept)}指标。", fix=f"在“{where}”下补充指标{example}",
                          severity=sev, field=f"tier:{concept}")


def _missing_cost(ctx: Context, where: str, sev: str, budget: float | None):
    loc = ctx.profile.tier2_location("cost")
    d = ctx.draft
    projects = [p for p in d.projects if (p.annual_budget or p.total_budget)]
    ops: list[dict] = []
    if loc and projects:
        for p in projects:
            amount = p.annual_budget if p.annual_budget is not None else p.total_budget
            ops.append({"op": "add_row", "row": {
                "goal": 1 if d.goals else None, "tier1": loc[0], "tier2": loc[1], "name": f"{p.name}支出",
                "value": f"≤{_num4(amount)}{d.funding.unit}", "standard": "预算支出标准", "origin": Origin.EXTRACTED.value,
                "evidence": f"项目支出：{p.name} {_num4(amount)}{d.funding.unit}"}})
        money = "、".join(f"{p.name}{_num4(p.annual_budget or p.total_budget)}{d.funding.unit}" for p in projects)
        msg = f"表中有项目支出（{money}），但没有成本指标。"
        fix = f"在“{where}”下按项目补充成本指标，如“{ops[0]['row']['name']} {ops[0]['row']['value']}”（预算支出标准）"
    elif loc and budget is not None and ctx.is_project:
        ops.append({"op": "add_row", "row": {
            "tier1": loc[0], "tier2": loc[1], "name": "项目总成本", "value": f"≤{_num4(budget)}万元",
            "standard": "预算支出标准", "origin": Origin.EXTRACTED.value, "evidence": f"项目资金{_num4(budget)}万元"}})
        msg = f"项目资金{_num4(budget)}万元，但表中没有成本指标。"
        fix = f"在“{where}”下补充“项目总成本 ≤{_num4(budget)}万元”，或按单价写“补助标准”“人均培训成本”等"
    else:
        msg = "表中没有成本指标。"
        fix = f"在“{where}”下补充成本指标，如“项目总成本 ≤预算数”“人均培训成本 ≤N元/人”"
    yield ctx.finding("R04", msg, fix=fix, severity=sev, field="tier:cost", ops=ops or None)


def _num4(x: float | None) -> str:
    return format_amount(x, digits=4)


@rule("R05", "空白二级行（说明）", "info")
def r05_blank(ctx: Context):
    for r in ctx.rows:
        if not r.row.name and not r.row.value and r.row.tier2:
            yield ctx.finding("R05", f"第{r.index + 1}行：二级指标“{r.row.tier2}”下没有三级指标。",
                              fix="确实不适用可留空；能明确的二级指标都应填写", row=r)


_MEASURES = ("满意度", "合格率", "完成率", "达标率", "覆盖率", "及时率", "准确率", "人次", "人数", "户数", "次数",
             "数量", "面积", "里程", "标准", "成本", "金额", "比例", "时间", "年限", "率")


def _measure(name: str) -> tuple[str, str]:
    for m in _MEASURES:
        if name.endswith(m):
            return name[: -len(m)], m
    return name, ""


@rule("R06", "指标重复或矛盾", "error")
def r06_duplicates(ctx: Context):
    groups: dict[tuple, list[RowView]] = defaultdict(list)
    for r in ctx.rows:
        if r.name:
            groups[(r.row.goal, r.row.scope, r.name)].append(r)
    dup_ids: set[int] = set()
    for (_, _, name), rs in groups.items():
        if len(rs) < 2:
            continue
        first = rs[0]
        for r in rs[1:]:
            dup_ids.add(r.index)
            differ = r.row.value != first.row.value or r.row.tier2 != first.row.tier2
            what = "且指标值或二级不同，互相矛盾" if differ else "内容相同"
            ops = None if differ else [{"op": "delete_row", "row_id": r.row.id}]
            yield ctx.finding("R06", f"{r.label}与第{first.index + 1}行指标名称相同，{what}。",
                              fix="合并为一行" if differ else "删除重复行", row=r, field="name", ops=ops)
    # near duplicates: same measure, nearly the same object
    by_goal: dict[tuple, list[RowView]] = defaultdict(list)
    for r in ctx.rows:
        if r.name and r.index not in dup_ids and r.pv.kind is not ValueKind.PLACEHOLDER:
            by_goal[(r.row.goal, r.row.scope)].append(r)
    for rs in by_goal.values():
        # compare only rows with the same measure and the same value; big tables are bounded by R32 anyway
        buckets: dict[tuple, list[tuple[str, RowView]]] = defaultdict(list)
        for r in rs:
            obj, measure = _measure(r.name)
            if measure and len(obj) >= 3:
                buckets[(measure, r.row.value)].append((obj, r))
        for items in buckets.values():
            if len(items) < 2 or len(items) > 300:
                continue
            for i, (oa, a) in enumerate(items):
                for ob, b in items[i + 1:]:
                    if a.name != b.name and fuzz.ratio(oa, ob) >= 88:
                        yield ctx.finding("R06", f"{b.label}与第{a.index + 1}行「{short(a.row.name)}」几乎相同。",
                                          fix="确认是否重复；如是，合并为一行", row=b, field="name", severity="warning")


def _is_satisfaction_name(ctx: Context, name: str) -> bool:
    return has_word("satisfaction_words", name) is not None


@rule("R07", "满意度只能放在满意度指标下", "warning")
def r07_satisfaction_place(ctx: Context):
    loc = ctx.profile.tier2_location("satisfaction")
    sat_rows = [r for r in ctx.rows if r.c2 == "satisfaction"]
    for r in ctx.rows:
        if r.c2 == "satisfaction" or not _is_satisfaction_name(ctx, r.name) or not loc:
            continue
        same_goal = [s for s in sat_rows if s.row.goal == r.row.goal]
        if same_goal:
            s = same_goal[0]
            yield ctx.finding(
                "R07", f"{r.label}是满意度，却放在“{r.row.tier2}”下，且与满意度指标第{s.index + 1}行"
                       f"「{short(s.row.name)}」重复。",
                fix="删除此行，满意度只在满意度指标下保留一行；本二级改写真实效果，如“降尘作业覆盖道路里程”“受益群众人数”",
                row=r, field="tier2")
        else:
            yield ctx.finding("R07", f"{r.label}是满意度，却放在“{r.row.tier2}”下。",
                              fix=f"移到“{loc[0]}/{loc[1]}”", row=r, field="tier2",
                              ops=_set(r, tier1=loc[0], tier2=loc[1]))


STANDARD_CONCEPTS = {"quantity", "quality", "timeliness", "cost", "economic", "social", "ecological", "sustainable",
                     "satisfaction", "cost_social", "cost_ecological"}


@rule("R08", "指标归类（质量/数量/效益）", "warning")
def r08_classification(ctx: Context):
    lex = ctx.lex
    for r in ctx.rows:
        if not r.name or not r.res.valid or r.c2 not in STANDARD_CONCEPTS or _is_satisfaction_name(ctx, r.name):
            continue
        # money-valued rows belong under 成本 unless they measure a benefit
        if (r.pv.unit and "元" in r.pv.unit and r.c2 in ("quantity", "quality", "timeliness")
                and not any(w in r.name for w in lex["money_benefit_words"])):
            loc = ctx.profile.tier2_location("cost")
            if loc and not any(w in r.name for w in lex["input_words"]):
                yield ctx.finding("R08", f"{r.label}的指标值是金额（{r.row.value}），却放在“{r.row.tier2}”下。",
                                  fix=f"补助标准、单价、经费类指标列入“{loc[0]}/{loc[1]}”", row=r, field="tier2",
                                  ops=_set(r, tier1=loc[0], tier2=loc[1]))
            continue
        for cls in lex["classes"]:
            hit = next((w for w in cls["words"] if w in r.name), None)
            if not hit:
                continue
            if r.c2 not in cls["allowed"]:
                loc = ctx.profile.tier2_location(cls["suggest"])
                if loc:
                    yield ctx.finding(
                        "R08", f"{r.label}含“{hit}”，通常属于{concept_name(cls['suggest'])}指标，"
                               f"而不是“{r.row.tier2}”。",
                        fix=f"移到“{loc[0]}/{loc[1]}”，或改写指标名称使其与所在二级一致", row=r, field="tier2",
                        ops=_set(r, tier1=loc[0], tier2=loc[1]))
            break


@rule("R09", "预算执行等过程指标不能作为项目产出/效益", "warning", families=("project",))
def r09_process(ctx: Context):
    for r in ctx.rows:
        hit = next((w for w in ctx.lex["process_words"] if w in r.name), None)
        if hit:
            yield ctx.finding("R09", f"{r.label}是预算管理过程指标（{hit}），不反映项目产出或效果。",
                              fix="换成项目的实际产出，如“完成XX工程数量”“补助发放户数”“验收合格率”", row=r, field="name")


@rule("R10", "投入（资金、人员）不能作为数量指标", "warning")
def r10_inputs(ctx: Context):
    qty = [r for r in ctx.rows if r.c2 == "quantity" and r.row.name]
    for r in qty:
        money = (bool(r.pv.unit and "元" in r.pv.unit) or (r.pv.mult == 10_000 and not r.pv.unit)) and not any(
            w in r.name for w in ctx.lex["money_benefit_words"])
        hit = next((w for w in ctx.lex["input_words"] if w in r.name), None)
        if not (money or hit):
            continue
        only = len(qty) == 1
        yield ctx.finding(
            "R10", f"{r.label}是投入（{'资金' if money else hit}），不是产出数量"
                   f"{'，且是唯一的数量指标' if only else ''}。",
            fix="数量指标写完成了什么，如“完成价格认定案件数 ≥N件”“培训人次 ≥N人次”；资金放在成本指标", row=r,
            field="name", severity="error" if only else None)


@rule("G01", "年度目标与指标对应", "error")
def g01_goals(ctx: Context):
    d = ctx.draft
    n = len(d.goals)
    for r in ctx.rows:
        if r.row.goal is not None and (r.row.goal < 1 or (n and r.row.goal > n)):
            yield ctx.finding("G01", f"{r.label}属于年度目标{r.row.goal}，但表中只有{n}个年度目标。",
                              fix="修正所属目标序号，或补写该年度目标", row=r, field="goal")
    if d.kind.value == "department" and ctx.rows and not d.goals:
        yield ctx.finding("G01", "部门整体表没有填写年度目标。", fix="按“目标1：…”逐条写明年度目标，每个目标配一组指标",
                          field="goals", severity="warning")
    linked = any(r.row.goal is not None for r in ctx.rows)  # project forms often list goals without linking rows
    for i, g in enumerate(d.goals, 1):
        if n > 1 and linked and not any(r.row.goal == i for r in ctx.rows):
            yield ctx.finding("G01", f"年度目标{i}「{short(g.text)}」下没有任何指标。", fix="为该目标补充指标，或删除该目标",
                              field=f"goal[{i}]", severity="warning")
