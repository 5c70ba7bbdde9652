"""Word export in the layout of the official form (python-docx; East Asian fonts set explicitly)."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_ALIGN_VERTICAL, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from ..findings import SEVERITY_LABELS, Report
from ..model import Draft, Kind
from .layout import (
    own_marker,
    TABLE_COLUMNS,
    clean_text,
    fmt_amount,
    form_title,
    indicator_tables,
    origin_note,
    tier_spans,
)

BODY_FONT = "宋体"
TITLE_FONT = "黑体"
SUGGEST_SHADE = "FFF2CC"
HEAD_SHADE = "F2F2F2"


def _set_font(run, name: str, size: float | None = None, bold: bool = False) -> None:
    run.font.name = name
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)
    if size:
        run.font.size = Pt(size)
    run.font.bold = bold


def _shade(cell, color: str) -> None:
    tcpr = cell._element.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), color)
    tcpr.append(shd)


def _write(cell, text, *, bold=False, center=False, shade: str | None = None, size=10.5) -> None:
    paras = cell.paragraphs
    for extra in paras[1:]:
        extra._element.getparent().remove(extra._element)
    para = paras[0]
    for child in list(para._element):
        if child.tag != qn("w:pPr"):
            para._element.remove(child)
    lines = clean_text(text).split("\n")
    for k, line in enumerate(lines):
        if k:
            para = cell.add_paragraph()
        if center:
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _set_font(para.add_run(line), BODY_FONT, size, bold)
    if shade:
        _shade(cell, shade)


def _table(doc, rows: int, cols: int, widths: list[float]):
    t = doc.add_table(rows=rows, cols=cols)
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    for j, col in enumerate(t._tbl.tblGrid.findall(qn("w:gridCol"))):
        col.set(qn("w:w"), str(int(Cm(widths[j]).twips)))
    for row in t.rows:
        for j, cell in enumerate(row.cells):
            cell.width = Cm(widths[j])
            cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER
    return t


def _label_table(doc, items: list[tuple[str, str]]) -> None:
    t = _table(doc, len(items), 2, [3.6, 13.4])
    for (label, value), row in zip(items, t.rows):
        cells = row.cells
        _write(cells[0], label, bold=True, center=True, shade=HEAD_SHADE)
        _write(cells[1], value)


def _heading(doc, text: str) -> None:
    p = doc.add_paragraph()
    p.paragraph_format.space_before = Pt(8)
    _set_font(p.add_run(clean_text(text)), TITLE_FONT, 12, True)


def to_document(draft: Draft, report: Report | None = None):
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    normal.font.size = Pt(10.5)
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Cm(21), Cm(29.7)  # A4 (python-docx's template is US Letter)
    sec.left_margin = sec.right_margin = Cm(2)
    sec.top_margin = sec.bottom_margin = Cm(2)

    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _set_font(title.add_run(form_title(draft)), TITLE_FONT, 16, True)
    h = draft.header
    meta = doc.add_paragraph()
    meta.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _set_font(meta.add_run(clean_text(f"填报日期：{h.date or '    年  月  日'}    单位：{draft.funding.unit}")),
              BODY_FONT, 10.5)

    if draft.kind is Kind.DEPARTMENT:
        _label_table(doc, [("部门(单位)名称", h.unit or ""), ("填报人", h.filler or ""), ("联系电话", h.phone or "")])
        f = draft.funding
        if f.income or f.expense:
            _heading(doc, "部门总体资金情况")
            years = sorted({y for line in f.income + f.expense for y in line.history})[-2:]
            for title_text, lines in (("收入构成", f.income), ("支出构成", f.expense)):
                if not lines:
                    continue
                heads = [title_text, "当年金额", "占比"] + [f"{y}年" for y in years]
                t = _table(doc, len(lines) + 1, len(heads), [4.4] + [12.6 / (len(heads) - 1)] * (len(heads) - 1))
                for j, head in enumerate(heads):
                    _write(t.cell(0, j), head, bold=True, center=True, shade=HEAD_SHADE)
                for i, line in enumerate(lines, 1):
                    name = ("其中：" + line.name) if line.role == "sub" else line.name
                    vals = [name, fmt_amount(line.amount), line.share or ""] + [
                        fmt_amount(line.history.get(y)) for y in years]
                    for j, v in enumerate(vals):
                        _write(t.cell(i, j), v, bold=line.role == "total", center=j > 0)
        _heading(doc, "部门职能概述")
        _label_table(doc, [("部门职能概述", draft.duties or ""), ("年度工作任务", "\n".join(draft.tasks))])
        if draft.projects:
            _heading(doc, "项目支出情况")
            t = _table(doc, len(draft.projects) + 1, 5, [4, 3, 2.5, 2.5, 5])
            for j, head in enumerate(["项目名称", "项目类型", "项目总预算", "本年度预算", "主要支出方向和用途"]):
                _write(t.cell(0, j), head, bold=True, center=True, shade=HEAD_SHADE)
            for i, p in enumerate(draft.projects, 1):
                ptype = (p.type or "") + (f"（{p.start_year}年至{p.end_year}年）" if p.start_year and p.end_year else "")
                for j, v in enumerate([p.name, ptype, fmt_amount(p.total_budget), fmt_amount(p.annual_budget),
                                       p.use or ""]):
                    _write(t.cell(i, j), v, center=j in (2, 3))
        _heading(doc, "整体绩效总目标")
        _label_table(doc, [("长期目标", draft.long_term_goal or ""),
                           ("年度目标", "\n".join(f"目标{i}：{g.text}" for i, g in enumerate(draft.goals, 1)))])
    else:
        f = draft.funding
        items = [("项目名称", h.project_name or ""), ("主管部门", h.department or ""), ("实施单位", h.unit or ""),
                 ("项目属性", h.attribute or ""), ("实施期", h.period or ""), ("资金总额", fmt_amount(f.total))]
        items += [(line.name, fmt_amount(line.amount)) for line in f.sources if line.role != "memo"]
        items += [("实施期目标", draft.long_term_goal or ""),
                  ("年度目标", "\n".join(f"目标{i}：{g.text}" for i, g in enumerate(draft.goals, 1)))]
        _label_table(doc, items)

    for table in indicator_tables(draft):
        _heading(doc, table.title)
        rows = table.rows
        t = _table(doc, len(rows) + 1, len(TABLE_COLUMNS), [2.0, 2.4, 5.2, 3.2, 2.2, 2.0])
        for j, head in enumerate(TABLE_COLUMNS):
            _write(t.cell(0, j), head, bold=True, center=True, shade=HEAD_SHADE)
        grid = [r.cells for r in t.rows]  # table.cell() rescans the whole table; read each row once
        for i, row in enumerate(rows, 1):
            shade = SUGGEST_SHADE if row.needs_input else None
            cells = grid[i]
            _write(cells[0], row.tier1, center=True)
            _write(cells[1], row.tier2, center=True)
            _write(cells[2], row.name, shade=shade)
            _write(cells[3], row.value, center=True, shade=shade)
            _write(cells[4], row.standard or "", center=True)
            _write(cells[5], origin_note(row), shade=shade, size=9)
        t1, t2 = tier_spans(rows)
        for col, plan in ((0, t1), (1, t2)):
            for a, b in plan:
                if b > a:
                    top = grid[a + 1][col]
                    text = top.text
                    merged = top.merge(grid[b + 1][col])
                    _write(merged, text, center=True)
    if any(r.needs_input for r in draft.indicators):
        p = doc.add_paragraph()
        run = p.add_run("说明：底纹标黄的行是助手提出的建议或待填写的数值，须由填报单位确认或填写后方可上报。")
        _set_font(run, BODY_FONT, 9)
        run.font.color.rgb = RGBColor(0x80, 0x60, 0x00)
    doc.core_properties.keywords = own_marker(draft)  # not printed: lets this tool read its own file back

    if draft.rolled_forward:
        from ..change import change_rows

        doc.add_page_break()
        _heading(doc, f"{draft.header.year or ''}年度指标值变动情况")
        rows = change_rows(draft)
        t = _table(doc, len(rows) + 1, 6, [1.0, 2.4, 5.0, 3.0, 3.0, 2.6])
        for j, head in enumerate(["序号", "二级指标", "指标名称", "上年指标值", "本年指标值", "变动/原因"]):
            _write(t.cell(0, j), head, bold=True, center=True, shade=HEAD_SHADE)
        for i, (cells, row) in enumerate(zip(rows, t.rows[1:]), 1):
            tier2, name, before, now, label, reason = cells
            for j, v in enumerate([str(i), tier2, name, before, now, label + (f"：{reason}" if reason else "")]):
                _write(row.cells[j], v, center=j in (0, 5), size=9)

    if report is not None and report.findings:
        doc.add_page_break()
        _heading(doc, "审核意见")
        t = _table(doc, len(report.findings) + 1, 4, [1.4, 3.2, 6.6, 5.8])
        for j, head in enumerate(["级别", "位置", "问题", "修改建议"]):
            _write(t.cell(0, j), head, bold=True, center=True, shade=HEAD_SHADE)
        for fnd, row in zip(report.findings, t.rows[1:]):
            from .xlsx import location_label

            cells = row.cells
            for j, v in enumerate([SEVERITY_LABELS[fnd.severity], location_label(draft, fnd.row, fnd.field),
                                   fnd.message, fnd.fix or ""]):
                _write(cells[j], v, size=9)
    return doc


def to_docx_bytes(draft: Draft, report: Report | None = None) -> bytes:
    buf = io.BytesIO()
    to_document(draft, report).save(buf)
    return buf.getvalue()


def docx_text(data: bytes) -> str:
    """Plain text of a .docx (paragraphs and table cells in reading order), for drafting from prose."""
    doc = Document(io.BytesIO(data))
    parts: list[str] = []
    body = doc.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = "".join(t.text or "" for t in child.iter(qn("w:t")))
            if text.strip():
                parts.append(text)
        elif tag == "tbl":
            for tr in child.iter(qn("w:tr")):
                cells = []
                for tc in tr.iter(qn("w:tc")):
                    cells.append("".join(t.text or "" for t in tc.iter(qn("w:t"))).strip())
                line = "\t".join(c for i, c in enumerate(cells) if c and (i == 0 or c != cells[i - 1]))
                if line:
                    parts.append(line)
    return "\n".join(parts)
