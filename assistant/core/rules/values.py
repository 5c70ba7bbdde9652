"""DOMAIN §4.B — the form of 指标值 (R11–R24)."""

from __future__ import annotations

import re
from functools import lru_cache

from ..model import Origin
from ..validator import Context, RowView, ends_with_word, has_word, lexicon, rule, short
from ..values import ParsedValue, ValueKind, format_value, normalize_text, parse


def _set_value(r: RowView, value: str) -> list[dict]:
    return [{"op": "update_row", "row_id": r.row.id, "fields": {"value": value}}]


def _with(pv: ParsedValue, **changes) -> str:
    return format_value(pv.model_copy(update=changes))


def _negative(ctx: Context, name: str) -> bool:
    return bool(has_word("negative_words", name)) and not has_word("negative_exceptions", name)


@lru_cache(maxsize=1)
def _unit_patterns(lex_id: int) -> list[tuple[re.Pattern[str], dict]]:
    return [(re.compile("(?:" + "|".join(map(re.escape, exp["suffix"])) + ")$"), exp)
            for exp in lexicon()["unit_expectations"]]


@lru_cache(maxsize=8192)
def _expected_unit_for(name: str) -> dict | None:
    for rx, exp in _unit_patterns(0):
        if rx.search(name):
            return exp
    return None


def _expected_unit(ctx: Context, name: str) -> dict | None:
    return _expected_unit_for(name)


def _default_op(ctx: Context, r: RowView) -> str:
    if r.c2 in ("cost", "cost_social", "cost_ecological"):
        return "=" if "标准" in r.name else "≤"
    if _negative(ctx, r.name):
        return "=" if r.pv.number == 0 else "≤"
    if r.pv.unit == "%" and r.pv.number == 100:
        return "="
    return "≥"


def _parts(value: str) -> list[str]:
    return [p for p in re.split(r"[;；,，、]\s*", normalize_text(value)) if p]


@rule("R11", "定量指标值写法：比较符号+数值+单位", "error")
def r11_grammar(ctx: Context):
    for r in ctx.rows:
        pv, raw = r.pv, r.row.value
        if not raw or r.c2 == "timeliness" and pv.kind in (ValueKind.DEADLINE, ValueKind.PERIOD):
            continue
        if pv.kind is ValueKind.TEXT and re.search(r"\d", normalize_text(raw)):
            parts = _parts(raw)
            parsed = [parse(p) for p in parts]
            if len(parts) >= 2 and all(p.kind is ValueKind.QUANTITY and p.label for p in parsed):
                names = [p.label for p in parsed]
                ops = [{"op": "update_row", "row_id": r.row.id,
                        "fields": {"name": names[0], "value": _with(parsed[0], label=None)}}]
                prev = r.row.id
                for p in parsed[1:]:
                    ops.append({"op": "add_row", "after_id": prev, "row": {
                        "goal": r.row.goal, "tier1": r.row.tier1, "tier2": r.row.tier2, "name": p.label,
                        "value": _with(p, label=None), "standard": r.row.standard, "origin": r.row.origin.value}})
                yield ctx.finding(
                    "R11", f"{r.label}：一个指标值里写了{len(parts)}个指标（{short(raw, 30)}）。",
                    fix="拆成" + "、".join(f"“{p.label} {_with(p, label=None)}”" for p in parsed) + f"共{len(parts)}行",
                    row=r, field="value", ops=ops)
            else:
                # a stated target (高于80%) beside a qualitative requirement: a warning to split it, not an error
                mixed = any(p.kind is ValueKind.QUANTITY and p.op for p in parsed) or any(
                    (q := parse(x)).kind is ValueKind.QUANTITY and q.op
                    for x in re.split(r"[，,、；;]", raw) if re.search(r"\d", x))
                yield ctx.finding("R11", f"{r.label}：指标值“{short(raw, 30)}”无法识别为“比较符号+数值+单位”"
                                         f"{'（文字和数值写在一起）' if mixed else ''}。",
                                  fix="改写为如“≥95%”“≥1200人次”“≤50万元”；文字说明放入指标解释；几项要求分成几行",
                                  row=r, field="value", severity="warning" if mixed else None)
            continue
        if pv.kind is not ValueKind.QUANTITY or r.c2 in ("cost", "cost_social", "cost_ecological", "timeliness"):
            continue  # R19/R21/R18 speak for these
        canon = format_value(pv, raw)
        money = bool(pv.unit and "元" in pv.unit) or (pv.unit is None and pv.mult != 1)
        if pv.op is None and (pv.unit is None or money):
            continue  # R12 / R10 / F7 speak for these
        if pv.op is None and pv.label:
            continue  # 超上年2%: a relative target, R30 asks for its baseline
        if pv.op is None and r.row.origin is not Origin.SUGGESTED:
            op = _default_op(ctx, r)
            # a share or rate below 100% reads either way (a floor or the exact share): that needs saying
            share = pv.unit == "%" and pv.magnitude is not None and pv.magnitude < 100
            yield ctx.finding("R11", f"{r.label}：指标值“{raw}”没有比较符号，考核时不清楚是下限还是精确值。",
                              fix=f"写成“{_with(pv, op=op)}”", row=r, field="value",
                              ops=_set_value(r, _with(pv, op=op)), severity="warning" if share else "info")
        elif pv.op_word or (canon != normalize_text(raw) and pv.label is None):
            yield ctx.finding("R11", f"{r.label}：指标值“{raw}”宜写作规范形式“{canon}”。", fix=f"改为“{canon}”",
                              row=r, field="value", ops=_set_value(r, canon), severity="info")


