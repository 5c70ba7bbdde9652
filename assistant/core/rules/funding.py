"""DOMAIN §4.D — funding arithmetic (F1–F8). Amounts in the funding block's unit (万元 by default);
sums are compared to 0.01 of that unit, shares to 0.1 percentage point."""

from __future__ import annotations

import re

from ..model import FundingLine
from ..validator import Context, rule
from ..values import ValueKind, format_amount, parse

TOL = 0.011
SHARE_TOL = 0.1


def _fmt(x: float | None) -> str:
    return format_amount(x, digits=4, none="—")


def _items(lines: list[FundingLine], role: str = "item") -> list[FundingLine]:
    return [line for line in lines if line.role == role and line.amount is not None]


def _total(lines: list[FundingLine]) -> FundingLine | None:
    return next((line for line in lines if line.role == "total"), None)


def _share_value(share: str | None) -> float | None:
    if not share:
        return None
    pv = parse(share)
    if pv.kind is ValueKind.QUANTITY and pv.number is not None and (pv.unit in ("%", None)):
        return pv.number
    return None


def _sum_check(ctx: Context, code: str, section: str, title: str, parts: list[FundingLine], total: FundingLine,
               unit: str, severity: str | None = None):
    if total.amount is None or not parts:
        return
    s = sum(p.amount or 0 for p in parts)
    if abs(s - total.amount) > TOL:
        expr = " + ".join(f"{p.name}{_fmt(p.amount)}" for p in parts)
        # no machine fix: which figure is wrong (a part or the total) is the user's call
        yield ctx.finding(code, f"{title}：{expr} = {_fmt(s)}{unit}，与合计{_fmt(total.amount)}{unit}不符。",
                          fix=f"核对各项金额，或把合计改为{_fmt(s)}", field=f"funding.{section}", severity=severity)
    # previous years, where shown
    for year in sorted(total.history):
        t = total.history[year]
        vals = [p.history.get(year) for p in parts]
        if t is None or any(v is None for v in vals):
            continue
        s = sum(vals)  # type: ignore[arg-type]
        if abs(s - t) > TOL:
            yield ctx.finding(code, f"{title}（{year}年）：各项合计{_fmt(s)}{unit}，与合计栏{_fmt(t)}{unit}不符。",
                              fix="核对该年度各项金额", field=f"funding.{section}", severity=severity)


def _share_check(ctx: Context, code: str, section: str, title: str, parts: list[FundingLine], total: FundingLine):
    if not total.amount:
        return
    # while the amounts don't add up to the total (reported by _sum_check), a share computed from that
    # total would be wrong too: check the shares against the amounts once the sum is right
    sums_agree = abs(sum(p.amount or 0 for p in parts) - total.amount) <= TOL
    shares = []
    for p in parts:
        sv = _share_value(p.share)
        if sv is None or p.amount is None:
            continue
        shares.append(sv)
        expect = p.amount / total.amount * 100
        if sums_agree and abs(sv - expect) > SHARE_TOL:
            yield ctx.finding(code, f"{title}：{p.name}占比写作{p.share}，按金额应为{expect:.2f}%。",
                              fix=f"改为{expect:.2f}%", field=f"funding.{section}",
                              ops=[{"op": "set_funding", "section": section, "name": p.name, "amount": p.amount,
                                    "share": f"{expect:.2f}%", "role": p.role}])
    if len(shares) == len(parts) and len(shares) >= 2 and abs(sum(shares) - 100) > SHARE_TOL * len(shares):
        yield ctx.finding(code, f"{title}：各项占比合计{sum(shares):.2f}%，不等于100%。", fix="核对各项占比",
                          field=f"funding.{section}")


@rule("F1", "资金来源合计等于资金总额", "error", families=("project",))
def f1_sources(ctx: Context):
    f = ctx.draft.funding
    items = _items(f.sources)
    if f.total is None or not items:
        return
    s = sum(p.amount or 0 for p in items)
    if abs(s - f.total) <= TOL:
        return
    expr = " + ".join(f"{p.name}{_fmt(p.amount)}" for p in items)
    sev = None if len(items) >= 2 or s > f.total else "warning"
    yield ctx.finding("F1", f"资金来源 {expr} = {_fmt(s)}{f.unit}，与资金总额{_fmt(f.total)}{f.unit}不符。",
                      fix="补全或核对资金来源（财政拨款、自筹、其他），使合计等于资金总额", field="funding.sources",
                      severity=sev)


@rule("F2", "支出明细合计等于项目预算", "error")
def f2_breakdown(ctx: Context):
    f = ctx.draft.funding
    items = _items(f.breakdown)
    budget = f.total
    if budget is None and ctx.draft.projects:
        budget = ctx.draft.projects[0].annual_budget
    if not items or budget is None:
        return
    total = _total(f.breakdown) or FundingLine(name="项目预算", amount=budget, role="total")
    yield from _sum_check(ctx, "F2", "breakdown", "支出明细", items, total, f.unit)


@rule("F3", "收入构成合计与占比", "error", families=("department",))
def f3_income(ctx: Context):
    f = ctx.draft.funding
    total = _total(f.income)
    items = _items(f.income)
    if not total or not items:
        return
    yield from _sum_check(ctx, "F3", "income", "收入构成", items, total, f.unit)
    yield from _share_check(ctx, "F3", "income", "收入构成", items, total)


