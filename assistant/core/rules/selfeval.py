"""自评表 rules: scores within weights, score = weight × completion, 90 + 10 totals, 偏差原因 when a target is missed,
and the budget execution block's arithmetic (执行率 = 执行数 ÷ 全年预算数, 得分 = 执行率 × 分值)."""

from __future__ import annotations

import re

from ..validator import Context, rule
from ..values import ParsedValue, ValueKind, format_amount, parse

INDICATOR_POINTS = 90.0
EXECUTION_POINTS = 10.0
TOL = 0.1


def _f(x: float | None) -> str:
    return format_amount(round(x, 2)) if x is not None else ""


def _lower_is_better(pv: ParsedValue) -> bool:
    return pv.op in ("≤", "<")


def completion(target: ParsedValue, actual: ParsedValue) -> tuple[bool, float] | None:
    """(met, ratio of the weight earned by proportion) when both sides are comparable numbers, else None."""
    if target.kind is not ValueKind.QUANTITY or actual.kind is not ValueKind.QUANTITY:
        return None
    a, b = target.magnitude, actual.magnitude
    if a is None or b is None or a < 0 or b < 0:
        return None
    if target.unit and actual.unit and target.unit != actual.unit:
        return None
    if _lower_is_better(target) or (target.op == "=" and a == 0):
        if b <= a:
            return True, 1.0
        return False, (a / b if b else 0.0)
    if b >= a:
        return True, 1.0
    return False, (b / a if a else 1.0)


@rule("S01", "自评得分在0与分值之间，指标打分与完成情况一致", "error", forms=("self_eval",))
def s01_scores(ctx: Context):
    for r in ctx.rows:
        row = r.row
        w, s = row.weight, row.score
        if w is not None and s is None:
            yield ctx.finding("S01", f"{r.label}有分值{_f(w)}分，但没有填写得分。", fix="按完成情况填写得分",
                              row=r, field="score")
            continue
        if s is None:
            continue
        if s < 0:
            yield ctx.finding("S01", f"{r.label}的得分为{_f(s)}，得分不能为负数。", fix=f"在0至{_f(w)}分之间打分",
                              row=r, field="score")
            continue
        if w is not None and s > w + 1e-9:
            yield ctx.finding("S01", f"{r.label}的得分{_f(s)}超过了分值{_f(w)}。", fix=f"得分不超过分值{_f(w)}分",
                              row=r, field="score")
            continue
        if w is None or not row.actual:
            continue
        done = completion(r.pv, parse(row.actual))
        if done is None:
            continue
        met, ratio = done
        expect = w * ratio
        if met and s < w - TOL:
            yield ctx.finding("S01", f"{r.label}实际完成{row.actual}，已达到指标值{row.value}，应得满分{_f(w)}分，"
                                     f"表中得分为{_f(s)}。", fix=f"得分改为{_f(w)}", row=r, field="score")
        elif not met and s > expect + TOL:
            yield ctx.finding("S01", f"{r.label}实际完成{row.actual}，未达到指标值{row.value}，按完成比例应得"
                                     f"{_f(expect)}分，表中得分为{_f(s)}。", fix=f"得分改为{_f(expect)}或更低，并说明扣分依据",
                              row=r, field="score")


@rule("S02", "未完成指标须写偏差原因和改进措施", "error", forms=("self_eval",))
def s02_deviation(ctx: Context):
    for r in ctx.rows:
        row = r.row
        if not row.actual or (row.deviation or "").strip():
            continue
        done = completion(r.pv, parse(row.actual))
        missed = (done is not None and not done[0]) or bool(re.search(r"未完成|未达到|未实现|没有完成", row.actual))
        if missed:
            yield ctx.finding("S02", f"{r.label}实际完成{row.actual}，未达到指标值{row.value}，但没有写偏差原因。",
                              fix="写明未完成的原因和下一步改进措施", row=r, field="deviation")


