"""Reading and writing drafts: one entry point for every format, atomic writes."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..findings import Report
from ..model import Draft
from .errors import FormatError

DRAFT_FORMATS = ("json", "xlsx", "docx", "csv", "md")
MAX_INPUT_BYTES = 20 * 1024 * 1024


def read_bytes(path: str | Path) -> bytes:
    p = Path(path)
    if not p.exists():
        raise FormatError(str(path), "文件不存在。")
    if p.is_dir():
        raise FormatError(str(path), "这是一个文件夹，不是文件。")
    size = p.stat().st_size
    if size == 0:
        raise FormatError(str(path), "文件是空的。")
    if size > MAX_INPUT_BYTES:
        raise FormatError(str(path), f"文件太大（{size // 1024 // 1024} MB），上限 {MAX_INPUT_BYTES // 1024 // 1024} MB。")
    return p.read_bytes()


def load_draft_bytes(data: bytes, name: str) -> Draft:
    """A form from .json, or a filled form in its own layout (.xlsx/.xls/.docx/.pdf/.csv)."""
    return load_form_bytes(data, name)[0]


def load_form_bytes(data: bytes, name: str) -> tuple[Draft, str | None]:
    """The draft and, for a form read in its own layout, what was read and what was missing (in words)."""
    suffix = Path(name).suffix.lower().lstrip(".")
    if not data:
        raise FormatError(name, "文件是空的。")
    if suffix == "json":
        from .jsonio import draft_from_json

        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            raise FormatError(name, "不是 UTF-8 编码的 JSON 文本。") from e
        return draft_from_json(text, name), None
    if suffix in ("xlsx", "xlsm"):
        from .xlsx import read_own_workbook

        own = read_own_workbook(data, name)
        if own is not None:
            return own, None
    from .forms import FORM_SUFFIXES, read_form_bytes

    if suffix not in FORM_SUFFIXES:
        raise FormatError(name, f"不支持的表格格式“.{suffix}”，请使用 .json、.xlsx、.xls、.docx、.pdf 或 .csv。")
    reading = read_form_bytes(data, name)
    return reading.draft, reading.summary()


def load_draft(path: str | Path) -> Draft:
    return load_draft_bytes(read_bytes(path), str(path))


def render(draft: Draft, fmt: str, report: Report | None = None) -> bytes:
    fmt = fmt.lower().lstrip(".")
    if fmt == "json":
        from .jsonio import draft_to_json

        return draft_to_json(draft).encode("utf-8")
    if fmt in ("xlsx", "docx") and draft.form.value == "self_eval":
        from . import selfeval

        return selfeval.to_xlsx_bytes(draft, report) if fmt == "xlsx" else selfeval.to_docx_bytes(draft, report)
    if fmt == "xlsx":
        from .xlsx import to_xlsx_bytes

        return to_xlsx_bytes(draft, report)
    if fmt == "docx":
        from .docx import to_docx_bytes

        return to_docx_bytes(draft, report)
    if fmt == "csv":
        from .tabular import to_csv_bytes

        return to_csv_bytes(draft)
    if fmt == "md":
        from .tabular import to_markdown

        return to_markdown(draft, report).encode("utf-8")
    raise ValueError(f"不支持的导出格式：{fmt}（可用：{', '.join(DRAFT_FORMATS)}）")


def write_atomic(path: str | Path, data: bytes) -> None:
    """Write via a temp file in the same folder and rename, so a failure never leaves half a file."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=str(p.parent))
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, p)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def save_draft(draft: Draft, path: str | Path, fmt: str | None = None, report: Report | None = None) -> None:
    fmt = fmt or Path(path).suffix.lstrip(".") or "json"
    data = render(draft, fmt, report)  # rendering fails before anything is written
    write_atomic(path, data)


def read_text(path: str | Path) -> str:
    """Prose from a .txt / .md / .docx file."""
    data = read_bytes(path)
    suffix = Path(path).suffix.lower()
    if suffix == ".docx":
        from .docx import docx_text

        try:
            return docx_text(data)
        except Exception as e:
            raise FormatError(str(path), f"不是有效的 Word（.docx）文件（{type(e).__name__}）。") from e
    return decode_text(data, str(path))


def decode_text(data: bytes, name: str) -> str:
    if b"\x00" in data[:4096]:
        raise FormatError(name, "看起来是二进制文件，不是文本。")
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise FormatError(name, "文本编码无法识别（请保存为 UTF-8）。")
