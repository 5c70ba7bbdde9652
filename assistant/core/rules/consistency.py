"""DOMAIN §4.C — consistency with targets, funding and period (R25–R33)."""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from ..model import Scope
from ..profiles import norm_label
from ..validator import Context, ends_with_word, lex_re, rule, short
from ..values import ValueKind, arabize, normalize_text, parse

_YEARISH = re.compile(r"(19|20)\d{2}\s*(年|\.|-|/|—|至)")
_GOAL_NUM = re.compile(r"(?:目标|任务)\s*\d+|^\s*\d+\s*[、.．:：)]|〔\d{4}〕\s*\d+\s*号|\d+\s*号")
_TARGET_NUM = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(万|亿)?\s*(%|人次|人|户|个|家|所|座|台|套|辆|次|期|篇|份|项|名|亩|公里|平方米|吨|株|场|元|万元|天|小时)?")


def _goal_numbers(text: str) -> list[tuple[float, str]]:
    """Target figures in a goal sentence, leaving out years, goal numbers and document numbers."""
    t = normalize_text(arabize(text))
    t = _GOAL_NUM.sub(" ", t)
    out = []
    for m in _TARGET_NUM.finditer(t):
        before = t[max(0, m.start() - 6):m.start()]
        if _YEARISH.match(t, m.start()) or before.endswith("第") or re.search(r"[A-Za-z/]\s*$", before):
            continue  # years, ordinals, standard codes (CJJ/T 126)
        if re.search(r"(由|从|上年的?|去年|现为|目前)$", before):
            continue  # a baseline, not a target
        if re.match(r"\s*(型|级|类|代|版|届|年)", t[m.end():]) and not m.group(3):
            continue
        if re.fullmatch(r"(19|20)\d{2}", m.group(1)) and not m.group(3):
            continue
        if re.match(r"\s*(月|日|号|岁|周岁|时|点|季度)", t[m.end():]) and not m.group(3):
            continue  # dates, ages and times are not targets
        num = float(m.group(1).replace(",", ""))
        mult = {"万": 10_000, "亿": 100_000_000}.get(m.group(2) or "", 1)
        unit = m.group(3) or ""
        if unit in ("元", "万元"):
            continue  # money in goals is funding, checked by F-rules
        out.append((num * mult, m.group(0).strip()))
    return out


def _row_magnitudes(ctx: Context) -> set[float]:
    mags: set[float] = set()
    for r in ctx.rows:
        pv = r.pv
        if pv.magnitude is not None:
            mags.add(round(pv.magnitude, 6))
        if pv.kind is ValueKind.TEXT:
            for part in re.split(r"[;；,，、]", normalize_text(r.row.value)):
                p = parse(part)
                if p.magnitude is not None:
                    mags.add(round(p.magnitude, 6))
    return mags


@rule("R25", "目标中的数字须有对应指标", "error")
def r25_targets(ctx: Context):
    texts = [(f"goal[{i}]", f"年度目标{i}", g.text) for i, g in enumerate(ctx.draft.goals, 1)]
    if ctx.draft.long_term_goal and ctx.draft.kind.value == "project":
        texts.append(("long_term_goal", "实施期目标", ctx.draft.long_term_goal))
    mags = _row_magnitudes(ctx) if texts else set()
    in_names = set(re.findall(r"\d+(?:\.\d+)?", " ".join(r.row.name for r in ctx.rows)))
    for field, label, text in texts:
        for num, shown in _goal_numbers(text):
            if round(num, 6) in mags or num in (0, 1):
                continue
            if re.fullmatch(r"[\d.]+", shown) and shown in in_names:
                continue  # 12345热线: a number that names something in the table
            yield ctx.finding("R25", f"{label}写了“{shown}”，但指标表中没有这个数值。",
                              fix=f"补充一个取值为“{shown}”的指标，或修改目标文字使两者一致", field=field)


@rule("R26", "年度目标与长期（实施期）目标区分", "warning")
def r26_annual_vs_long(ctx: Context):
    d = ctx.draft
    lt = normalize_text(d.long_term_goal or "")
    if lt and len(lt) >= 10:
        for i, g in enumerate(d.goals, 1):
            if fuzz.ratio(lt, normalize_text(g.text)) >= 95:
                yield ctx.finding("R26", f"年度目标{i}与{'实施期' if ctx.is_project else '长期'}目标文字相同。",
                                  fix="年度目标只写本年度要完成的部分，如本年完成的工程量、服务期", field=f"goal[{i}]")
    long_rows = {norm_label(r.row.name): r for r in ctx.rows if r.row.scope is Scope.LONG_TERM}
    for r in ctx.rows:
        if r.row.scope is not Scope.ANNUAL:
            continue
        lr = long_rows.get(r.name)
        if lr and r.pv.magnitude is not None and lr.pv.magnitude is not None and r.pv.unit == lr.pv.unit \
                and r.pv.magnitude > lr.pv.magnitude and r.pv.unit != "%":
            yield ctx.finding("R26", f"{r.label}：年度值{r.row.value}大于实施期总值{lr.row.value}。",
                              fix="年度值不应超过实施期总量", row=r, field="value", severity="error")