@rule("S03", "自评总分：指标90分＋预算执行10分，总分等于各项得分之和", "error", forms=("self_eval",))
def s03_totals(ctx: Context):
    d = ctx.draft
    ex = d.execution
    weights = [r.row.weight for r in ctx.rows if r.row.weight is not None]
    if weights:
        total_w = sum(weights)
        ok = (INDICATOR_POINTS,) if ex is not None and ex.weight is not None else (INDICATOR_POINTS, 100.0)
        if all(abs(total_w - t) > 0.01 for t in ok):
            yield ctx.finding("S03", f"各项绩效指标的分值合计为{_f(total_w)}分，应为{_f(INDICATOR_POINTS)}分"
                                     f"（预算执行率另占{_f(EXECUTION_POINTS)}分）。",
                              fix="调整各指标分值，使合计为90分", field="indicators")
    if ex is not None and ex.weight is not None and abs(ex.weight - EXECUTION_POINTS) > 0.01:
        yield ctx.finding("S03", f"预算执行率的分值为{_f(ex.weight)}分，应为{_f(EXECUTION_POINTS)}分。",
                          fix="预算执行率按10分计", field="execution.weight")
    if d.total_score is None:
        return
    scores = [r.row.score for r in ctx.rows if r.row.score is not None]
    if ex is not None and ex.score is not None:
        scores.append(ex.score)
    if not scores:
        return
    s = sum(scores)
    if abs(s - d.total_score) > TOL:
        yield ctx.finding("S03", f"总分填写为{_f(d.total_score)}，但各项得分合计为{_f(s)}。",
                          fix=f"总分改为{_f(s)}", field="total_score")
    elif d.total_score > 100 + TOL:
        yield ctx.finding("S03", f"总分{_f(d.total_score)}超过100分。", fix="检查各项得分是否超过分值",
                          field="total_score")


def _rate(text: str | None) -> float | None:
    if not text:
        return None
    m = re.fullmatch(r"\s*(-?\d+(?:\.\d+)?)\s*%?\s*", text)
    if not m:
        return None
    v = float(m.group(1))
    return v * 100 if "%" not in text and v <= 1.5 else v


@rule("S04", "预算执行率=全年执行数÷全年预算数，得分=执行率×分值", "error", forms=("self_eval",))
def s04_execution(ctx: Context):
    ex = ctx.draft.execution
    if ex is None:
        return
    plan = ex.full_year if ex.full_year is not None else ex.initial
    if plan is not None and plan <= 0:
        yield ctx.finding("S04", f"全年预算数为{_f(plan)}，无法计算预算执行率。", fix="填写全年预算数（调整后预算）",
                          field="execution.full_year")
        return
    if plan is None or ex.executed is None:
        return
    if ex.executed < 0:
        yield ctx.finding("S04", "全年执行数不能为负数。", fix="填写实际支出金额", field="execution.executed")
        return
    rate = ex.executed / plan * 100
    written = _rate(ex.rate)
    if written is not None and abs(written - rate) > 0.1:
        yield ctx.finding("S04", f"预算执行率写作{ex.rate}，按全年执行数{_f(ex.executed)}÷全年预算数{_f(plan)}"
                                 f"应为{rate:.2f}%。", fix=f"执行率改为{rate:.2f}%", field="execution.rate")
    if ex.score is None or ex.weight is None:
        return
    if ex.score > ex.weight + 1e-9:
        yield ctx.finding("S04", f"预算执行得分{_f(ex.score)}超过了分值{_f(ex.weight)}（超支不加分）。",
                          fix=f"得分不超过{_f(ex.weight)}分", field="execution.score")
        return
    expect = min(rate, 100.0) / 100 * ex.weight
    if abs(ex.score - expect) > TOL:
        yield ctx.finding("S04", f"预算执行得分为{_f(ex.score)}，按执行率{rate:.2f}%×分值{_f(ex.weight)}应为"
                                 f"{_f(expect)}分。", fix=f"得分改为{_f(expect)}", field="execution.score")