@rule("R12", "计量单位必填且与名称一致", "error")
def r12_units(ctx: Context):
    for r in ctx.rows:
        pv = r.pv
        if pv.kind is not ValueKind.QUANTITY or r.c2 == "timeliness":
            continue
        in_name = re.search(r"[(（]([^()（）]{1,6})[)）]$", r.row.name.strip())
        if in_name and pv.unit is None:
            continue  # the unit is printed in the name: 开展修复工程(个)
        exp = _expected_unit(ctx, r.name)
        if exp and exp["family"] == "percent" and ends_with_word("non_rate_suffixes", r.name):
            exp = None
        if pv.unit is None and ends_with_word("unitless_suffixes", r.name):
            continue
        if pv.unit is None and pv.mult == 1:
            if exp:
                op = pv.op or _default_op(ctx, r)
                value = _with(pv, op=op, unit=exp["unit"] if exp["family"] != "money" else "万元")
                ops = _set_value(r, value) if exp["family"] != "money" else None
                yield ctx.finding("R12", f"{r.label}：指标值“{r.row.value}”缺少计量单位。",
                                  fix=f"补充计量单位“{exp['unit']}”，写成“{value}”", row=r, field="value", ops=ops)
            else:
                yield ctx.finding("R12", f"{r.label}：指标值“{r.row.value}”缺少计量单位。",
                                  fix="补充计量单位，如“个”“次”“人”“%”", row=r, field="value")
            continue
        # a name that calls for money or persons (…金额, …人数) gets the unit-mismatch error below instead
        strict = exp is not None and exp["family"] in ("money", "person")
        if (pv.unit == "%" and not has_word("rate_words", r.name) and not r.name.endswith("度")
                and r.c2 != "satisfaction" and not strict):
            yield ctx.finding("R12", f"{r.label}：指标名称不是比率，指标值却是百分比“{r.row.value}”，不清楚百分之多少指什么。",
                              fix="名称写明比率口径（如“…完成率”“…覆盖率”），或改用数量单位", row=r, field="name",
                              severity="warning")
            continue
        if not exp or pv.unit is None:
            continue
        fam, unit = exp["family"], pv.unit
        if fam == "percent" and unit != "%" and "满意度" in r.name and r.c2 == "satisfaction":
            continue  # R22 reports satisfaction values
        mismatch = (fam == "percent" and unit not in ("%", "‰", "‱", "个百分点")) or (
            fam == "money" and "元" not in unit) or (fam == "person" and unit not in ("人", "万人", "名", "人/年", "人次", "万人次"))
        if mismatch:
            yield ctx.finding("R12", f"{r.label}：名称表明计量单位应为“{exp['unit']}”，指标值却是“{r.row.value}”。",
                              fix=f"核对指标值和单位，如“{_with(pv, unit=exp['unit'])}”", row=r, field="value")