def _bigrams(text: str) -> set[str]:
    t = re.sub(r"[^\u4e00-\u9fff]", "", text)
    return {t[i:i + 2] for i in range(len(t) - 1)}


_GENERIC_BIGRAMS = _bigrams("数量人数人次户数次数面积里程长度个数完成开展实施项目建设工作情况合格率达标覆盖及时标准"
                            "发放管理服务数量指标质量时效成本")


@rule("R27", "指标与项目内容相关", "warning", families=("project",))
def r27_relevance(ctx: Context):
    subject = ctx.draft.subject_text()
    if len(re.sub(r"\s", "", subject)) < 20:
        return
    subj = _bigrams(subject)
    for r in ctx.rows:
        if r.c2 != "quantity" or not r.name or r.pv.kind is ValueKind.PLACEHOLDER:
            continue
        grams = _bigrams(r.name) - _GENERIC_BIGRAMS
        if len(grams) >= 3 and not grams & subj:
            yield ctx.finding("R27", f"{r.label}与项目名称和内容没有共同关键词，可能是模板遗留或与本项目无关。",
                              fix="删除，或换成本项目的实际产出", row=r, field="name")


@rule("R28", "单价×数量与预算相符", "warning")
def r28_scale(ctx: Context):
    budget = ctx.draft.budget_wan()
    if not budget:
        return
    unit_costs: dict[str, list] = {}
    for r in ctx.rows:
        pv = r.pv
        if r.c2 == "cost" and pv.kind is ValueKind.QUANTITY and pv.unit and "/" in pv.unit and pv.number is not None:
            money, per = pv.unit.split("/", 1)
            if money in ("元", "万元"):
                unit_costs.setdefault(per.split("·")[0], []).append((r, money))
    if not unit_costs:
        return
    quantities: dict[str, object] = {}
    for q in ctx.rows:
        if q.c2 == "quantity" and q.pv.kind is ValueKind.QUANTITY and q.pv.magnitude is not None and q.pv.unit:
            quantities.setdefault(q.pv.unit, q)
    for per, items in unit_costs.items():
        q = quantities.get(per)
        if q is None or len(items) > 1:
            continue  # several unit costs share one quantity (县道/乡道/村道): can't pair them
        r, money = items[0]
        total = r.pv.number * q.pv.magnitude * (1e-4 if money == "元" else 1)
        if total > 1.1 * budget:
            yield ctx.finding(
                "R28", f"{r.label}×第{q.index + 1}行：{r.pv.number:g}{r.pv.unit}×{q.pv.magnitude:g}{per}"
                       f"≈{total:.2f}万元，超过资金{budget:g}万元。",
                fix="核对单价、数量或预算：单价×数量不应超过预算", row=r, field="value")


_SENTENCE = re.compile(r"[，,。；;！]")
_UNIT_IN_NAME = re.compile(r"[(（][^()（）]{1,6}[)）]$")
_NUMBER_IN_NAME = re.compile(r"\d+(\.\d+)?\s*(人次|人|户|个|万元|元|亩|公里|次|%)")


@rule("R29", "指标名称是可衡量的名词短语", "warning")
def r29_names(ctx: Context):
    for r in ctx.rows:
        n = r.name
        if not n:
            continue
        sentence = len(n) > 30 or bool(_SENTENCE.search(n.rstrip("。")))
        m = lex_re("activity_verbs", "start").search(n)
        verb = m.group(0) if m else None
        bare = _UNIT_IN_NAME.sub("", n)
        ends_measure = ends_with_word("measure_suffixes", bare)
        if sentence:
            yield ctx.finding("R29", f"{r.label}：指标名称是一句话（{len(n)}字），不是可衡量的指标。",
                              fix="改成“对象+计量口径”的短语，如“培训人次”“待遇发放准确率”“受益群众满意度”；"
                                  "说明文字放入指标解释", row=r, field="name")
        elif verb and not ends_measure:
            obj = bare[len(verb):]
            example = f"如“{obj}次数”" if verb in ("召开", "开展", "组织", "举办") and obj else "如“…人数”“…覆盖率”“…完成率”"
            yield ctx.finding("R29", f"{r.label}：指标名称以“{verb}”开头，是工作表述，不是可衡量的指标。",
                              fix=f"改成“对象+计量口径”的名词短语，{example}", row=r, field="name")
        elif _NUMBER_IN_NAME.search(n):
            yield ctx.finding("R29", f"{r.label}：指标名称里写了数值，目标值应只写在指标值栏。",
                              fix="名称只写对象和口径，数值放入指标值", row=r, field="name")


