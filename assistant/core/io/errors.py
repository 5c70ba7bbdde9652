"""Errors raised when a file can't be read or written; messages are Chinese and name the file."""

from __future__ import annotations


class FormatError(ValueError):
    """The input isn't a form we can read. str() is the message for the user."""

    def __init__(self, path: str, message: str, row: int | None = None):
        self.path, self.row, self.message = path, row, message
        where = f"（第{row}行）" if row is not None else ""
        super().__init__(f"无法读取文件 {path}{where}：{message}")
