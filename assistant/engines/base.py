"""What every drafting engine returns: the draft, its validation report, and what happened."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol, Sequence

from ..core.findings import Finding, Report
from ..core.model import Draft, Kind


class EngineError(RuntimeError):
    """The engine can't do what was asked; str() is a Chinese message for the user."""


@dataclass
class DraftOutcome:
    draft: Draft
    report: Report
    engine: str  # label shown to the user: 离线规则引擎 / the model's name
    notes: list[str] = field(default_factory=list)
    trace: dict[str, Any] | None = None
    unused: list[Any] = field(default_factory=list)  # numbers in the text that did not become rows (prose.Unused)

    @property
    def needs_input(self) -> list[int]:
        return [i for i, r in enumerate(self.draft.indicators) if r.needs_input]


@dataclass
class ReviseOutcome:
    draft: Draft  # the new draft (the old one when nothing changed)
    report: Report
    reply: str  # Chinese, states exactly what changed
    changes: list[str] = field(default_factory=list)
    understood: bool = True
    undo: bool = False  # the instruction asked to go back one revision
    trace: dict[str, Any] | None = None


@dataclass
class ReviewOutcome:
    draft: Draft
    report: Report
    findings: list[Finding]  # the validator's findings plus the reviewer's
    summary: str
    trace: dict[str, Any] | None = None


class Engine(Protocol):
    name: str
    label: str

    def draft(self, text: str, profile: str | None = None, kind: Kind | None = None) -> DraftOutcome: ...

    def revise(self, draft: Draft, instruction: str, history: Sequence[dict] = ()) -> ReviseOutcome: ...

    def review(self, draft: Draft) -> ReviewOutcome: ...