@rule("R30", "相对目标要有基数", "warning")
def r30_baseline(ctx: Context):
    for r in ctx.rows:
        pv = r.pv
        text = (pv.label or "") + (r.row.name if pv.unit == "%" else "")
        if pv.kind is ValueKind.TEXT:
            text = r.row.value
        rel = next((w for w in ctx.lex["relative_words"] if w in text), None)
        if not rel and pv.kind in (ValueKind.TEXT, ValueKind.GRADE):
            rel = next((w for w in ctx.lex["past_levels"] if w in r.row.value), None)
        if not rel and pv.kind is ValueKind.TEXT and re.search(r"(提高|下降|增长|减少)\s*\d", r.row.value):
            rel = "提高/下降"
        if not rel:
            continue
        has_base = bool(re.search(r"\d", (r.row.standard or "") + (r.row.note or "") +
                                  " ".join(r.row.extra.values()))) or "历史标准" in (r.row.standard or "")
        if not has_base:
            yield ctx.finding("R30", f"{r.label}：“{short(r.row.value or r.row.name, 20)}”是相对目标，没有写明基数。",
                              fix="在指标解释或绩效标准中写明上年（基期）数值，绩效标准选“历史标准”", row=r, field="value")


_EXPLANATION = re.compile(r"^(反映|该指标|考察|主要考察|用于反映|指)")


@rule("R31", "绩效标准取计划/行业/历史/预算支出/其他标准", "error")
def r31_standards(ctx: Context):
    allowed = ctx.profile.standards
    if not allowed:
        return
    named = [r for r in ctx.rows if r.row.name]
    if not any((r.row.standard or "").strip() for r in named):
        return  # the form has no 绩效标准 column
    for r in named:
        std = (r.row.standard or "").strip()
        if _EXPLANATION.match(std) or (len(std) > 10 and not any(a in std for a in allowed)):
            continue  # an 指标解释 in the standard column
        if not std:
            yield ctx.finding("R31", f"{r.label}：绩效标准未填写。", fix=f"从{'、'.join(allowed)}中选择", row=r,
                              field="standard")
        elif not any(std.startswith(a) for a in allowed):
            guess = "预算支出标准" if r.c2 == "cost" else "计划标准"
            yield ctx.finding("R31", f"{r.label}：绩效标准“{short(std, 16)}”不在规定范围内。",
                              fix=f"改为“{guess}”（或{'、'.join(a for a in allowed if a != guess)}），依据写入指标解释",
                              row=r, field="standard",
                              ops=[{"op": "update_row", "row_id": r.row.id, "fields": {"standard": guess}}])
        elif std.startswith("其他标准") and len(std) <= 4 and not r.row.note:
            yield ctx.finding("R31", f"{r.label}：绩效标准为“其他标准”，需要说明依据。", fix="在备注或指标解释中写明依据",
                              row=r, field="standard", severity="warning")


@rule("R32", "指标数量合理", "warning")
def r32_counts(ctx: Context):
    named = [r for r in ctx.rows if r.row.name]
    limit = 30 if ctx.is_project else 60
    if len(named) > limit:
        yield ctx.finding("R32", f"共{len(named)}个三级指标，过多，重点不突出。", fix=f"精简到{limit}个以内，保留核心指标",
                          field="indicators")
    tier1s: dict[str, int] = {}
    for r in named:
        if r.res.valid and r.res.tier1:
            tier1s[r.res.tier1] = tier1s.get(r.res.tier1, 0) + 1
    if len(tier1s) >= 2 and len(named) >= 2 and all(v == 1 for v in tier1s.values()):
        yield ctx.finding("R32", "每个一级指标只有一个三级指标，属于“凑数”式填报。",
                          fix="按数量、质量、时效、成本和效益分别细化指标", field="indicators")


@rule("R33", "权重（分值）合计为100", "error", forms=("target",))
def r33_weights(ctx: Context):
    weights = [r.row.weight for r in ctx.rows if r.row.weight is not None]
    for r in ctx.rows:
        if r.row.weight is not None:
            continue
        for key in ("权重", "分值"):
            if key in r.row.extra:
                pv = parse(r.row.extra[key])
                if pv.number is not None:
                    weights.append(pv.number)
    if weights and abs(sum(weights) - 100) > 0.01:
        yield ctx.finding("R33", f"指标权重合计为{sum(weights):g}，不是100。", fix="调整各指标权重使合计为100",
                          field="indicators")
