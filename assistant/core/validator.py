"""Run the checkable rules (rules/*.py) on a draft under its form profile.

Every rule is a function registered with @rule(code, title, severity); it receives a Context
and yields Findings. The profile can switch a rule off or change its severity.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Callable, Iterable, Iterator


from .findings import SEVERITY_ORDER, Finding, Report, Severity
from .model import Draft, Indicator, Kind
from .patch import PatchError, apply_ops
from .profiles import DATA_DIR, load_yaml, Profile, Resolution, get_profile, guess_profile, norm_label, resolve
from .values import ParsedValue


@lru_cache(maxsize=1)
def lexicon() -> dict:
    return load_yaml(DATA_DIR / "lexicon.yaml")


@lru_cache(maxsize=None)
def lex_re(key: str, mode: str = "in") -> re.Pattern[str]:
    """One compiled alternation for a lexicon word list: mode 'in' (anywhere), 'end' (suffix), 'start'."""
    words = sorted(lexicon()[key], key=len, reverse=True)
    alt = "|".join(re.escape(w) for w in words)
    return re.compile({"in": f"(?:{alt})", "end": f"(?:{alt})$", "start": f"^(?:{alt})"}[mode])


def has_word(key: str, text: str) -> str | None:
    m = lex_re(key).search(text)
    return m.group(0) if m else None


def ends_with_word(key: str, text: str) -> bool:
    return lex_re(key, "end").search(text) is not None


@dataclass(eq=False)
class RowView:
    index: int
    row: Indicator
    res: Resolution
    pv: ParsedValue

    @property
    def c1(self) -> str | None:
        return self.res.tier1_concept

    @property
    def c2(self) -> str | None:
        return self.res.tier2_concept

    @cached_property
    def name(self) -> str:
        return norm_label(self.row.name)

    @property
    def label(self) -> str:
        return f"第{self.index + 1}行「{short(self.row.name)}」"


def short(text: str, n: int = 24) -> str:
    t = re.sub(r"\s+", "", text or "")
    return t if len(t) <= n else t[: n - 1] + "…"


@dataclass
class Context:
    draft: Draft
    profile: Profile
    rows: list[RowView]
    lex: dict = field(default_factory=lexicon)

    def finding(self, code: str, message: str, *, fix: str | None = None, row: RowView | None = None,
                field: str | None = None, ops: list[dict] | None = None,
                severity: Severity | str | None = None) -> Finding:
        spec = RULES[code]
        sev = Severity(severity) if severity else spec.severity
        override = self.profile.rule_setting(code)
        if override in ("error", "warning", "info") and severity is None:
            sev = Severity(override)
        return Finding.model_construct(code=code, severity=sev, message=message, fix=fix,
                                       row=row.index if row else None, row_id=row.row.id if row else None,
                                       field=field, ops=ops)

    def has(self, *words: str, text: str) -> bool:
        return any(w in text for w in words)

    @property
    def is_project(self) -> bool:
        return self.draft.kind is Kind.PROJECT

    def rows_in(self, *concepts: str) -> list[RowView]:
        return [r for r in self.rows if r.c2 in concepts or r.c1 in concepts]


@dataclass
class RuleSpec:
    code: str
    title: str
    severity: Severity
    fn: Callable[[Context], Iterable[Finding]]
    families: tuple[str, ...]
    forms: tuple[str, ...] = ("target", "self_eval")


RULES: dict[str, RuleSpec] = {}


def rule(code: str, title: str, severity: str = "warning", families: tuple[str, ...] = ("department", "project"),
         forms: tuple[str, ...] = ("target", "self_eval")):
    def deco(fn: Callable[[Context], Iterable[Finding]]):
        RULES[code] = RuleSpec(code, title, Severity(severity), fn, families, forms)
        return fn

    return deco


def _load_rules() -> None:
    # registration happens on import
    from .rules import change, consistency, funding, header, selfeval, structure, values  # noqa: F401


def build_context(draft: Draft, profile: Profile) -> Context:
    rows = [RowView(i, r, resolve(profile, r.tier1, r.tier2), r.parsed) for i, r in enumerate(draft.indicators)]
    return Context(draft=draft, profile=profile, rows=rows)


def validate(draft: Draft, profile: str | Profile | None = None) -> Report:
    _load_rules()
    if isinstance(profile, Profile):
        prof, reason = profile, "已选定"
    elif profile:
        prof, reason = get_profile(profile), "命令行指定"
    else:
        prof, reason = guess_profile(draft)
    ctx = build_context(draft, prof)
    findings: list[Finding] = []
    for spec in RULES.values():
        if (prof.rule_setting(spec.code) == "off" or draft.kind.value not in spec.families
                or draft.form.value not in spec.forms):
            continue
        findings.extend(spec.fn(ctx))
    for f in findings:
        if f.ops:
            _normalize_fix(draft, f)
    findings.sort(key=finding_order)
    return Report(profile=prof.id, profile_title=prof.title, profile_reason=reason, findings=findings,
                  rows=len(draft.indicators))


def _normalize_fix(draft: Draft, f: Finding) -> None:
    """A fix writes values the way a person's edit is stored (entry.normalize), and says so in its text."""
    from .entry import EntryError, normalize

    ops = []
    for op in f.ops or []:
        value = None
        if op.get("op") == "update_row" and op.get("fields", {}).get("value"):
            i = draft.row_index(op["row_id"])
            if i is None:
                ops.append(op)
                continue
            base = draft.indicators[i]
            probe = base.model_copy(update={k: v for k, v in op["fields"].items() if k not in ("value", "origin")})
            value = op["fields"]["value"]
        elif op.get("op") == "add_row" and op.get("row", {}).get("value"):
            probe = Indicator.model_validate({**op["row"], "value": ""})
            value = op["row"]["value"]
        if value is None:
            ops.append(op)
            continue
        try:
            fixed = normalize(probe, str(value), draft.header.year)
        except EntryError:
            f.ops = None  # the fix would be refused: the finding stays, for the user to fix by hand
            return
        if fixed != value:
            op = {**op, "fields": {**op["fields"], "value": fixed}} if op["op"] == "update_row" else \
                {**op, "row": {**op["row"], "value": fixed}}
            if f.fix:
                f.fix = f.fix.replace(f"“{value}”", f"“{fixed}”") if f"“{value}”" in f.fix else \
                    f.fix.replace(str(value), fixed, 1)
        ops.append(op)
    f.ops = ops


