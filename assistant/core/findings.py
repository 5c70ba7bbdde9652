"""What the validator reports: a finding per problem, with a Chinese message and a concrete fix."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


SEVERITY_LABELS = {Severity.ERROR: "错误", Severity.WARNING: "提示", Severity.INFO: "说明"}
SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


class Finding(BaseModel):
    code: str  # stable rule code: R01 … R33, F1 … F8, H01 …
    severity: Severity
    message: str  # Chinese, says what is wrong
    fix: str | None = None  # Chinese, says what to write instead
    row: int | None = None  # 0-based index into draft.indicators
    row_id: str | None = None
    field: str | None = None  # tier1 / tier2 / name / value / standard, or funding.income / goal[2] / header.year
    ops: list[dict[str, Any]] | None = Field(default=None, description="patch ops that apply the fix")

    @property
    def applicable(self) -> bool:
        return bool(self.ops)

    def public(self) -> dict[str, Any]:
        """The shape `validate --format json` prints."""
        return {"code": self.code, "severity": self.severity.value, "row": self.row, "field": self.field,
                "message": self.message, "fix": self.fix, "applicable": self.applicable}


class Report(BaseModel):
    profile: str
    profile_title: str
    profile_reason: str
    findings: list[Finding]
    rows: int

    def count(self, sev: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is sev)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]

    def summary(self) -> dict[str, Any]:
        return {"profile": self.profile, "profile_title": self.profile_title, "profile_reason": self.profile_reason,
                "rows": self.rows, "errors": self.count(Severity.ERROR), "warnings": self.count(Severity.WARNING),
                "infos": self.count(Severity.INFO), "fixable": sum(1 for f in self.findings if f.applicable)}

    def for_row(self, row: int) -> list[Finding]:
        return [f for f in self.findings if f.row == row]