@rule("R13", "百分比在0–100%之间，不写“≥100%”", "warning")
def r13_percent(ctx: Context):
    for r in ctx.rows:
        pv = r.pv
        if pv.kind is not ValueKind.QUANTITY or pv.unit != "%" or pv.number is None:
            continue
        growth = any(w in r.name for w in ("增长", "增幅", "增速", "提高", "比上年", "较上年"))
        if pv.number > 100 and not growth:
            yield ctx.finding("R13", f"{r.label}：比率“{r.row.value}”超过100%。", fix="核对数值，比率应在0–100%之间",
                              row=r, field="value", severity="error")
        elif pv.number == 100 and pv.op in ("≥", ">"):
            yield ctx.finding("R13", f"{r.label}：“{r.row.value}”不合逻辑，比率不可能超过100%。", fix="改为“=100%”",
                              row=r, field="value", ops=_set_value(r, _with(pv, op="=")))


@rule("R14", "反向指标用“≤”或“=0”", "error")
def r14_direction(ctx: Context):
    for r in ctx.rows:
        pv = r.pv
        if (pv.kind is not ValueKind.QUANTITY or pv.op not in ("≥", ">") or not _negative(ctx, r.name)
                or r.c2 == "satisfaction" or has_word("satisfaction_words", r.name)):
            continue
        if pv.unit == "%" and (pv.number or 0) >= 100:
            fix, ops = "改为“=0%”或“≤N%”（N为可接受的上限）", None
        else:
            fix = f"改为“{_with(pv, op='≤')}”"
            ops = _set_value(r, _with(pv, op="≤"))
        yield ctx.finding("R14", f"{r.label}是反向指标（越小越好），不能用“{pv.op}”。", fix=fix, row=r, field="value",
                          ops=ops)


@rule("R15", "定性指标值应为分级表述", "warning")
def r15_qualitative(ctx: Context):
    for r in ctx.rows:
        pv = r.pv
        if pv.kind is ValueKind.TEXT and not re.search(r"\d", normalize_text(r.row.value)) and len(r.row.value) > 12:
            yield ctx.finding("R15", f"{r.label}：指标值是一段说明文字（{short(r.row.value, 20)}），无法考核。",
                              fix="能量化的写数值；确实不能量化的写分级表述（达到预期/基本达到/未达到），说明文字放入指标解释",
                              row=r, field="value")


@rule("R16", "数量、成本指标必须定量；定性指标不宜过半", "error")
def r16_quantitative(ctx: Context):
    for r in ctx.rows:
        if r.c2 in ("quantity", "cost") and r.row.value and r.pv.kind in (ValueKind.GRADE, ValueKind.TEXT):
            yield ctx.finding("R16", f"{r.label}在{r.row.tier2}下，指标值必须是数值，现为“{short(r.row.value, 20)}”。",
                              fix="写成数值，如“≥N个”“≤N万元”", row=r, field="value")
    filled = [r for r in ctx.rows if r.row.value and r.pv.kind is not ValueKind.PLACEHOLDER]
    qual = [r for r in filled if r.pv.kind in (ValueKind.GRADE, ValueKind.TEXT)]
    if len(filled) >= 4 and len(qual) * 2 > len(filled):
        yield ctx.finding("R16", f"{len(filled)}个指标中有{len(qual)}个是定性表述，超过一半。",
                          fix="尽量量化：改写为可计数、可计算的指标", severity="warning", field="indicators")


@lru_cache(maxsize=1)
def _vague_re(lex_id: int) -> re.Pattern[str]:
    lex = lexicon()

    def alt(key: str) -> str:
        return "|".join(re.escape(w) for w in sorted(lex[key], key=len, reverse=True))

    return re.compile(f"^(?:{alt('vague_adverbs')})*(?:{alt('vague_verbs')})+(?:{alt('vague_tails')})?$")


def vague_statement(value: str) -> bool:
    """显著改善, 有力保障, 得到有效改善, 增强: a direction with no target (no digits, at most 12 characters)."""
    v = re.sub(r"[\s。，,.、！!]", "", normalize_text(value))
    return 0 < len(v) <= 12 and not re.search(r"\d", v) and bool(_vague_re(id(lexicon())).match(v))


