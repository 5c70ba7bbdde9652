"""Read the case-file shape of evals/cases (filed forms and eval cases) into a Draft.

Case files keep funding as the form printed it: department forms as income/expense dicts,
project forms as flat keys such as "资金总额_万元" or "预算数_元".
"""

from __future__ import annotations

import re
from typing import Any

from ..model import Draft, Funding, FundingLine, Goal, Header, Indicator, Kind, Origin, Project

_TOTAL_KEYS = ("资金总额", "项目金额", "年度资金总额", "项目预算金额", "预算数", "项目总额", "总预算")
_SOURCE_WORDS = ("财政", "拨款", "中央", "省级", "市级", "县级", "本级", "上级", "自筹", "自有", "其他", "事业收入",
                 "结转", "预算资金", "专项", "补助资金", "衔接", "债券", "国债")
_MONEY_RE = re.compile(r"([^\d,，、;；。]+?)\s*(\d+(?:\.\d+)?)\s*(万元|元)")


def _scale(key: str) -> float:
    return 1e-4 if key.endswith("_元") else 1.0


def _label(key: str) -> str:
    return re.sub(r"_(万元|元)$", "", key)


def looks_like_case(data: dict) -> bool:
    return "indicators" in data and "format" not in data and "header" not in data and ("prose" in data or "source_url" in data
                                                            or "source" in data or "tier1" in str(data)[:2000])


def case_to_draft(data: dict[str, Any]) -> Draft:
    kind = Kind(data.get("kind") or "project")
    header = Header(title=data.get("title"), unit=data.get("unit"), year=data.get("year"),
                    project_name=data.get("project_name") or (data.get("title") if kind is Kind.PROJECT else None))
    funding, projects = _funding(data.get("funding") or {}, kind)
    rows = [Indicator.model_validate({**row, "origin": row.get("origin") or Origin.IMPORTED.value})
            for row in data.get("indicators") or []]
    return Draft(kind=kind, profile=data.get("profile"), header=header, funding=funding, projects=projects,
                 goals=[Goal(text=g) for g in data.get("goals") or []], indicators=rows,
                 source_text=data.get("prose"), notes=data.get("notes"))


def _funding(f: dict[str, Any], kind: Kind) -> tuple[Funding, list[Project]]:
    out = Funding(unit=f.get("unit") or "万元")
    projects = [Project(name=p.get("name", ""), type=p.get("type"), total_budget=p.get("total_budget"),
                        annual_budget=p.get("annual_budget"), use=p.get("use")) for p in f.get("projects") or []]
    history = f.get("history") or {}
    for section, share_key in (("income", "income_share"), ("expense", "expense_share")):
        block = f.get(section)
        if not isinstance(block, dict):
            continue
        shares = f.get(share_key) or {}
        lines = getattr(out, section)
        for name, amount in block.items():
            is_total = name in ("合计", "总计")
            lines.append(FundingLine(name=name, amount=amount, share=shares.get(name) or ("100%" if is_total else None),
                                     history=history if is_total else {}, role="total" if is_total else "item"))
    for key, amount in f.items():
        if key in ("unit", "income", "expense", "income_share", "expense_share", "history", "projects"):
            continue
        if key == "构成" and isinstance(amount, str):
            for m in _MONEY_RE.finditer(amount):
                name, num, unit = m.group(1).strip(" ,，"), float(m.group(2)), m.group(3)
                out.breakdown.append(FundingLine(name=name, amount=num * (1e-4 if unit == "元" else 1.0)))
            continue
        if not isinstance(amount, (int, float)):
            continue
        value = round(amount * _scale(key), 6)
        label = _label(key)
        if label.startswith("部门"):
            out.sources.append(FundingLine(name=label, amount=value, role="memo"))
        elif any(label.endswith(t) or label == t for t in _TOTAL_KEYS):
            out.total = value
        elif any(w in label for w in _SOURCE_WORDS):
            out.sources.append(FundingLine(name=label, amount=value))
        else:
            out.sources.append(FundingLine(name=label, amount=value, role="memo"))
    return out, projects
