"""Rules about change from last year's form (rows rolled forward carry last year's value in `previous`)."""

from __future__ import annotations

from ..validator import Context, rule
from ..values import ValueKind, parse


def worse_than(reference: str | None, pv) -> bool | None:
    """Is this target easier than the reference (last year's target or actual)? None when not comparable.
    A ≥ target is easier when smaller, a ≤ target when larger."""
    if not reference:
        return None
    a = parse(reference)
    if a.kind is not ValueKind.QUANTITY or pv.kind is not ValueKind.QUANTITY or a.unit != pv.unit:
        return None
    if a.magnitude is None or pv.magnitude is None:
        return None
    return pv.magnitude > a.magnitude if pv.op in ("≤", "<") else pv.magnitude < a.magnitude


@rule("C01", "指标值较上年降低（≥）或提高（≤）须写变动原因", "warning")
def c01_lowered(ctx: Context):
    for r in ctx.rows:
        row = r.row
        if row.previous is None or (row.change_reason or "").strip():
            continue
        if worse_than(row.previous, r.pv) and r.pv.op is not None:
            lower_is_better = r.pv.op in ("≤", "<")
            verb = "提高" if lower_is_better else "降低"
            yield ctx.finding("C01", f"{r.label}：指标值由上年的“{row.previous}”{verb}为“{row.value}”，没有写变动原因。",
                              fix="写明变动原因（如任务量调整、资金减少），或恢复上年目标", row=r, field="change_reason")


@rule("C02", "延续项目删去上年的指标要说明", "info", families=("project",), forms=("target",))
def c02_dropped(ctx: Context):
    d = ctx.draft
    if not d.last_year_rows or (d.header.attribute or "").strip() not in ("延续", "延续项目", "延续性"):
        return
    gone = [x.name for x in d.dropped_since_last_year()]
    if gone:
        yield ctx.finding("C02", f"延续项目本年去掉了上年的指标：{'、'.join(gone[:6])}{'等' if len(gone) > 6 else ''}。",
                          fix="确认这些指标确实不再适用，并在申报说明中写明原因", field="indicators")


@rule("C03", "本年目标不低于上年实际完成值", "warning", forms=("target",))
def c03_below_last_actual(ctx: Context):
    for r in ctx.rows:
        row = r.row
        lower_is_better = r.pv.op in ("≤", "<")
        if worse_than(row.previous_actual, r.pv) and not (row.change_reason or "").strip():
            yield ctx.finding("C03", f"{r.label}：本年目标“{row.value}”{'宽于' if lower_is_better else '低于'}"
                                     f"上年实际完成值“{row.previous_actual}”。",
                              fix=f"目标不低于上年实际完成（如“{'≤' if lower_is_better else '≥'}{row.previous_actual}”），"
                                  f"或写明变动原因", row=r, field="value")