def _grading_scheme(row) -> bool:
    """The row says how its grades are scored (显著提升得满分、有所提升得一半 …)."""
    text = " ".join([row.standard or "", *row.extra.values()])
    return bool(re.search(r"得分|扣分|得满分|分值|\d+\s*分", text)) or len(re.findall(r"达到|基本|未达到|显著|有所", text)) >= 2


@rule("R17", "避免“有效”“明显”“进一步提升”等模糊表述", "warning")
def r17_vague(ctx: Context):
    vague = ctx.lex["vague_values"]
    for r in ctx.rows:
        if r.c2 == "timeliness" or not r.row.value or r.pv.kind not in (ValueKind.GRADE, ValueKind.TEXT):
            continue
        v = normalize_text(r.row.value)
        if re.match(ctx.lex["task_text"], v):
            yield ctx.finding("R17", f"{r.label}：指标值“{r.row.value}”说的是目标从哪里来，不是目标本身。",
                              fix="写出下达的具体任务数或标准，如“≥N个”“=100%”，依据写入绩效标准", row=r, field="value")
            continue
        if vague_statement(v) and not _grading_scheme(r.row):
            hit = v
        elif v in ctx.lex["allowed_grades"]:
            continue
        else:
            hit = next((w for w in vague if v == w or (len(v) <= 12 and w in v and len(w) >= 2)), None)
        if hit:
            yield ctx.finding("R17", f"{r.label}：指标值“{r.row.value}”没有可衡量的标准。",
                              fix="写出可考核的数值或分级，如“≥N%”“较上年提高N个百分点（上年为M%）”", row=r, field="value")


def _deadline_key(pv: ParsedValue) -> tuple[int, int, int] | None:
    """A deadline as (year, month, day) for comparison; a month alone means its first day (当月内 counts)."""
    if pv.year is None or pv.month is None:
        return None
    return (pv.year, pv.month, pv.day or 1)


@rule("R18", "时效指标写完成时限、期间或及时率", "warning")
def r18_timeliness(ctx: Context):
    d = ctx.draft
    year = d.header.year
    lex = ctx.lex
    for r in ctx.rows:
        if r.c2 != "timeliness" or not r.row.value or r.pv.kind is ValueKind.PLACEHOLDER:
            continue
        pv = r.pv
        if pv.kind is ValueKind.DEADLINE:
            if pv.serial:
                text = format_value(pv)
                yield ctx.finding("R18", f"{r.label}：“{r.row.value}”是Excel日期序号，应为日期“{text}”。",
                                  fix=f"改为“{text}”", row=r, field="value", ops=_set_value(r, text), severity="info")
            period = parse(d.header.period or "")
            in_period = period.kind is ValueKind.PERIOD and period.year <= (pv.year or 0) <= (period.end_year or 0)
            if year and pv.year and pv.year != year and not (in_period and r.row.scope.value != "annual"):
                yield ctx.finding("R18", f"{r.label}：完成时限“{r.row.value}”不在{year}年度内。",
                                  fix=f"改为{year}年内的时限，如“{year}年12月底前”", row=r, field="value", severity="error")
                continue
            due = _deadline_key(pv)
            if period.kind is ValueKind.PERIOD and period.end_year and due is not None:
                end = (period.end_year, period.end_month or 12, period.end_day or 31)
                if due > end:
                    last = f"{end[0]}年{end[1]}月" + (f"{end[2]}日" if period.end_day else "")
                    yield ctx.finding("R18", f"{r.label}：完成时限“{r.row.value}”晚于实施期结束（{last}）。",
                                      fix=f"完成时限不晚于实施期结束，如“{last}前”，或核对实施期", row=r,
                                      field="value", severity="error")
            continue
        if pv.kind is ValueKind.PERIOD:
            if year and r.row.scope.value == "annual" and pv.end_year and pv.end_year > year and pv.year == year:
                yield ctx.finding("R18", f"{r.label}：年度指标的期间“{r.row.value}”跨到{pv.end_year}年。",
                                  fix=f"年度表只写{year}年内的期间，跨年部分列入实施期目标", row=r, field="value")
            elif year and pv.year and pv.year > year:
                yield ctx.finding("R18", f"{r.label}：期间“{r.row.value}”不在{year}年度内。",
                                  fix=f"改为{year}年内的期间", row=r, field="value", severity="error")
            continue
        if pv.kind is ValueKind.QUANTITY:
            if re.search(lex["recurring_deadline"], normalize_text(r.row.value)) or pv.unit == "%" or (pv.unit and any(pv.unit.endswith(u) for u in lex["time_units"])):
                continue
            yield ctx.finding("R18", f"{r.label}：时效指标值“{r.row.value}”缺少时间单位或日期。",
                              fix="写成完成时限（如“12月底前”）、时长（如“≤5个工作日”）或及时率（如“=100%”）",
                              row=r, field="value")
            continue
        v = normalize_text(r.row.value)
        if re.search(lex["recurring_deadline"], v):
            continue
        if re.search(r"\d", v):
            continue  # R11 reports values it can't read
        bare = any(w in v for w in lex["timely_words"]) and len(v) <= 8
        yield ctx.finding("R18", f"{r.label}：时效指标值“{short(r.row.value, 20)}”"
                                 f"{'只写了“及时/按时”，' if bare else ''}没有具体时限。",
                          fix=f"写成完成时限（如“{year or 'YYYY'}年12月底前”）、时长（如“≤5个工作日”）或及时率（如“=100%”）",
                          row=r, field="value")


