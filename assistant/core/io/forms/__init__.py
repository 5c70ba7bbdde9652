"""Filed forms in their own layouts (xlsx, xls, docx, pdf, csv) → Draft, with a report of what was read."""

from __future__ import annotations

from .reader import Reading, read_form
from .sources import grids_from_bytes

FORM_SUFFIXES = ("xlsx", "xlsm", "xls", "docx", "pdf", "csv", "tsv")


def read_form_bytes(data: bytes, name: str) -> Reading:
    return read_form(grids_from_bytes(data, name), name)


__all__ = ["FORM_SUFFIXES", "Reading", "read_form", "read_form_bytes"]
