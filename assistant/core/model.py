"""The form model: one draft 绩效目标申报表, department-level or project-level.

JSON of Draft.model_dump() is the lossless interchange format (see io/jsonio.py).
"""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field, field_validator

from .values import ParsedValue, parse

FORMAT_TAG = "indicator-assistant/draft@1"


class Kind(StrEnum):
    DEPARTMENT = "department"  # 部门整体支出绩效目标申报表
    PROJECT = "project"  # 项目支出绩效目标申报表


class FormType(StrEnum):
    TARGET = "target"  # 绩效目标申报表
    SELF_EVAL = "self_eval"  # 绩效自评表: targets with actuals, weights and scores


FORM_LABELS = {FormType.TARGET: "绩效目标申报表", FormType.SELF_EVAL: "绩效自评表"}


class Origin(StrEnum):
    EXTRACTED = "extracted"  # stated in the user's text
    SUGGESTED = "suggested"  # proposed by the assistant, awaiting the user's confirmation
    USER = "user"  # written or confirmed by the user
    IMPORTED = "imported"  # read from an existing form


ORIGIN_LABELS = {
    Origin.EXTRACTED: "原文提取",
    Origin.SUGGESTED: "建议，待确认",
    Origin.USER: "用户填写",
    Origin.IMPORTED: "导入",
}


class Scope(StrEnum):
    ANNUAL = "annual"  # 年度目标 / 年度指标
    LONG_TERM = "long_term"  # 长期目标 / 实施期目标


def new_id() -> str:
    return uuid.uuid4().hex[:8]


def _to_text(v: Any) -> Any:
    if v is None or isinstance(v, str):
        return v
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


class _Base(BaseModel):
    model_config = ConfigDict(extra="ignore", validate_assignment=False)


class Indicator(_Base):
    """One 三级 row of the indicator table."""

    id: str = Field(default_factory=new_id)
    goal: int | None = None  # 1-based 年度目标 number (department forms); None = the whole table
    scope: Scope = Scope.ANNUAL
    tier1: str = ""
    tier2: str = ""
    name: str = ""
    value: str = ""
    standard: str | None = None  # 绩效标准 / 取值依据
    origin: Origin = Origin.IMPORTED
    evidence: str | None = None  # the sentence of the user's text it came from
    note: str | None = None
    weight: float | None = None  # 分值 / 权重
    actual: str | None = None  # 全年实际完成值 (自评表)
    score: float | None = None  # 得分 (自评表)
    deviation: str | None = None  # 偏差原因分析及改进措施 (自评表)
    previous: str | None = None  # 上年指标值, when the form was rolled forward from last year's
    change_reason: str | None = None  # 变动原因 (why the target differs from last year's)
    previous_actual: str | None = None  # last year's 全年实际完成值, when rolled forward from a 自评表
    extra: dict[str, str] = Field(default_factory=dict)  # further form columns: 指标解释, 评(扣)分标准 …

    _norm = field_validator("tier1", "tier2", "name", "value", mode="before")(
        lambda v: "" if v is None else str(_to_text(v)).strip()
    )
    _norm_opt = field_validator("standard", "evidence", "note", "actual", "deviation", "previous", "change_reason",
                                "previous_actual", mode="before")(
        lambda v: None if v is None or (isinstance(v, str) and not v.strip()) else str(_to_text(v)).strip()
    )

    @field_validator("goal", mode="before")
    @classmethod
    def _goal(cls, v: Any) -> Any:
        if v in ("", None):
            return None
        return v

    @field_validator("extra", mode="before")
    @classmethod
    def _extra(cls, v: Any) -> Any:
        if not v:
            return {}
        return {str(k): "" if x is None else str(_to_text(x)) for k, x in dict(v).items()}

    @computed_field  # type: ignore[prop-decorator]
    @property
    def parsed(self) -> ParsedValue:
        return parse(self.value, timeliness=("时效" in self.tier2 or "实效" in self.tier2 or "进度" in self.tier2))

    @property
    def needs_input_value(self) -> bool:
        """The value is still a placeholder or empty: the user has to write the number."""
        from .values import ValueKind

        return self.parsed.kind in (ValueKind.PLACEHOLDER, ValueKind.EMPTY)

    @property
    def needs_input(self) -> bool:
        """True while the user still has to supply or confirm this row."""
        from .values import ValueKind

        return self.origin is Origin.SUGGESTED or self.parsed.kind in (ValueKind.PLACEHOLDER, ValueKind.EMPTY)


class FundingLine(_Base):
    name: str
    amount: float | None = None
    share: str | None = None  # 占比 as written (97.27%)
    history: dict[str, float | None] = Field(default_factory=dict)  # previous years: {"2018": 367.85}
    role: Literal["item", "sub", "total", "memo"] = "item"  # sub = 其中 line; memo = shown, not summed

    _share = field_validator("share", mode="before")(lambda v: _to_text(v))


class Funding(_Base):
    unit: str = "万元"
    total: float | None = None  # 资金总额 (project) — department totals are the 合计 lines
    income: list[FundingLine] = Field(default_factory=list)  # 收入构成 (department)
    expense: list[FundingLine] = Field(default_factory=list)  # 支出构成 (department)
    sources: list[FundingLine] = Field(default_factory=list)  # 资金来源 (project)
    breakdown: list[FundingLine] = Field(default_factory=list)  # 支出明细 / 成本构成 (project)

    def is_empty(self) -> bool:
        return self.total is None and not (self.income or self.expense or self.sources or self.breakdown)


