"""The 绩效自评表 in its published layout (Excel and Word): header, 项目资金 execution block, 年度总体目标
(预期目标 | 实际完成情况), indicators with 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施, 总分.

Our own form reader (io/forms) reads these files back, as it reads any unit's 自评表."""

from __future__ import annotations

import io

from ..findings import Report
from ..model import Draft, Kind
from ..values import format_amount
from .layout import clean_text, tier_spans

COLUMNS = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"]
EXEC_HEADS = ["年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]


def _n(x: float | None) -> str:
    return "" if x is None else format_amount(round(x, 2))


def title(draft: Draft) -> str:
    year = f"（{draft.header.year}年度）" if draft.header.year else ""
    kind = "部门整体支出" if draft.kind is Kind.DEPARTMENT else "项目支出"
    return f"{kind}绩效自评表{year}"


def _header_pairs(draft: Draft) -> list[tuple[str, str]]:
    h = draft.header
    if draft.kind is Kind.DEPARTMENT:
        return [("部门（单位）名称", h.unit or "")]
    return [("项目名称", h.project_name or ""), ("主管部门", h.department or ""), ("实施单位", h.unit or "")]


def _exec_rows(draft: Draft) -> list[list[str]]:
    ex = draft.execution
    if ex is None:
        return []
    rows = [["年度资金总额", _n(ex.initial), _n(ex.full_year), _n(ex.executed), _n(ex.weight), ex.rate or "",
             _n(ex.score)]]
    for line in draft.funding.sources:
        rows.append([f"其中：{line.name}" if len(rows) == 1 else line.name, "", _n(line.amount), "", "—", "", "—"])
    return rows


def _total(draft: Draft) -> tuple[str, str]:
    weights = [r.weight for r in draft.indicators if r.weight is not None]
    ex = draft.execution
    w = sum(weights) + (ex.weight or 0 if ex else 0) if weights else None
    return _n(w), _n(draft.total_score)


def to_workbook(draft: Draft, report: Report | None = None):
    from openpyxl import Workbook

    from .xlsx import BORDER, CENTER, HEAD_FILL, WRAP, _findings_sheet, _Writer, fit_row_heights

    wb = Workbook()
    ws = wb.active
    ws.title = "绩效自评表"
    widths = [12, 14, 26, 14, 14, 8, 8, 30]
    for i, width in enumerate(widths, 1):
        ws.column_dimensions[chr(64 + i)].width = width
    w = _Writer(ws)
    w.put(1, 1, title(draft), bold=True, size=16, align=CENTER)
    w.merge(1, 1, 8)
    w.r = 2
    for label, value in _header_pairs(draft):
        w.put(w.r, 1, label, bold=True, fill=HEAD_FILL, align=CENTER)
        w.merge(w.r, 1, 2)
        w.put(w.r, 3, value)
        w.merge(w.r, 3, 8)
        w.r += 1
    rows = _exec_rows(draft)
    if rows:
        start = w.r
        w.put(w.r, 1, "项目资金（万元）", bold=True, fill=HEAD_FILL, align=CENTER)
        w.put(w.r, 2, "", fill=HEAD_FILL)
        for c, head in enumerate(EXEC_HEADS, 3):
            w.put(w.r, c, head, bold=True, fill=HEAD_FILL, align=CENTER)
        w.r += 1
        for row in rows:
            for c, v in enumerate(row, 2):
                w.put(w.r, c, v, align=CENTER if c > 2 else WRAP)
            w.r += 1
        w.merge(start, 1, 1, w.r - 1)
    goal_text = "\n".join(g.text for g in draft.goals) or (draft.long_term_goal or "")
    w.put(w.r, 1, "年度总体目标", bold=True, fill=HEAD_FILL, align=CENTER)
    w.put(w.r, 2, "预期目标", bold=True, fill=HEAD_FILL, align=CENTER)
    w.merge(w.r, 2, 4)
    w.put(w.r, 5, "实际完成情况", bold=True, fill=HEAD_FILL, align=CENTER)
    w.merge(w.r, 5, 8)
    w.put(w.r + 1, 2, goal_text)
    w.merge(w.r + 1, 2, 4)
    w.put(w.r + 1, 5, draft.actual_summary or "")
    w.merge(w.r + 1, 5, 8)
    w.merge(w.r, 1, 1, w.r + 1)
    w.r += 2
    for c, head in enumerate(COLUMNS, 1):
        w.put(w.r, c, head, bold=True, fill=HEAD_FILL, align=CENTER)
    w.r += 1
    first = w.r
    inds = draft.indicators
    for i, r in enumerate(inds):
        rr = first + i
        for c, v in enumerate([r.tier1, r.tier2, r.name, r.value, r.actual or "", _n(r.weight), _n(r.score),
                               r.deviation or ""], 1):
            w.put(rr, c, v, align=WRAP if c in (3, 8) else CENTER)
    w.merge_tiers(first, inds)
    w.r = first + len(inds)
    weight, score = _total(draft)
    w.put(w.r, 1, "总分", bold=True, fill=HEAD_FILL, align=CENTER)
    w.merge(w.r, 1, 5)
    w.put(w.r, 6, weight, align=CENTER)
    w.put(w.r, 7, score, align=CENTER)
    w.put(w.r, 8, "")
    for row in ws.iter_rows(min_row=2, max_row=w.r, max_col=8):
        for cell in row:
            cell.border = BORDER
    fit_row_heights(ws, widths)
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if report is not None:
        _findings_sheet(wb, draft, report)
    return wb


def to_xlsx_bytes(draft: Draft, report: Report | None = None) -> bytes:
    buf = io.BytesIO()
    to_workbook(draft, report).save(buf)
    return buf.getvalue()


def to_docx_bytes(draft: Draft, report: Report | None = None) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm

    from .docx import HEAD_SHADE, _heading, _write

    doc = Document()
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.LANDSCAPE
    sec.page_width, sec.page_height = Cm(29.7), Cm(21)
    sec.left_margin = sec.right_margin = Cm(1.8)
    _heading(doc, title(draft))
    exec_rows = _exec_rows(draft)
    inds = draft.indicators
    n = len(_header_pairs(draft)) + (len(exec_rows) + 1 if exec_rows else 0) + 2 + 1 + len(inds) + 1
    t = doc.add_table(rows=n, cols=8)
    t.style = "Table Grid"
    r = 0
    for label, value in _header_pairs(draft):
        a = t.cell(r, 0).merge(t.cell(r, 1))
        _write(a, label, bold=True, center=True, shade=HEAD_SHADE)
        _write(t.cell(r, 2).merge(t.cell(r, 7)), value)
        r += 1
    if exec_rows:
        top = r
        _write(t.cell(r, 0), "项目资金（万元）", bold=True, center=True, shade=HEAD_SHADE)
        for c, head in enumerate(EXEC_HEADS, 2):
            _write(t.cell(r, c), head, bold=True, center=True, shade=HEAD_SHADE)
        r += 1
        for row in exec_rows:
            for c, v in enumerate(row, 1):
                _write(t.cell(r, c), v, center=c > 1)
            r += 1
        t.cell(top, 0).merge(t.cell(r - 1, 0))
    _write(t.cell(r, 0).merge(t.cell(r + 1, 0)), "年度总体目标", bold=True, center=True, shade=HEAD_SHADE)
    _write(t.cell(r, 1).merge(t.cell(r, 3)), "预期目标", bold=True, center=True, shade=HEAD_SHADE)
    _write(t.cell(r, 4).merge(t.cell(r, 7)), "实际完成情况", bold=True, center=True, shade=HEAD_SHADE)
    _write(t.cell(r + 1, 1).merge(t.cell(r + 1, 3)), "\n".join(g.text for g in draft.goals) or (draft.long_term_goal or ""))
    _write(t.cell(r + 1, 4).merge(t.cell(r + 1, 7)), draft.actual_summary or "")
    r += 2
    for c, head in enumerate(COLUMNS):
        _write(t.cell(r, c), head, bold=True, center=True, shade=HEAD_SHADE)
    r += 1
    first = r
    for i, row in enumerate(inds):
        for c, v in enumerate([row.tier1, row.tier2, row.name, row.value, row.actual or "", _n(row.weight),
                               _n(row.score), row.deviation or ""]):
            _write(t.cell(first + i, c), clean_text(v), center=c not in (2, 7), size=9)
    t1, t2 = tier_spans(inds)
    for col, spans in ((0, t1), (1, t2)):
        for a, b in spans:
            if b > a:
                merged = t.cell(first + a, col).merge(t.cell(first + b, col))
                _write(merged, inds[a].tier1 if col == 0 else inds[a].tier2, center=True, size=9)
    r = first + len(inds)
    weight, score = _total(draft)
    _write(t.cell(r, 0).merge(t.cell(r, 4)), "总分", bold=True, center=True, shade=HEAD_SHADE)
    _write(t.cell(r, 5), weight, center=True)
    _write(t.cell(r, 6), score, center=True)
    if report is not None and report.findings:
        from ..findings import SEVERITY_LABELS
        from .xlsx import location_label

        _heading(doc, "审核意见")
        ft = doc.add_table(rows=1, cols=4)
        ft.style = "Table Grid"
        for j, head in enumerate(["级别", "位置", "问题", "修改建议"]):
            _write(ft.cell(0, j), head, bold=True, center=True, shade=HEAD_SHADE)
        for f in report.findings:
            cells = ft.add_row().cells
            for j, v in enumerate([SEVERITY_LABELS[f.severity], location_label(draft, f.row, f.field), f.message,
                                   f.fix or ""]):
                _write(cells[j], v, size=9)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
