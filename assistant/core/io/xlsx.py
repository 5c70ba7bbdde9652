"""Excel export in the layout of the official form, and import of our own and flat tables."""

from __future__ import annotations

import io
import re
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..findings import SEVERITY_LABELS, Report
from ..model import Draft, Funding, FundingLine, Goal, Header, Indicator, Kind, Origin, Project, Scope
from .errors import FormatError
from .layout import (
    TABLE_COLUMNS,
    own_marker,
    read_marker,
    clean_text,
    form_title,
    indicator_tables,
    needs_formula_guard,
    origin_note,
    parse_origin_note,
    tier_spans,
)

FONT = "宋体"
NCOLS = 6
WIDTHS = [14, 16, 34, 20, 16, 22]
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="F2F2F2")
SUGGEST_FILL = PatternFill("solid", fgColor="FFF2CC")
WRAP = Alignment(wrap_text=True, vertical="center")
CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")
VERSION_LABEL = "规则版本"
KIND_LABELS = {Kind.DEPARTMENT: "部门整体支出", Kind.PROJECT: "项目支出"}


class _Writer:
    def __init__(self, ws: Worksheet):
        self.ws = ws
        self.r = 1

    def put(self, row: int, col: int, value: Any, *, bold=False, fill=None, align=WRAP, size=11) -> Cell:
        cell = self.ws.cell(row=row, column=col)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            cell.value = value
            cell.number_format = "General"  # 366.8 as in Word, CSV and the app (format_amount), not 366.80
            align = CENTER if align is WRAP else align
        else:
            text = clean_text(value)
            cell.value = text
            if needs_formula_guard(text):
                cell.data_type = "s"  # never a formula; the text is kept as the user wrote it
                cell.quotePrefix = True
        cell.font = Font(name=FONT, bold=bold, size=size)
        cell.alignment = align
        cell.border = BORDER
        if fill:
            cell.fill = fill
        return cell

    def merge(self, row: int, c1: int, c2: int, row2: int | None = None) -> None:
        row2 = row2 or row
        for rr in range(row, row2 + 1):
            for cc in range(c1, c2 + 1):
                self.ws.cell(row=rr, column=cc).border = BORDER
        if (c1, row) != (c2, row2):
            self.ws.merge_cells(start_row=row, start_column=c1, end_row=row2, end_column=c2)

    def label_row(self, label: str, value: Any, height_chars: int = 0) -> None:
        self.put(self.r, 1, label, bold=True, fill=HEAD_FILL, align=CENTER)
        self.put(self.r, 2, value)
        self.merge(self.r, 2, NCOLS)
        text = clean_text(value)
        if text:
            lines = sum(max(1, len(line) // 60 + 1) for line in text.split("\n"))
            self.ws.row_dimensions[self.r].height = min(400, max(18, 16 * lines))
        self.r += 1

    def pairs_row(self, items: list[tuple[str, Any]]) -> None:
        col = 1
        for label, value in items:
            self.put(self.r, col, label, bold=True, fill=HEAD_FILL, align=CENTER)
            self.put(self.r, col + 1, value)
            col += 2
        self.r += 1

    def merge_tiers(self, first: int, rows: list[Indicator]) -> None:
        """一级 in column A and 二级 in column B merged over their runs, rows starting at sheet row `first`."""
        t1, t2 = tier_spans(rows)
        for col, runs in ((1, t1), (2, t2)):
            for a, b in runs:
                if b > a:
                    self.merge(first + a, col, col, first + b)

    def heading(self, text: str) -> None:
        self.put(self.r, 1, text, bold=True, fill=HEAD_FILL, align=Alignment(vertical="center", wrap_text=True))
        self.merge(self.r, 1, NCOLS)
        self.r += 1


def _funding_table(w: _Writer, title: str, lines: list[FundingLine], years: list[str]) -> None:
    if not lines:
        return
    heads = [title, "当年金额", "占比"] + [f"{y}年" for y in years]
    for c, h in enumerate(heads, 1):
        w.put(w.r, c, h, bold=True, fill=HEAD_FILL, align=CENTER)
    w.merge(w.r, len(heads), NCOLS) if len(heads) < NCOLS else None
    w.r += 1
    for line in lines:
        name = ("  其中：" + line.name) if line.role == "sub" else line.name
        vals = [name, line.amount if line.amount is not None else "", line.share or ""]
        vals += [line.history.get(y) if line.history.get(y) is not None else "" for y in years]
        for c, v in enumerate(vals, 1):
            w.put(w.r, c, v, bold=line.role == "total")
        if len(vals) < NCOLS:
            w.merge(w.r, len(vals), NCOLS)
        w.r += 1


def _history_years(f: Funding) -> list[str]:
    ys = sorted({y for line in f.income + f.expense for y in line.history})
    return ys[-2:]


def _indicator_block(w: _Writer, draft: Draft) -> None:
    for table in indicator_tables(draft):
        w.heading(table.title)
        for c, h in enumerate(TABLE_COLUMNS, 1):
            w.put(w.r, c, h, bold=True, fill=HEAD_FILL, align=CENTER)
        w.r += 1
        rows = table.rows
        if not rows:
            w.put(w.r, 1, "（暂无指标）")
            w.merge(w.r, 1, NCOLS)
            w.r += 1
            continue
        first = w.r
        for i, row in enumerate(rows):
            rr = first + i
            fill = SUGGEST_FILL if row.needs_input else None
            w.put(rr, 1, row.tier1, align=CENTER)
            w.put(rr, 2, row.tier2, align=CENTER)
            w.put(rr, 3, row.name, fill=fill)
            w.put(rr, 4, row.value, fill=fill, align=CENTER)
            w.put(rr, 5, row.standard or "", align=CENTER)
            w.put(rr, 6, origin_note(row), fill=fill)
        w.merge_tiers(first, rows)
        w.r = first + len(rows)
    w.r += 1


def to_workbook(draft: Draft, report: Report | None = None) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = "绩效目标申报表"
    for i, width in enumerate(WIDTHS, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    w = _Writer(ws)
    h = draft.header
    ws.cell(row=1, column=1, value=clean_text(h.title or form_title(draft))).font = Font(name="黑体", size=16, bold=True)
    ws.cell(row=1, column=1).alignment = Alignment(horizontal="center", vertical="center")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=NCOLS)
    ws.row_dimensions[1].height = 30
    w.r = 2
    w.pairs_row([("填报日期", h.date or ""), ("年度", h.year or ""), ("金额单位", draft.funding.unit)])
    if draft.kind is Kind.DEPARTMENT:
        w.label_row("部门(单位)名称", h.unit or "")
        w.pairs_row([("填报人", h.filler or ""), ("联系电话", h.phone or ""), ("表格类型", KIND_LABELS[draft.kind])])
        f = draft.funding
        if f.income or f.expense:
            w.heading("部门总体资金情况")
            years = _history_years(f)
            _funding_table(w, "收入构成", f.income, years)
            _funding_table(w, "支出构成", f.expense, years)
        w.label_row("部门职能概述", draft.duties or "")
        w.label_row("年度工作任务", "\n".join(draft.tasks))
        if draft.projects:
            w.heading("项目支出情况")
            for c, head in enumerate(["项目名称", "项目类型", "项目总预算", "本年度预算", "主要支出方向和用途"], 1):
                w.put(w.r, c, head, bold=True, fill=HEAD_FILL, align=CENTER)
            w.merge(w.r, 5, NCOLS)
            w.r += 1
            for p in draft.projects:
                ptype = p.type or ""
                if p.start_year and p.end_year:
                    ptype += f"（{p.start_year}年至{p.end_year}年）"
                for c, v in enumerate([p.name, ptype, p.total_budget if p.total_budget is not None else "",
                                       p.annual_budget if p.annual_budget is not None else "", p.use or ""], 1):
                    w.put(w.r, c, v)
                w.merge(w.r, 5, NCOLS)
                w.r += 1
        w.label_row("长期目标", draft.long_term_goal or "")
    else:
        w.label_row("项目名称", h.project_name or "")
        w.pairs_row([("主管部门", h.department or ""), ("实施单位", h.unit or ""), ("表格类型", KIND_LABELS[draft.kind])])
        w.pairs_row([("项目属性", h.attribute or ""), ("实施期", h.period or ""), ("填报人", h.filler or "")])
        f = draft.funding
        w.heading("项目资金")
        w.label_row("资金总额", f.total if f.total is not None else "")
        for line in f.sources:
            label = line.name if line.role != "memo" else f"（参考）{line.name}"
            w.label_row(label, line.amount if line.amount is not None else "")
        if f.breakdown:
            w.heading("支出明细")
            for line in f.breakdown:
                w.label_row(line.name, line.amount if line.amount is not None else "")
        w.label_row("实施期目标", draft.long_term_goal or "")
    w.label_row("年度目标", "\n".join(f"目标{i}：{g.text}" for i, g in enumerate(draft.goals, 1)))
    w.r += 1
    _indicator_block(w, draft)
    wb.properties.keywords = own_marker(draft)  # not printed: lets this tool read its own file back
    if any(r.needs_input for r in draft.indicators):
        w.put(w.r, 1, "说明：黄色底纹的行是助手提出的建议或待填写的数值，须由填报单位确认或填写后方可上报。",
              align=Alignment(wrap_text=True))
        w.merge(w.r, 1, NCOLS)
        w.r += 1
    fit_row_heights(ws, WIDTHS)
    ws.print_options.horizontalCentered = True
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth = 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToHeight = 0
    if draft.rolled_forward:
        _change_sheet(wb, draft)
    if report is not None:
        _findings_sheet(wb, draft, report)
    return wb


CHANGE_SHEET = "指标值变动情况"


def _change_sheet(wb: Workbook, draft: Draft) -> None:
    """指标值变动情况: last year's value beside this year's, the change, and 变动原因 for the unit to fill."""
    from ..change import change_rows

    ws = wb.create_sheet(CHANGE_SHEET)
    w = _Writer(ws)
    widths = [6, 14, 30, 18, 18, 8, 30]
    for i, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    w.put(1, 1, f"{draft.header.year or ''}年度指标值变动情况", bold=True, align=CENTER, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=7)
    for c, head in enumerate(["序号", "二级指标", "指标名称", "上年指标值", "本年指标值", "变动", "变动原因"], 1):
        w.put(2, c, head, bold=True, fill=HEAD_FILL, align=CENTER)
    for i, cells in enumerate(change_rows(draft), 1):
        fill = SUGGEST_FILL if cells[4] != "=" else None
        for c, v in enumerate([i, *cells], 1):
            w.put(2 + i, c, v, align=CENTER if c in (1, 6) else WRAP, fill=fill if c == 6 else None)
    fit_row_heights(ws, widths)
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:2"


def _text_width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def fit_row_heights(ws: Worksheet, widths: list[float]) -> None:
    """Excel doesn't grow rows for wrapped text written by openpyxl; estimate the height per row."""
    spans: dict[tuple[int, int], float] = {}
    for rng in ws.merged_cells.ranges:
        if rng.min_row == rng.max_row:
            spans[(rng.min_row, rng.min_col)] = sum(widths[c - 1] for c in range(rng.min_col, rng.max_col + 1))
    merged_tall = {(r, rng.min_col) for rng in ws.merged_cells.ranges if rng.min_row != rng.max_row
                   for r in range(rng.min_row, rng.max_row + 1)}
    for row in ws.iter_rows():
        lines = 1
        for cell in row:
            if cell.value is None or (cell.row, cell.column) in merged_tall or cell.column > len(widths):
                continue
            cap = max(1, int(spans.get((cell.row, cell.column), widths[cell.column - 1]) * 0.95))
            lines = max(lines, sum(max(1, -(-_text_width(part) // cap)) for part in str(cell.value).split("\n")))
        current = ws.row_dimensions[row[0].row].height
        height = min(409, 15 * lines + 3)
        if current is None or current < height:
            ws.row_dimensions[row[0].row].height = height


_FIELD_LABELS = {"funding.income": "资金·收入构成", "funding.expense": "资金·支出构成", "funding.sources": "资金·来源",
                 "funding.breakdown": "资金·支出明细", "funding": "资金", "indicators": "全表", "goals": "年度目标",
                 "header.unit": "表头·单位名称", "header.year": "表头·年度", "header.project_name": "表头·项目名称",
                 "long_term_goal": "长期/实施期目标", "header.department": "表头·主管部门", "header.period": "表头·实施期",
                 "header.attribute": "表头·项目属性", "execution": "预算执行", "execution.rate": "预算执行·执行率",
                 "execution.score": "预算执行·得分", "execution.weight": "预算执行·分值",
                 "execution.full_year": "预算执行·全年预算数", "execution.executed": "预算执行·全年执行数",
                 "total_score": "总分"}


def location_label(draft: Draft, row: int | None, field: str | None) -> str:
    from ..profiles import concept_name

    if row is not None and row < len(draft.indicators):
        name = draft.indicators[row].name
        return f"第{row + 1}行 {name if len(name) <= 16 else name[:15] + '…'}"
    if not field:
        return "全表"
    if field.startswith("tier:"):
        return f"全表·{concept_name(field[5:])}指标"
    m = re.match(r"goal\[(\d+)\]", field)
    if m:
        return f"年度目标{m.group(1)}"
    return _FIELD_LABELS.get(field, field)


def _findings_sheet(wb: Workbook, draft: Draft, report: Report) -> None:
    ws = wb.create_sheet("审核意见")
    w = _Writer(ws)
    widths = [6, 8, 8, 26, 50, 44]
    for i, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    s = report.summary()
    w.put(1, 1, f"审核意见（规则版本：{report.profile_title}；错误{s['errors']}项，提示{s['warnings']}项）", bold=True)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=6)
    for c, head in enumerate(["序号", "级别", "规则", "位置", "问题", "修改建议"], 1):
        w.put(2, c, head, bold=True, fill=HEAD_FILL, align=CENTER)
    for i, f in enumerate(report.findings, 1):
        where = location_label(draft, f.row, f.field)
        for c, v in enumerate([i, SEVERITY_LABELS[f.severity], f.code, where, f.message, f.fix or ""], 1):
            w.put(2 + i, c, v, align=CENTER if c <= 3 else WRAP)
    fit_row_heights(ws, widths)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def to_xlsx_bytes(draft: Draft, report: Report | None = None) -> bytes:
    buf = io.BytesIO()
    to_workbook(draft, report).save(buf)
    return buf.getvalue()


# --- import -----------------------------------------------------------------------------------

def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    return str(v).strip()


def _sheet_rows(ws: Worksheet) -> list[list[str]]:
    return [[_text(c) for c in row] for row in ws.iter_rows(values_only=True)]


def read_own_workbook(data: bytes, path: str) -> Draft | None:
    """Our own export read back exactly; None for any other workbook (read by forms/ in its layout)."""
    try:
        wb = load_workbook(io.BytesIO(data), data_only=True, read_only=False)
    except Exception as e:  # openpyxl raises many types for a file that isn't a workbook
        raise FormatError(path, f"不是有效的 Excel（.xlsx）文件（{type(e).__name__}）。") from e
    ws = wb["绩效目标申报表"] if "绩效目标申报表" in wb.sheetnames else wb.worksheets[0]
    profile = read_marker(wb.properties.keywords)
    rows = _sheet_rows(ws)
    if profile is not None or any(r and r[0] == VERSION_LABEL for r in rows):  # older exports printed the label
        draft = _read_own(rows, path)
        if profile:
            draft.profile = profile
        if CHANGE_SHEET in wb.sheetnames:
            _read_changes(_sheet_rows(wb[CHANGE_SHEET]), draft)
        return draft
    return None


def _read_changes(rows: list[list[str]], draft: Draft) -> None:
    """The 指标值变动情况 sheet of our own export: last year's values, the 变动原因 the unit wrote, dropped rows."""
    from ..change import DROPPED, NONE_LAST_YEAR
    from ..model import LastYearRow

    last: list[LastYearRow] = []
    for r in rows[2:]:
        r = r + [""] * (7 - len(r))
        if not r[0].strip().isdigit():
            continue
        k, tier2, name, before, now, reason = int(r[0]) - 1, r[1], r[2], r[3], r[4], r[6]
        if now == DROPPED:
            last.append(LastYearRow(tier2=tier2, name=name, value=before))
        elif k < len(draft.indicators) and draft.indicators[k].name == name:
            row = draft.indicators[k]
            row.change_reason = reason or None
            if before != NONE_LAST_YEAR:
                row.previous = before
                last.append(LastYearRow(id=row.id, tier2=tier2, name=name, value=before))
    draft.last_year_rows = last


_AMOUNT = re.compile(r"^-?\d+(\.\d+)?$")


def _num(s: str) -> float | None:
    s = s.replace(",", "").strip()
    return float(s) if _AMOUNT.match(s) else None


_STOP = {"部门职能概述", "年度工作任务", "长期目标", "项目支出情况", "年度目标", "收入构成", "支出构成", "实施期目标",
         "部门总体资金情况", "项目资金", "支出明细", VERSION_LABEL}


def _read_own(rows: list[list[str]], path: str) -> Draft:
    """Our own export: label rows in column A, tables under headings (see to_workbook)."""
    rows = [r + [""] * (NCOLS + 2 - len(r)) for r in rows]
    title = rows[0][0] if rows else ""
    kind_label = next((r[j + 1] for r in rows[:8] for j in range(0, NCOLS - 1, 2) if r[j] == "表格类型"), "")
    kind = Kind.DEPARTMENT if (kind_label or title).startswith("部门整体") or "部门整体" in title else Kind.PROJECT
    d = Draft(kind=kind)
    f = Funding()
    labels: dict[str, str] = {}
    pairs: dict[str, str] = {}
    section: str | None = None  # where label rows with amounts go: sources / breakdown
    goal: int | None = None
    scope = Scope.ANNUAL
    i = 1
    while i < len(rows):
        row = rows[i]
        a = row[0]
        if a in ("填报日期", "填报人", "主管部门", "项目属性"):
            for j in range(0, NCOLS - 1, 2):
                if row[j]:
                    pairs[row[j]] = row[j + 1]
        elif a in ("收入构成", "支出构成"):
            years = [c[:-1] for c in row[3:NCOLS] if re.fullmatch(r"\d{4}年", c)]
            lines = f.income if a == "收入构成" else f.expense
            while i + 1 < len(rows) and rows[i + 1][0] and rows[i + 1][0] not in _STOP:
                i += 1
                r = rows[i]
                name, role = r[0].strip(), "item"
                if name.startswith("其中："):
                    name, role = name[3:], "sub"
                elif name in ("合计", "总计"):
                    role = "total"
                hist = {y: _num(r[3 + k]) for k, y in enumerate(years) if _num(r[3 + k]) is not None}
                lines.append(FundingLine(name=name, amount=_num(r[1]), share=r[2] or None, history=hist, role=role))
        elif a == "项目名称" and row[1] == "项目类型":
            while i + 1 < len(rows) and rows[i + 1][0] and rows[i + 1][0] not in _STOP:
                i += 1
                r = rows[i]
                m = re.match(r"^(.*?)(?:（(\d{4})年至(\d{4})年）)?$", r[1])
                d.projects.append(Project(name=r[0], type=m.group(1) or None, total_budget=_num(r[2]),
                                          start_year=int(m.group(2)) if m.group(2) else None,
                                          end_year=int(m.group(3)) if m.group(3) else None,
                                          annual_budget=_num(r[3]), use=r[4] or None))
        elif a == "项目资金":
            section = "sources"
        elif a == "支出明细":
            section = "breakdown"
        elif re.match(r"^年度目标\d+：", a) and not row[1]:
            goal, scope = int(re.match(r"^年度目标(\d+)：", a).group(1)), Scope.ANNUAL
        elif a in ("长期目标绩效指标", "实施期绩效指标"):
            goal, scope = None, Scope.LONG_TERM
        elif a in ("年度绩效指标", "未归入年度目标的指标"):
            goal, scope = None, Scope.ANNUAL
        elif a == "一级指标" and row[1] == "二级指标":
            t1 = t2 = ""
            while i + 1 < len(rows):
                r = rows[i + 1]
                if r[0] == "（暂无指标）":
                    i += 1
                    break
                if not r[2] and not r[3]:
                    break
                i += 1
                t2 = r[1] or (t2 if not r[0] else "")  # merged 二级 reads empty below its first row
                t1 = r[0] or t1
                origin, note = parse_origin_note(r[5])
                d.indicators.append(Indicator(goal=goal, scope=scope, tier1=t1, tier2=t2, name=r[2], value=r[3],
                                              standard=r[4] or None, origin=origin or Origin.IMPORTED, note=note))
        elif a and section and a not in _STOP and a != "资金总额" and _num(row[1]) is not None:
            memo = a.startswith("（参考）")
            line = FundingLine(name=a[4:] if memo else a, amount=_num(row[1]), role="memo" if memo else "item")
            getattr(f, section).append(line)
        elif a:
            labels[a] = row[1]
        i += 1
    h = Header(date=pairs.get("填报日期") or None, year=pairs.get("年度") or None, filler=pairs.get("填报人") or None,
               phone=pairs.get("联系电话") or None, department=pairs.get("主管部门") or None,
               attribute=pairs.get("项目属性") or None, period=pairs.get("实施期") or None,
               money_unit=pairs.get("金额单位") or "万元")
    if kind is Kind.DEPARTMENT:
        h.unit = labels.get("部门(单位)名称") or None
        d.duties = labels.get("部门职能概述") or None
        d.tasks = [t for t in labels.get("年度工作任务", "").split("\n") if t.strip()]
        d.long_term_goal = labels.get("长期目标") or None
    else:
        h.project_name = labels.get("项目名称") or None
        h.unit = pairs.get("实施单位") or None
        d.long_term_goal = labels.get("实施期目标") or None
        f.total = _num(labels.get("资金总额", ""))
    d.goals = [Goal(text=re.sub(r"^目标\d+：", "", g)) for g in labels.get("年度目标", "").split("\n") if g.strip()]
    d.profile = labels.get(VERSION_LABEL) or None
    f.unit = h.money_unit
    if title and title != form_title(Draft(kind=kind, header=Header(year=h.year))):
        h.title = title
    d.header, d.funding = h, f
    return d
