"""JSON: the lossless interchange format. Also reads the case-file shape."""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError

from ..model import Draft
from .cases import case_to_draft, looks_like_case
from .errors import FormatError


def draft_to_json(draft: Draft) -> str:
    return json.dumps(draft.model_dump(mode="json"), ensure_ascii=False, indent=1)


def draft_from_data(data: Any, path: str = "<json>") -> Draft:
    if not isinstance(data, dict):
        raise FormatError(path, f"JSON 顶层应为对象，实际是{type(data).__name__}。")
    if "indicators" not in data:
        raise FormatError(path, "JSON 中没有 indicators（指标表）字段，不是绩效目标表。")
    if not isinstance(data["indicators"], list):
        raise FormatError(path, "indicators 应为列表。")
    for i, row in enumerate(data["indicators"], 1):
        if not isinstance(row, dict):
            raise FormatError(path, f"第{i}个指标不是对象。", row=i)
    try:
        if looks_like_case(data):
            return case_to_draft(data)
        return Draft.model_validate(data)
    except ValidationError as e:
        err = e.errors()[0]
        loc = err.get("loc", ())
        row = loc[1] + 1 if len(loc) >= 2 and loc[0] == "indicators" and isinstance(loc[1], int) else None
        where = ".".join(str(x) for x in loc)
        raise FormatError(path, f"字段 {where} 无效：{err.get('msg')}", row=row) from e
    except (ValueError, TypeError, AttributeError) as e:
        raise FormatError(path, f"内容不是绩效目标表的结构（{e}）。") from e


def draft_from_json(text: str, path: str = "<json>") -> Draft:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise FormatError(path, f"JSON 格式错误（第{e.lineno}行第{e.colno}列）：{e.msg}。文件可能被截断或损坏。") from e
    return draft_from_data(data, path)
