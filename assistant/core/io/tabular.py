"""Flat exports: CSV (utf-8-sig, formula-guarded) and Markdown (for the chat)."""

from __future__ import annotations

import csv
import io

from ..findings import SEVERITY_LABELS, Report
from ..model import ORIGIN_LABELS, Draft, Kind, Origin, Scope
from .layout import CSV_COLUMNS, clean_text, csv_cell, fmt_amount, form_title


SELF_EVAL_COLUMNS = ["全年实际完成值", "分值", "得分", "偏差原因分析及改进措施"]


def to_csv(draft: Draft) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    evaluation = draft.form.value == "self_eval"
    w.writerow(CSV_COLUMNS + (SELF_EVAL_COLUMNS if evaluation else []))
    for r in draft.indicators:
        extra = [r.actual or "", fmt_amount(r.weight), fmt_amount(r.score), r.deviation or ""] if evaluation else []
        w.writerow([csv_cell(x) for x in (
            r.goal or "", "长期" if r.scope is Scope.LONG_TERM else "年度", r.tier1, r.tier2, r.name, r.value,
            r.standard or "", ORIGIN_LABELS[r.origin], r.note or "", *extra)])
    return buf.getvalue()


def to_csv_bytes(draft: Draft) -> bytes:
    return to_csv(draft).encode("utf-8-sig")


def _md(text: object) -> str:
    return clean_text(text).replace("|", "｜").replace("\n", "<br>") if text not in (None, "") else ""


def to_markdown(draft: Draft, report: Report | None = None) -> str:
    h = draft.header
    lines = [f"### {form_title(draft)}", ""]
    who = h.unit or "（未填单位）"
    if draft.kind is Kind.PROJECT and h.project_name:
        who = f"{h.project_name}（{who}）"
    lines.append(f"**单位/项目**：{_md(who)}　**规则版本**：{draft.profile or '自动判断'}")
    budget = draft.budget_wan()
    if budget is not None:
        lines.append(f"**资金**：{fmt_amount(budget)}万元")
    if draft.goals:
        lines.append("")
        lines += [f"- 年度目标{i}：{_md(g.text)}" for i, g in enumerate(draft.goals, 1)]
    lines += ["", "| # | 目标 | 一级指标 | 二级指标 | 指标名称 | 指标值 | 绩效标准 | 来源 |",
              "|---|---|---|---|---|---|---|---|"]
    for i, r in enumerate(draft.indicators, 1):
        origin = ORIGIN_LABELS[r.origin]
        if r.origin is Origin.SUGGESTED:
            origin = f"**{origin}**"
        lines.append(f"| {i} | {r.goal or ''} | {_md(r.tier1)} | {_md(r.tier2)} | {_md(r.name)} | {_md(r.value)} | "
                     f"{_md(r.standard)} | {origin} |")
    if report is not None:
        s = report.summary()
        lines += ["", f"**检查结果**（{report.profile_title}）：错误 {s['errors']} 项，提示 {s['warnings']} 项。"]
        for f in report.findings:
            if f.severity.value == "info":
                continue
            where = f"第{f.row + 1}行 " if f.row is not None else ""
            lines.append(f"- [{SEVERITY_LABELS[f.severity]}] {where}{_md(f.message)} 建议：{_md(f.fix)}")
    return "\n".join(lines) + "\n"
