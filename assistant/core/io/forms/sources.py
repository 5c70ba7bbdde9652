"""Files to Grids: .xlsx/.xlsm (openpyxl), .xls (xlrd), .docx (python-docx), .pdf (pdfplumber), .csv."""

from __future__ import annotations

import csv
import io

from ..errors import FormatError
from .grid import Grid, clean, display

MAX_CELLS = 200_000  # a sheet larger than this is not a form


class NoTablesError(FormatError):
    """A PDF with text but no ruled table: prose, or a form printed without lines."""


def grids_from_bytes(data: bytes, name: str) -> list[Grid]:
    suffix = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    if suffix in ("xlsx", "xlsm"):
        return xlsx_grids(data, name)
    if suffix == "xls":
        return xls_grids(data, name)
    if suffix == "docx":
        return docx_grids(data, name)
    if suffix == "pdf":
        return pdf_grids(data, name)
    if suffix in ("csv", "tsv"):
        return [csv_grid(data, name)]
    raise FormatError(name, f"不支持的文件格式“.{suffix}”，请使用 .xlsx、.xls、.docx、.pdf、.csv 或 .json。")


def xlsx_grids(data: bytes, name: str) -> list[Grid]:
    from openpyxl import load_workbook

    if not data.startswith(b"PK"):
        raise FormatError(name, "不是有效的 Excel（.xlsx）文件。")
    try:
        wb = load_workbook(io.BytesIO(data), data_only=True)
    except Exception as e:  # openpyxl raises many types for a file that isn't a workbook
        raise FormatError(name, f"不是有效的 Excel（.xlsx）文件（{type(e).__name__}）。") from e
    grids = []
    for ws in wb.worksheets:
        if ws.sheet_state != "visible" and len(wb.worksheets) > 1:
            continue
        nrows, ncols = ws.max_row or 0, ws.max_column or 0
        if nrows * ncols > MAX_CELLS:
            nrows = max(1, MAX_CELLS // max(ncols, 1))
        rows = []
        for row in ws.iter_rows(min_row=1, max_row=nrows, max_col=ncols):
            rows.append([display(c.value, c.number_format) for c in row])
        g = Grid(ws.title, _trim(rows))
        for rng in ws.merged_cells.ranges:
            if rng.min_row <= len(g.rows):
                g.add_merge(rng.min_row - 1, rng.min_col - 1, rng.max_row - 1, rng.max_col - 1)
        grids.append(g)
    return grids


def xls_grids(data: bytes, name: str) -> list[Grid]:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True)
    except Exception as e:
        raise FormatError(name, f"不是有效的 Excel 97-2003（.xls）文件（{type(e).__name__}）。") from e
    grids = []
    for sh in book.sheets():
        if sh.visibility and book.nsheets > 1:
            continue
        rows = []
        for r in range(min(sh.nrows, MAX_CELLS // max(sh.ncols, 1))):
            out = []
            for c in range(sh.ncols):
                cell = sh.cell(r, c)
                fmt = None
                try:
                    xf = book.xf_list[cell.xf_index]
                    fmt = book.format_map[xf.format_key].format_str
                except (IndexError, KeyError, AttributeError):
                    pass
                value = cell.value
                if cell.ctype == xlrd.XL_CELL_DATE:
                    try:
                        value = xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)
                    except (ValueError, OverflowError, xlrd.xldate.XLDateError):
                        value = cell.value  # a number outside the date range stays a number
                elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                    value = None
                out.append(display(value, fmt))
            rows.append(out)
        g = Grid(sh.name, _trim(rows))
        for rlo, rhi, clo, chi in sh.merged_cells:
            g.add_merge(rlo, clo, rhi - 1, chi - 1)
        grids.append(g)
    return grids


def docx_grids(data: bytes, name: str) -> list[Grid]:
    """The document as one grid: paragraphs as one-cell rows, tables row by row, merges from shared cells."""
    from docx import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        doc = Document(io.BytesIO(data))
    except Exception as e:
        raise FormatError(name, f"不是有效的 Word（.docx）文件（{type(e).__name__}）。") from e
    g = Grid("文档", [])
    for child in doc.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = clean(Paragraph(child, doc).text)
            if text:
                g.rows.append([text])
        elif tag == "tbl":
            _add_table(g, Table(child, doc))
    return [g]


def _add_table(g: Grid, table) -> None:
    base = len(g.rows)
    seen: dict[object, tuple[int, int]] = {}  # keyed by the cell element itself (kept alive, so identity holds)
    for i, row in enumerate(table.rows):
        try:
            cells = row.cells
        except (IndexError, ValueError):  # malformed spans: the row is skipped
            cells = []
        texts = []
        for j, cell in enumerate(cells):
            key = cell._tc
            r = base + i
            if key in seen:
                texts.append("")
                g.merged[(r, j)] = seen[key]
            else:
                seen[key] = (r, j)
                texts.append(clean(cell.text))
        g.rows.append(texts)


def pdf_grids(data: bytes, name: str) -> list[Grid]:
    """Ruled tables of every page, in order, with the text above the first table (the title)."""
    import pdfplumber

    if not data.startswith(b"%PDF"):
        raise FormatError(name, "不是有效的 PDF 文件。")
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as e:
        raise FormatError(name, f"PDF 文件无法打开（{type(e).__name__}）。") from e
    g = Grid("PDF", [])
    chars = 0
    with pdf:
        for n, page in enumerate(pdf.pages):
            chars += len(page.chars)
            tables = page.find_tables()
            top = min((t.bbox[1] for t in tables), default=page.height)
            above = page.crop((0, 0, page.width, max(1, top))).extract_text() or ""
            for line in above.splitlines():
                if clean(line) and not _page_mark(line):
                    g.rows.append([clean(line)])
            for t in sorted(tables, key=lambda t: t.bbox[1]):
                base = len(g.rows)
                rows = t.extract()
                width = max((len(x) for x in rows), default=0)
                covering = _pdf_cover(t)
                for i, row in enumerate(rows):
                    g.widths[base + i] = width
                    texts = []
                    for j, cell in enumerate(row):
                        if cell is None:  # covered by a merged cell
                            texts.append("")
                            oi, oj = covering(i, j)
                            g.merged[(base + i, j)] = (base + oi, oj)
                        else:
                            texts.append(clean(cell).replace("\n", ""))
                    g.rows.append(texts)
    if chars == 0:
        raise FormatError(name, "PDF 中没有可读取的文字，可能是扫描件。请上传原始的 Excel 或 Word 表格。")
    if not g.widths:
        raise NoTablesError(name, "PDF 中没有带表格线的表格，无法按表格读取。可以上传原始的 Excel 或 Word 表格，"
                                "或把文字复制到对话框中，按文字起草。")
    return [g]


def pdf_text(data: bytes) -> str:
    """The text of a PDF page by page (for drafting from a PDF that holds prose, not a filled table)."""
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def _pdf_cover(table):
    """For a position pdfplumber leaves empty (None), the (row, col) of the merged cell drawn over it."""
    tops = sorted({round(c[1], 1) for c in table.cells})
    lefts = sorted({round(c[0], 1) for c in table.cells})

    def covering(i: int, j: int) -> tuple[int, int]:
        if i >= len(tops) or j >= len(lefts):
            return (i, max(j - 1, 0))
        px, py = lefts[j] + 0.5, tops[i] + 0.5
        for x0, top, x1, bottom in table.cells:
            if x0 - 0.1 <= px < x1 and top - 0.1 <= py < bottom:
                return (tops.index(round(top, 1)), lefts.index(round(x0, 1)))
        return (i, max(j - 1, 0))

    return covering


def _page_mark(line: str) -> bool:
    s = line.strip().strip("—-– ")
    return s.isdigit()


def csv_grid(data: bytes, name: str) -> Grid:
    text = None
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    if text is None or "\x00" in text:
        raise FormatError(name, "不是文本格式的 CSV 文件（编码无法识别）。")
    first = text.split("\n", 1)[0]
    delim = max(",\t;，", key=first.count)
    if delim == "，":
        delim = ","
    from ..layout import uncsv_cell

    rows = [[clean(uncsv_cell(c)) for c in row] for row in csv.reader(io.StringIO(text), delimiter=delim)]
    return Grid("CSV", _trim(rows))


def _trim(rows: list[list[str]]) -> list[list[str]]:
    """Drop trailing empty cells and rows (templates format thousands of empty cells)."""
    out = [list(r) for r in rows]
    width = 0
    for r in out:
        for j in range(len(r) - 1, -1, -1):
            if r[j]:
                width = max(width, j + 1)
                break
    out = [r[:width] for r in out]
    while out and not any(out[-1]):
        out.pop()
    return out
