"""Rules about change from last year's form (rows rolled forward carry last year's value in `previous`)."""

from __future__ import annotations

from ..validator import Context, rule
from ..values import ValueKind, parse


@rule("C01", "指标值较上年降低（≥）或提高（≤）须写变动原因", "warning")
def c01_lowered(ctx: Context):
    for r in ctx.rows:
        row = r.row
        if row.previous is None or (row.change_reason or "").strip():
            continue
        a, b = parse(row.previous), r.pv
        if a.kind is not ValueKind.QUANTITY or b.kind is not ValueKind.QUANTITY or a.unit != b.unit:
            continue
        if a.magnitude is None or b.magnitude is None:
            continue
        lower_is_better = b.op in ("≤", "<")
        worse = b.magnitude > a.magnitude if lower_is_better else b.magnitude < a.magnitude
        if worse and b.op is not None:
            verb = "提高" if lower_is_better else "降低"
            yield ctx.finding("C01", f"{r.label}：指标值由上年的“{row.previous}”{verb}为“{row.value}”，没有写变动原因。",
                              fix="写明变动原因（如任务量调整、资金减少），或恢复上年目标", row=r, field="change_reason")