@rule("F4", "支出构成：基本支出+项目支出=合计", "error", families=("department",))
def f4_expense(ctx: Context):
    f = ctx.draft.funding
    total = _total(f.expense)
    items = _items(f.expense)
    if not total or not items:
        return
    yield from _sum_check(ctx, "F4", "expense", "支出构成", items, total, f.unit)
    yield from _share_check(ctx, "F4", "expense", "支出构成", items, total)
    basic = next((p for p in items if "基本支出" in p.name), None)
    subs = _items(f.expense, "sub")
    if basic and subs:
        yield from _sum_check(ctx, "F4", "expense", "基本支出（人员经费+日常公用经费）", subs, basic, f.unit)
    # project lines in the expense block should match the project blocks
    proj_line = next((p for p in items if "项目支出" in p.name), None)
    budgets = [p.annual_budget for p in ctx.draft.projects if p.annual_budget is not None]
    if proj_line and budgets and abs(sum(budgets) - (proj_line.amount or 0)) > TOL:
        yield ctx.finding("F4", f"支出构成中项目支出{_fmt(proj_line.amount)}{f.unit}，与各项目本年度预算合计"
                                f"{_fmt(sum(budgets))}{f.unit}不符。", fix="核对项目支出情况表与支出构成",
                          field="funding.expense")


@rule("F5", "收入合计等于支出合计", "warning", families=("department",))
def f5_balance(ctx: Context):
    f = ctx.draft.funding
    ti, te = _total(f.income), _total(f.expense)
    if ti and te and ti.amount is not None and te.amount is not None and abs(ti.amount - te.amount) > TOL:
        yield ctx.finding("F5", f"收入合计{_fmt(ti.amount)}{f.unit}与支出合计{_fmt(te.amount)}{f.unit}不相等。",
                          fix="核对收支；如有结转结余，在备注中说明", field="funding")


_TOTAL_COST = re.compile(r"总成本|总投资|项目成本|总费用|项目总额|资金总额|总预算")


@rule("F6", "成本指标不超过预算，分项成本不超过总成本", "error")
def f6_cost_vs_budget(ctx: Context):
    budget = ctx.draft.budget_wan()
    costs = [r for r in ctx.rows if r.c2 == "cost" and r.pv.kind is ValueKind.QUANTITY]
    totals = [r for r in costs if _TOTAL_COST.search(r.name) and r.pv.money_wan() is not None]
    total_idx = {t.index for t in totals}
    parts = [r for r in costs if r.index not in total_idx and r.pv.money_wan() is not None]
    s = sum(p.pv.money_wan() for p in parts)  # type: ignore[misc]
    for t in totals:
        if budget is not None and t.pv.money_wan() > budget * 1.0001:  # type: ignore[operator]
            continue  # R19 reports a single cost over budget
        if parts and s > t.pv.money_wan() * 1.0001:  # type: ignore[operator]
            yield ctx.finding("F6", f"分项成本合计{s:g}万元超过{t.label}的{t.row.value}。",
                              fix="核对分项成本或总成本", row=t, field="value")
    if budget is not None and not totals and len(parts) >= 2:
        if s > budget * 1.0001:
            yield ctx.finding("F6", f"各项成本合计{s:g}万元，超过项目资金{budget:g}万元。", fix="核对各项成本",
                              field="indicators")


@rule("F7", "金额单位统一，写全“万元”", "warning")
def f7_units(ctx: Context):
    seen_units = set()
    for r in ctx.rows:
        pv = r.pv
        if pv.kind is not ValueKind.QUANTITY:
            continue
        if pv.unit is None and pv.mult == 10_000 and (r.c2 == "cost" or any(w in r.name for w in ("金额", "资金", "经费", "成本", "预算"))):
            fixed = pv.model_copy(update={"unit": "万元", "mult": 1})
            from ..values import format_value

            yield ctx.finding("F7", f"{r.label}：“{r.row.value}”缺少“元”，金额单位不明确。",
                              fix=f"写成“{format_value(fixed)}”", row=r, field="value",
                              ops=[{"op": "update_row", "row_id": r.row.id, "fields": {"value": format_value(fixed)}}])
        elif pv.unit in ("元", "万元") and r.c2 == "cost":
            seen_units.add(pv.unit)
    if len(seen_units) > 1:
        yield ctx.finding("F7", "成本指标中同时使用了“元”和“万元”。", fix="总额类统一用“万元”，单价类用“元/单位”",
                          field="indicators", severity="info")


@rule("F8", "预算执行率=执行数÷预算数", "error")
def f8_execution(ctx: Context):
    f = ctx.draft.funding
    lines = {line.name: line.amount for line in f.breakdown + f.sources if line.role == "memo"}
    done = next((v for k, v in lines.items() if "执行数" in k), None)
    plan = next((v for k, v in lines.items() if "预算数" in k), None)
    if not done or not plan:
        return
    rate = done / plan * 100
    for r in ctx.rows:
        if "执行率" in r.name and r.pv.unit == "%" and r.pv.number is not None and abs(r.pv.number - rate) > 0.1:
            yield ctx.finding("F8", f"{r.label}：执行率写作{r.row.value}，按执行数{_fmt(done)}÷预算数{_fmt(plan)}"
                                    f"应为{rate:.2f}%。", fix=f"改为{rate:.2f}%", row=r, field="value")
