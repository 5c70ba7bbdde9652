"""Prompt templates live in prompts/*.md (mustache: {{{name}}} inserts text as is)."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from langchain_core.prompts import PromptTemplate
from pydantic import BaseModel

_HERE = Path(__file__).resolve()
_CANDIDATES = (_HERE.parents[3] / "prompts", _HERE.parents[2] / "_prompts")


def prompt_dir() -> Path:
    for p in _CANDIDATES:
        if (p / "draft_system.md").exists():
            return p
    raise FileNotFoundError("prompts/ not found")


@lru_cache(maxsize=None)
def _template(name: str) -> PromptTemplate:
    text = (prompt_dir() / f"{name}.md").read_text(encoding="utf-8")
    return PromptTemplate.from_template(text, template_format="mustache")


def render(name: str, **values: object) -> str:
    return _template(name).format(**{k: "" if v is None else str(v) for k, v in values.items()}).strip()


def _schema_lines(schema: type[BaseModel], indent: str = "") -> list[str]:
    lines = []
    for fname, f in schema.model_fields.items():
        ann = f.annotation
        inner = getattr(ann, "__args__", (None,))[0] if getattr(ann, "__origin__", None) is list else None
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            lines.append(f"{indent}- {fname}（列表，每项含以下字段）：{f.description or ''}")
            lines += _schema_lines(inner, indent + "  ")
        else:
            kind = {int: "整数", str: "字符串"}.get(ann, "字符串列表" if inner is str else "值")  # type: ignore[arg-type]
            lines.append(f"{indent}- {fname}（{kind}）：{f.description or ''}")
    return lines


@lru_cache(maxsize=None)
def format_hint(schema: type[BaseModel]) -> str:
    example = (prompt_dir() / "examples" / f"{schema.__name__}.json")
    ex = json.dumps(json.loads(example.read_text(encoding="utf-8")), ensure_ascii=False) if example.exists() else "{}"
    return render("format_hint", schema="\n".join(_schema_lines(schema)), example=ex)