class Execution(_Base):
    """The 自评表's budget execution block (项目资金 / 预算执行率), amounts in the form's money unit."""

    initial: float | None = None  # 年初预算数
    full_year: float | None = None  # 全年预算数
    executed: float | None = None  # 全年执行数
    weight: float | None = None  # 分值 (normally 10)
    rate: str | None = None  # 执行率 as written (95.2%)
    score: float | None = None  # 得分

    _rate = field_validator("rate", mode="before")(lambda v: _to_text(v))


class Project(_Base):
    """A 项目支出 block of a department form (or the project of a project form)."""

    name: str = ""
    type: str | None = None  # 常年性 / 延续性 / 一次性
    start_year: int | None = None
    end_year: int | None = None
    total_budget: float | None = None
    annual_budget: float | None = None
    use: str | None = None  # 主要支出方向和用途


class Header(_Base):
    title: str | None = None
    unit: str | None = None  # 部门(单位)名称 / 实施单位
    department: str | None = None  # 主管部门 (project forms)
    year: int | None = None
    filler: str | None = None
    phone: str | None = None
    date: str | None = None  # 填报日期 as written
    money_unit: str = "万元"
    project_name: str | None = None
    attribute: str | None = None  # 新增 / 延续
    period: str | None = None  # 实施期, as written (2023.07-2024.01)

    _texts = field_validator("unit", "department", "filler", "phone", "date", "project_name", "attribute",
                             "period", "title", mode="before")(lambda v: _to_text(v))

    @field_validator("year", mode="before")
    @classmethod
    def _year(cls, v: Any) -> Any:
        if v in ("", None):
            return None
        if isinstance(v, str):
            digits = "".join(c for c in v if c.isdigit())
            return int(digits[:4]) if len(digits) >= 4 else None
        return v


class Goal(_Base):
    text: str
    scope: Scope = Scope.ANNUAL


class LastYearRow(_Base):
    """One row of last year's form, kept when a form is rolled forward (to list rows dropped since)."""

    id: str | None = None  # the carried row's id; None when only the name is known
    tier2: str = ""
    name: str
    value: str = ""


class Draft(_Base):
    """A 绩效目标申报表 draft. indicators are kept in form order (goal by goal for department forms)."""

    format: str = FORMAT_TAG
    kind: Kind = Kind.PROJECT
    form: FormType = FormType.TARGET
    profile: str | None = None
    header: Header = Field(default_factory=Header)
    funding: Funding = Field(default_factory=Funding)
    duties: str | None = None  # 部门职能概述
    tasks: list[str] = Field(default_factory=list)  # 年度工作任务
    projects: list[Project] = Field(default_factory=list)
    long_term_goal: str | None = None  # 长期目标 (department) / 实施期目标 (project)
    goals: list[Goal] = Field(default_factory=list)  # 年度目标 1..n
    indicators: list[Indicator] = Field(default_factory=list)
    execution: Execution | None = None  # 自评表 only
    total_score: float | None = None  # 自评表 总分 as written
    actual_summary: str | None = None  # 自评表: 年度总体目标的实际完成情况
    last_year_rows: list[LastYearRow] = Field(default_factory=list)  # last year's rows (a form rolled forward)
    source_text: str | None = None  # the prose the draft was made from
    notes: str | None = None

    @field_validator("goals", mode="before")
    @classmethod
    def _goals(cls, v: Any) -> Any:
        if not v:
            return []
        return [{"text": g} if isinstance(g, str) else g for g in v]

    @field_validator("last_year_rows", mode="before")
    @classmethod
    def _last_year(cls, v: Any) -> Any:
        return [{"name": x} if isinstance(x, str) else x for x in v or []]

    def dropped_since_last_year(self) -> list[LastYearRow]:
        """Last year's rows no longer in the table (by row id; by name when the id isn't known)."""
        ids, names = {r.id for r in self.indicators}, {r.name for r in self.indicators}
        return [x for x in self.last_year_rows if (x.id not in ids if x.id else x.name not in names)]

    @property
    def rolled_forward(self) -> bool:
        return bool(self.last_year_rows) or any(r.previous is not None for r in self.indicators)

    @field_validator("tasks", mode="before")
    @classmethod
    def _tasks(cls, v: Any) -> Any:
        if not v:
            return []
        if isinstance(v, str):
            return [line.strip() for line in v.splitlines() if line.strip()]
        return v

    def copy_deep(self) -> Draft:
        return self.model_copy(deep=True)

    def row_index(self, row_id: str) -> int | None:
        for i, r in enumerate(self.indicators):
            if r.id == row_id:
                return i
        return None

    def budget_wan(self) -> float | None:
        """The money the indicator table is about, in 万元: the project total, else the sum of sources."""
        f = self.funding
        scale = {"元": 1e-4, "万元": 1.0, "亿元": 1e4}.get(f.unit, 1.0)
        if f.total is not None:
            return f.total * scale
        items = [s.amount for s in f.sources if s.role == "item" and s.amount is not None]
        if items:
            return sum(items) * scale
        if self.kind is Kind.PROJECT and self.projects and self.projects[0].annual_budget is not None:
            return self.projects[0].annual_budget * scale
        return None

    def subject_text(self) -> str:
        """Everything that says what the unit or project does (for relevance checks)."""
        parts = [self.header.project_name, self.header.title, self.header.unit, self.duties,
                 "\n".join(self.tasks), self.long_term_goal, "\n".join(g.text for g in self.goals),
                 "\n".join(f"{p.name} {p.use or ''}" for p in self.projects), self.source_text]
        return "\n".join(p for p in parts if p)