@rule("R19", "成本指标为金额或单位成本，用“≤”或“=”，不超预算", "error")
def r19_cost_values(ctx: Context):
    budget = ctx.draft.budget_wan()
    for r in ctx.rows:
        if r.c2 != "cost" or not r.row.value or r.pv.kind is not ValueKind.QUANTITY:
            continue
        pv = r.pv
        if not pv.unit or "元" not in pv.unit:
            if pv.unit is None and pv.mult == 10_000:
                continue  # 250万: F7 asks for 元
            yield ctx.finding("R19", f"{r.label}：成本指标的值应为金额或单位成本（元、万元、元/人），现为“{r.row.value}”。",
                              fix="写成“≤N万元”（总成本）或“≤N元/人”“=N元/亩”（单位成本、补助标准）", row=r, field="value")
            continue
        op = "=" if (any(w in r.name for w in ("标准", "补助", "补贴")) and "/" in pv.unit) else "≤"
        if pv.op in ("≥", ">"):
            yield ctx.finding("R19", f"{r.label}：成本指标不能用“{pv.op}”，成本是上限。", fix=f"改为“{_with(pv, op=op)}”",
                              row=r, field="value", ops=_set_value(r, _with(pv, op=op)))
        elif pv.op is None:
            yield ctx.finding("R19", f"{r.label}：成本指标“{r.row.value}”没有写“≤”或“=”。",
                              fix=f"改为“{_with(pv, op=op)}”", row=r, field="value", ops=_set_value(r, _with(pv, op=op)),
                              severity="warning")
        wan = pv.money_wan()
        if budget and wan and wan > budget * 1.0001:
            yield ctx.finding("R19", f"{r.label}：成本{r.row.value}超过项目资金{budget:g}万元。",
                              fix=f"成本不应超过预算，核对为“≤{budget:g}万元”以内", row=r, field="value")
        std = (r.row.standard or "").strip()
        if ctx.profile.standards and std and std not in ("预算支出标准", "计划标准"):
            yield ctx.finding("R19", f"{r.label}：成本指标的绩效标准宜为“预算支出标准”或“计划标准”，现为“{std}”。",
                              fix="改为“预算支出标准”", row=r, field="standard", severity="warning",
                              ops=[{"op": "update_row", "row_id": r.row.id, "fields": {"standard": "预算支出标准"}}])


@rule("R20", "成本指标要写明成本对象", "error")
def r20_cost_names(ctx: Context):
    lex = ctx.lex
    for r in ctx.rows:
        if r.c2 not in ("cost", "cost_social", "cost_ecological") or not r.name:
            continue
        if r.name in lex["generic_cost_names"] or any(r.name.endswith(s) for s in lex["generic_cost_suffixes"]):
            yield ctx.finding("R20", f"{r.label}：成本指标名称“{r.row.name}”没有写明成本对象。",
                              fix="写明对象和口径，如“项目总成本 ≤N万元”“人均培训成本 ≤N元/人”“补助标准 =N元/亩”",
                              row=r, field="name")


