"""Small helpers for rule tests: build a Draft from rows and run the validator on it.

    d = draft(row(Q, "培训人次", "≥1200人次"), row(SAT, "受训学员满意度", "≥95%"), budget=90)
    [f] = only(d, "R12")
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from assistant.core.findings import Finding, Report
from assistant.core.io.jsonio import draft_from_json
from assistant.core.model import Draft, Funding, FundingLine, Goal, Header, Indicator, Kind, Project
from assistant.core.validator import validate

from .conftest import EVAL_CASES, ROOT, SEED, SHARED_CASES  # noqa: F401  (re-exported for the rule tests)

# (一级, 二级) pairs as the 2020-project (P2015) profile spells them
Q = ("产出指标", "数量指标")
QUAL = ("产出指标", "质量指标")
TIME = ("产出指标", "时效指标")
COST = ("产出指标", "成本指标")
ECON = ("效益指标", "经济效益指标")
SOC = ("效益指标", "社会效益指标")
ECO = ("效益指标", "生态效益指标")
SUS = ("效益指标", "可持续影响指标")
SAT = ("满意度指标", "服务对象满意度指标")
# 2021-central (C2021): 成本 is its own 一级
C_ECON = ("成本指标", "经济成本指标")
C_SOC = ("成本指标", "社会成本指标")
C_ECO = ("成本指标", "生态环境成本指标")
# 2020-department spells the 效益 二级 without 指标
D_SOC = ("效益指标", "社会效益")
# hunan spells the 满意度 二级 its own way
HN_SAT = ("满意度指标", "社会公众或服务对象满意度指标")


def row(tiers: tuple[str, str], name: str, value: Any = "", **kw: Any) -> Indicator:
    t1, t2 = tiers
    return Indicator(tier1=t1, tier2=t2, name=name, value=value, **kw)


def complete_rows() -> list[Indicator]:
    """A small, clean P2015 project table: one good row per 二级 the coverage rule asks for."""
    return [
        row(Q, "培训学员人次", "≥1200人次"),
        row(QUAL, "培训考核合格率", "≥95%"),
        row(TIME, "培训完成时限", "2023年12月底前"),
        row(COST, "项目总成本", "≤90万元"),
        row(SOC, "受训学员就业人数", "≥600人"),
        row(SAT, "培训学员对培训效果满意度", "≥95%"),
    ]


def draft(*rows: Indicator, kind: str = "project", profile: str | None = None, year: int | None = 2023,
          unit: str | None = "某县人力资源和社会保障局", budget: float | None = None, title: str | None = "职业技能培训项目",
          goals: list[str] | None = None, long_term_goal: str | None = None, period: str | None = None,
          funding: Funding | None = None, projects: list[Project] | None = None,
          source_text: str | None = None, department: str | None = "某县人力资源和社会保障局",
          attribute: str | None = "延续") -> Draft:
    """A draft with the given rows. profile defaults to 2020-project / 2020-department by kind.

    A project form gets a complete header (主管部门, 实施期 for its year, 项目属性, a goal) unless a test says
    otherwise, so that only the rule under test speaks."""
    k = Kind(kind)
    if profile is None:
        profile = "2020-project" if k is Kind.PROJECT else "2020-department"
    f = funding.model_copy(deep=True) if funding else Funding()
    if budget is not None:
        f.total = budget
    project = k is Kind.PROJECT
    if project and period is None and year:
        period = f"{year}年1月-{year}年12月"
    if project and goals is None:
        goals = ["完成年度工作任务"]
    return Draft(kind=k, profile=profile,
                 header=Header(unit=unit, year=year, title=title, project_name=title if project else None,
                               period=period, department=department if project else None,
                               attribute=attribute if project else None),
                 funding=f, projects=projects or [], goals=[Goal(text=g) for g in goals or []],
                 long_term_goal=long_term_goal, indicators=list(rows), source_text=source_text)


def line(name: str, amount: float | None, share: str | None = None, role: str = "item",
         history: dict[str, float | None] | None = None) -> FundingLine:
    return FundingLine(name=name, amount=amount, share=share, role=role, history=history or {})


def report(d: Draft, profile: str | None = None) -> Report:
    return validate(d, profile)


def codes(d: Draft, profile: str | None = None) -> list[str]:
    return [f.code for f in validate(d, profile).findings]


def found(d: Draft, code: str, *, row: int | None | str = "any", profile: str | None = None) -> list[Finding]:
    """Findings of one rule code (optionally for one 0-based row; row=None means table-level)."""
    out = [f for f in validate(d, profile).findings if f.code == code]
    if row != "any":
        out = [f for f in out if f.row == row]
    return out


def only(d: Draft, code: str, *, row: int | None | str = "any", profile: str | None = None) -> list[Finding]:
    """Like found(), but asserts there is at least one finding."""
    out = found(d, code, row=row, profile=profile)
    assert out, f"expected {code} (row={row}), got: " + "; ".join(
        f"{f.code}@{f.row} {f.message}" for f in validate(d, profile).findings)
    return out


def quoted(text: str | None) -> list[str]:
    """The “…” quoted spans of a Chinese message or fix."""
    return re.findall(r"“([^”]+)”", text or "")


def load_case(path: Path) -> Draft:
    return draft_from_json(path.read_text(encoding="utf-8"), str(path))


def row_named(d: Draft, name: str) -> int:
    """0-based index of the first row whose name contains `name`."""
    for i, r in enumerate(d.indicators):
        if name in r.name:
            return i
    raise AssertionError(f"no row named {name!r}")


__all__ = ["Q", "QUAL", "TIME", "COST", "ECON", "SOC", "ECO", "SUS", "SAT", "C_ECON", "C_SOC", "C_ECO", "D_SOC",
           "HN_SAT", "row", "complete_rows", "draft", "line", "report", "codes", "found", "only", "quoted",
           "load_case", "row_named", "SHARED_CASES", "EVAL_CASES", "SEED"]
