"""The reviewer's desk: many filed forms in (a folder or a .zip), one summary workbook and a 审核意见 per form out."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from .findings import SEVERITY_LABELS, Finding, Report, Severity
from .io import MAX_INPUT_BYTES, FormatError, load_form_bytes
from .model import FORM_LABELS, Draft, Kind
from .validator import validate

FORM_FILES = (".xlsx", ".xlsm", ".xls", ".docx", ".pdf", ".csv", ".json")
MAX_FILES = 5000
MAX_ZIP_BYTES = 500 * 1024 * 1024


@dataclass
class FormResult:
    name: str  # the file's name as the reviewer knows it (path inside the folder or zip)
    draft: Draft | None = None
    report: Report | None = None
    reading: str | None = None  # what the reader found, in words
    error: str | None = None  # why the file could not be read

    @property
    def ok(self) -> bool:
        return self.draft is not None

    @property
    def kind_label(self) -> str:
        if not self.draft:
            return "未能读取"
        kind = "部门整体" if self.draft.kind is Kind.DEPARTMENT else "项目"
        return kind + FORM_LABELS[self.draft.form].replace("绩效", "")

    @property
    def who(self) -> str:
        if not self.draft:
            return ""
        h = self.draft.header
        return h.unit or h.department or ""

    def count(self, sev: Severity) -> int:
        return self.report.count(sev) if self.report else 0

    def worst(self, n: int = 3) -> list[Finding]:
        return [f for f in (self.report.findings if self.report else []) if f.severity is not Severity.INFO][:n]


@dataclass
class Batch:
    results: list[FormResult] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # files that are not forms (by extension)


def collect(source: Path) -> tuple[list[tuple[str, bytes]], list[str]]:
    """(name, bytes) of every form file in a folder (recursively) or a .zip; and names skipped."""
    items: list[tuple[str, bytes]] = []
    skipped: list[str] = []
    if source.is_dir():
        for p in sorted(source.rglob("*")):
            if not p.is_file() or p.name.startswith((".", "~$")):
                continue
            rel = str(p.relative_to(source))
            if p.suffix.lower() not in FORM_FILES:
                skipped.append(rel)
            elif p.stat().st_size > MAX_INPUT_BYTES:
                items.append((rel, b""))  # reported as too large below
            else:
                items.append((rel, p.read_bytes()))
    elif source.suffix.lower() == ".zip":
        try:
            zf = zipfile.ZipFile(source)
        except zipfile.BadZipFile as e:
            raise FormatError(str(source), "不是有效的 .zip 压缩包。") from e
        with zf:
            total = 0
            for info in zf.infolist():
                if info.is_dir():
                    continue
                name = _zip_name(info)
                base = name.rsplit("/", 1)[-1]
                if base.startswith((".", "~$")) or name.startswith("__MACOSX/"):
                    continue
                if Path(base).suffix.lower() not in FORM_FILES:
                    skipped.append(name)
                    continue
                total += info.file_size
                if info.file_size > MAX_INPUT_BYTES or total > MAX_ZIP_BYTES:
                    items.append((name, b""))
                    continue
                items.append((name, zf.read(info)))
    else:
        raise FormatError(str(source), "请给出一个文件夹或 .zip 压缩包。")
    if len(items) > MAX_FILES:
        raise FormatError(str(source), f"文件太多（{len(items)} 个），一次最多审核 {MAX_FILES} 个。")
    return items, skipped


def _zip_name(info: zipfile.ZipInfo) -> str:
    """Zip names written by Chinese Windows tools are GBK without the UTF-8 flag."""
    name = info.filename
    if not info.flag_bits & 0x800:
        try:
            name = name.encode("cp437").decode("gbk")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
    return name


def review_one(name: str, data: bytes) -> FormResult:
    if not data:
        return FormResult(name, error=f"文件为空或超过 {MAX_INPUT_BYTES // 1024 // 1024} MB。")
    try:
        draft, reading = load_form_bytes(data, name)
    except FormatError as e:
        return FormResult(name, error=e.message)
    return FormResult(name, draft=draft, report=validate(draft), reading=reading)


def review_all(items: Iterable[tuple[str, bytes]], progress: Callable[[str], None] | None = None) -> list[FormResult]:
    out = []
    for name, data in items:
        out.append(review_one(name, data))
        if progress:
            progress(name)
    return out


# ---------------------------------------------------------------- the summary workbook


def _place(draft: Draft, f: Finding) -> str:
    from .io.xlsx import location_label

    return location_label(draft, f.row, f.field)


def summary_workbook(results: list[FormResult], skipped: list[str] | None = None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "表格一览"
    head = ["序号", "文件", "单位", "项目/表名", "表格类型", "年度", "读取指标行数", "错误", "提示", "最主要的问题（前三项）",
            "读取说明"]
    widths = [6, 28, 24, 26, 16, 7, 8, 6, 6, 60, 40]
    bold = Font(name="宋体", bold=True)
    body = Font(name="宋体")
    fill = PatternFill("solid", fgColor="F2F2F2")
    red = PatternFill("solid", fgColor="FDE2E1")
    wrap = Alignment(wrap_text=True, vertical="top")
    ws.append(head)
    for i, r in enumerate(results, 1):
        d = r.draft
        worst = "\n".join(f"{j}. [{SEVERITY_LABELS[f.severity]}] {_place(d, f)}：{f.message}"
                          for j, f in enumerate(r.worst(), 1)) if d else ""
        title = (d.header.project_name or d.header.title or "") if d else ""
        ws.append([i, r.name, r.who, title, r.kind_label, d.header.year if d and d.header.year else "",
                   len(d.indicators) if d else 0, r.count(Severity.ERROR) if d else "", r.count(Severity.WARNING) if d else "",
                   worst or (r.error or "未发现问题"), r.reading or ""])
    for i, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    for row in ws.iter_rows(min_row=1, max_row=ws.max_row):
        for c in row:
            c.font = bold if c.row == 1 else body
            c.alignment = wrap
            if c.row == 1:
                c.fill = fill
    for r_i, r in enumerate(results, 2):
        if not r.ok or r.count(Severity.ERROR):
            ws.cell(row=r_i, column=8 if r.ok else 10).fill = red
    ws.freeze_panes = "C2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(head))}{max(1, ws.max_row)}"
    _page(ws)

    fs = wb.create_sheet("全部问题")
    fs.append(["文件", "单位", "严重程度", "位置", "问题", "修改建议", "规则"])
    for r in results:
        if not r.ok:
            fs.append([r.name, "", "无法读取", "", r.error or "", "按原表格式另存后重新提交", ""])
            continue
        for f in r.report.findings:
            if f.severity is Severity.INFO:
                continue
            fs.append([r.name, r.who, SEVERITY_LABELS[f.severity], _place(r.draft, f), f.message, f.fix or "", f.code])
    for i, width in enumerate([28, 24, 9, 22, 60, 48, 7], 1):
        fs.column_dimensions[get_column_letter(i)].width = width
    for row in fs.iter_rows(min_row=1, max_row=fs.max_row):
        for c in row:
            c.font = bold if c.row == 1 else body
            c.alignment = wrap
            if c.row == 1:
                c.fill = fill
    fs.freeze_panes = "A2"
    fs.auto_filter.ref = f"A1:G{max(1, fs.max_row)}"
    _page(fs)
    if skipped:
        ks = wb.create_sheet("未审核的文件")
        ks.append(["文件", "原因"])
        for s in skipped:
            ks.append([s, "不是表格文件（支持 .xlsx .xls .docx .pdf .csv .json）"])
        ks.column_dimensions["A"].width = 40
        ks.column_dimensions["B"].width = 50
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _page(ws) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"


# ---------------------------------------------------------------- 审核意见 (one Word document per form)


def opinion_docx(r: FormResult) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21), Cm(29.7)
    sec.left_margin = sec.right_margin = Cm(2.2)
    style = doc.styles["Normal"]
    style.font.name = "宋体"
    style.font.size = Pt(11)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")

    def para(text: str, *, bold=False, size=None, center=False):
        p = doc.add_paragraph()
        run = p.add_run(text)
        run.bold = bold
        run.font.name = "宋体"
        run._element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
        if size:
            run.font.size = Pt(size)
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        return p

    para("绩效目标审核意见", bold=True, size=16, center=True)
    d = r.draft
    if d is None:
        para(f"文件：{r.name}")
        para(f"该文件未能读取：{r.error}")
        para("请按原申报表格式（Excel、Word 或 PDF）另存后重新提交。")
    else:
        h = d.header
        para(f"单位：{r.who or '（表中未写）'}")
        if h.project_name:
            para(f"项目：{h.project_name}")
        para(f"表格：{(str(h.year) + '年度') if h.year else ''}{r.kind_label}（{r.name}，读取指标{len(d.indicators)}行）")
        errors, warnings = r.count(Severity.ERROR), r.count(Severity.WARNING)
        if not errors and not warnings:
            para("经审核，未发现需要修改的问题。")
        else:
            para(f"经审核，发现需要修改的问题{errors}项、建议完善的问题{warnings}项，请修改后重新报送：")
        for sev, title in ((Severity.ERROR, "一、必须修改的问题"), (Severity.WARNING, "二、建议完善的问题")):
            items = [f for f in r.report.findings if f.severity is sev]
            if not items:
                continue
            para(title, bold=True)
            table = doc.add_table(rows=1, cols=4)
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, ("序号", "位置", "问题", "修改建议")):
                cell.text = text
                cell.paragraphs[0].runs[0].bold = True
            for i, f in enumerate(items, 1):
                cells = table.add_row().cells
                for cell, text in zip(cells, (str(i), _place(d, f), f.message, f.fix or "")):
                    cell.text = text
            table.autofit = False
            for col, width in zip(table.columns, (Cm(1.2), Cm(3.6), Cm(6.8), Cm(5.0))):
                col.width = width
                for cell in col.cells:
                    cell.width = width
    para("")
    para("审核人：＿＿＿＿＿＿　　审核日期：＿＿＿＿年＿＿月＿＿日")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def opinion_name(r: FormResult, used: set[str]) -> str:
    stem = Path(r.name.replace("\\", "/")).stem
    base = re.sub(r'[\\/:*?"<>|\s]+', "_", f"审核意见_{r.who + '_' if r.who else ''}{stem}")[:120]
    name, n = f"{base}.docx", 2
    while name in used:
        name, n = f"{base}_{n}.docx", n + 1
    used.add(name)
    return name
