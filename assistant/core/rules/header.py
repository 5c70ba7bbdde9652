"""Header rules: what the form says about itself (unit, 主管部门, project name, 实施期, 项目属性, goals)."""

from __future__ import annotations

import re

from ..validator import Context, rule
from ..values import ValueKind, parse

ATTRIBUTES = ("新增", "延续", "新增项目", "延续项目", "新设", "延续性")


def period_of(text: str | None):
    """The 实施期 as a parsed PERIOD, or None (a single year counts as that whole year)."""
    if not text or not text.strip():
        return None
    m = re.fullmatch(r"\s*(\d{4})\s*年?度?\s*", text)
    pv = parse(f"{m.group(1)}年全年" if m else text)
    if pv.kind is ValueKind.PERIOD:
        return pv
    return None


@rule("H01", "表头信息完整", "warning")
def h01_header(ctx: Context):
    d = ctx.draft
    h = d.header
    if ctx.is_project:
        if not (h.project_name or "").strip():
            yield ctx.finding("H01", "未填写项目名称。", fix="按预算支出项目名称填写", field="header.project_name",
                              severity="error")
        if not (h.department or "").strip():
            yield ctx.finding("H01", "未填写主管部门。", fix="填写主管部门（预算部门）全称",
                              field="header.department", severity="error")
        if not (h.unit or "").strip():
            yield ctx.finding("H01", "未填写实施单位。", fix="填写项目实施单位全称", field="header.unit")
        if d.form.value == "target" and not any(g.text.strip() for g in d.goals):
            yield ctx.finding("H01", "未填写年度绩效目标。", fix="用一两句话写明本年度要完成什么、达到什么效果，"
                              "与下面的指标一一对应", field="goals", severity="error")
    elif not (h.unit or "").strip():
        yield ctx.finding("H01", "未填写单位名称。", fix="填写部门（单位）名称", field="header.unit")
    if not h.year:
        yield ctx.finding("H01", "未填写预算年度。", fix="填写年度，如2025", field="header.year", severity="info")


@rule("H02", "实施期填写完整，起止顺序正确", "warning", families=("project",), forms=("target",))
def h02_period(ctx: Context):
    text = (ctx.draft.header.period or "").strip()
    if not text:
        yield ctx.finding("H02", "未填写项目实施期。", fix="写明起止年月，如“2025年1月-2025年12月”",
                          field="header.period")
        return
    pv = period_of(text)
    if pv is None:
        yield ctx.finding("H02", f"实施期“{text}”看不出起止时间。", fix="写明起止年月，如“2025年1月-2025年12月”",
                          field="header.period")
        return
    start = (pv.year, pv.month or 1, pv.day or 1)
    end = (pv.end_year, pv.end_month or 12, pv.end_day or 31)
    if end < start:
        yield ctx.finding("H02", f"实施期“{text}”的结束时间早于开始时间。", fix="检查起止年月是否写反",
                          field="header.period", severity="error")


@rule("H03", "项目属性填“新增”或“延续”", "warning", families=("project",))
def h03_attribute(ctx: Context):
    a = (ctx.draft.header.attribute or "").strip()
    if a and a not in ATTRIBUTES:
        hint = "（常年性/一次性是项目类型，不是项目属性）" if any(w in a for w in ("常年", "一次性", "经常")) else ""
        yield ctx.finding("H03", f"项目属性写作“{a}”，应为“新增”或“延续”{hint}。",
                          fix="上年已安排、本年继续的填“延续”，本年新设的填“新增”", field="header.attribute")