@rule("R21", "社会成本/生态环境成本描述负面影响，用“≤”", "warning")
def r21_negative_costs(ctx: Context):
    for r in ctx.rows:
        if r.c2 in ("cost_social", "cost_ecological") and r.pv.kind is ValueKind.QUANTITY and r.pv.op in ("≥", ">"):
            yield ctx.finding("R21", f"{r.label}：社会/生态环境成本是负面影响，应设上限。",
                              fix=f"改为“{_with(r.pv, op='≤')}”", row=r, field="value", ops=_set_value(r, _with(r.pv, op="≤")))


@rule("R22", "满意度指标：写明评价主体，百分比，≥80%且不为100%", "warning")
def r22_satisfaction(ctx: Context):
    for r in ctx.rows:
        if r.c2 != "satisfaction" or not r.row.value or r.pv.kind is ValueKind.PLACEHOLDER:
            continue
        pv = r.pv
        # 投诉率0% under 满意度 is another measure, not a satisfaction target
        other = bool(pv.label) and not any(w in pv.label for w in ctx.lex["satisfaction_words"])
        if pv.kind is not ValueKind.QUANTITY or pv.unit != "%" or other:
            yield ctx.finding("R22", f"{r.label}：满意度指标值应为满意度百分比，现为“{short(r.row.value, 20)}”；"
                                     f"投诉率、答复率不能代替满意度。",
                              fix="改为“服务对象满意度 ≥90%”（写明评价主体，依据问卷调查）", row=r, field="value")
            continue
        n = pv.number or 0
        if n >= 100:
            yield ctx.finding("R22", f"{r.label}：满意度目标“{r.row.value}”无法验证，通常不设100%。",
                              fix="按往年调查结果设定，如“≥95%”", row=r, field="value")
        elif n < 80:
            yield ctx.finding("R22", f"{r.label}：满意度目标“{r.row.value}”低于80%，目标偏低。",
                              fix="一般不低于80%，如“≥90%”", row=r, field="value")
        elif pv.op in ("≤", "<"):
            yield ctx.finding("R22", f"{r.label}：满意度是正向指标，不能用“{pv.op}”。", fix=f"改为“{_with(pv, op='≥')}”",
                              row=r, field="value", ops=_set_value(r, _with(pv, op="≥")))
        if r.name in ("满意度", "满意率", "服务对象满意度", "满意度指标"):
            yield ctx.finding("R22", f"{r.label}：没有写明谁满意。", fix="写明评价主体，如“受益群众满意度”“受训学员满意度”",
                              row=r, field="name")


@rule("R23", "满意度应由服务对象评价，而非本单位职工", "warning")
def r23_respondents(ctx: Context):
    for r in ctx.rows:
        if r.c2 == "satisfaction" and any(w in r.name for w in ctx.lex["staff_words"]):
            yield ctx.finding("R23", f"{r.label}：满意度由本单位人员评价，不是服务对象。",
                              fix="改为服务对象（群众、学生、企业等）满意度；仅内部保障类项目可用职工满意度", row=r, field="name")


@rule("R24", "占位符和模板残留", "error")
def r24_placeholders(ctx: Context):
    for r in ctx.rows:
        if r.pv.kind is ValueKind.PLACEHOLDER:
            own = "待填" in r.row.value
            if own:
                msg = f"{r.label}：指标值待填写（{r.row.value}）。"
                fix = r.row.note if r.row.note and "填" in r.row.note else "填写本单位的计划数" + (
                    f"（{r.row.note}）" if r.row.note else "")
            else:
                msg = f"{r.label}：指标值“{r.row.value}”是模板占位符，未替换。"
                fix = "替换为实际目标值"
            yield ctx.finding("R24", msg, fix=fix, row=r, field="value")
        if re.search(r"\*\*|××|（≥\*|\(≥\*|＊＊", r.row.name):
            yield ctx.finding("R24", f"{r.label}：指标名称中有模板占位符。", fix="删除名称中的“(≥**…)”等模板文字",
                              row=r, field="name")