def finding_order(f: Finding) -> tuple:
    """Most serious first; within a severity, form-level findings, then by row."""
    return (SEVERITY_ORDER[f.severity], f.row if f.row is not None else -1, f.code)


def apply_fix(draft: Draft, finding: Finding) -> tuple[Draft, list[str]]:
    """Apply a finding's machine fix; raises PatchError when it has none or no longer fits."""
    if not finding.ops:
        raise PatchError(f"{finding.code}：此问题需要人工修改（{finding.fix or finding.message}）")
    return apply_ops(draft, finding.ops)


def fix_all(draft: Draft, profile: str | Profile | None = None, codes: set[str] | None = None,
            max_rounds: int = 5) -> tuple[Draft, list[str]]:
    """Apply every machine-applicable fix (optionally only some codes), re-validating between rounds."""
    changes: list[str] = []
    for _ in range(max_rounds):
        report = validate(draft, profile)
        todo = [f for f in report.findings if f.ops and (codes is None or f.code in codes)]
        if not todo:
            break
        touched: set[str] = set()
        progressed = False
        for f in todo:
            key = f.row_id or f.field or f.code
            if key in touched:
                continue
            try:
                draft, ch = apply_fix(draft, f)
            except PatchError:
                continue
            touched.add(key)
            changes.extend(ch)
            progressed = True
        if not progressed:
            break
    return draft, changes


def rules_table() -> list[dict[str, str]]:
    _load_rules()
    return [{"code": s.code, "title": s.title, "severity": s.severity.value,
             "families": ",".join(s.families)} for s in RULES.values()]


def iter_rows(ctx: Context, *concepts: str) -> Iterator[RowView]:
    for r in ctx.rows:
        if not concepts or r.c2 in concepts:
            yield r
