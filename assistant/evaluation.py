"""Scoring a drafting engine against filed forms (the case format of ../shared/cases).

Metrics (deterministic):
- grounded_recall: of filed rows whose number is stated in the prose (`in_prose`), the share drafted with
  that number (same magnitude, or same date) under the same 二级 concept.
- concept_recall: of filed rows, the share matched by a drafted row with the same 二级 concept and a
  similar name: character-bigram Dice coefficient ≥ NAME_SIMILARITY (after dropping generic measure words).
- invented_numbers: numbers in drafted values that appear nowhere in the prose or its funding, on rows not
  marked suggested and not placeholders — summed over all cases.
- invalid_tiers: drafted rows whose 一级/二级 pair is not in the draft's profile — summed over all cases.
Cases with `table_complete: false` count for invented_numbers and invalid_tiers only.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .core.model import Draft, Indicator, Kind, Origin
from .core.profiles import DEFAULT_BY_KIND, Match, Profile, get_profile, guess_profile, resolve
from .core.validator import validate
from .core.values import ParsedValue, ValueKind, arabize, normalize_text, parse

NAME_SIMILARITY = 0.4
_GENERIC = re.compile(r"(人数|人次|户数|次数|数量|面积|里程|长度|完成|情况|指标|数|率)$")


def _bigrams(s: str) -> set[str]:
    s = re.sub(r"[^\u4e00-\u9fffA-Za-z0-9]", "", s)
    return {s[i:i + 2] for i in range(len(s) - 1)} or ({s} if s else set())


def name_similarity(a: str, b: str) -> float:
    a2, b2 = _GENERIC.sub("", a) or a, _GENERIC.sub("", b) or b
    x, y = _bigrams(a2), _bigrams(b2)
    if not x or not y:
        return 0.0
    return 2 * len(x & y) / (len(x) + len(y))


_NUM = re.compile(r"\d+(?:\.\d+)?")


def text_numbers(text: str) -> set[float]:
    """Numbers a text states: digits (thousands separators and full width removed) and Chinese numerals;
    万/亿 and 元↔万元 conversions are added, so 1.2亿 also counts as 12000 (万) and 3,309,840元 as 330.984."""
    t = normalize_text(arabize(text or "")).replace(",", "")
    out: set[float] = set()
    for m in re.finditer(r"(\d+(?:\.\d+)?)\s*(万|亿)?\s*(元)?", t):
        n = float(m.group(1))
        out.add(n)
        if m.group(2) == "万":
            out.add(n * 1e4)
        if m.group(2) == "亿":
            out.update({n * 1e8, n * 1e4})
        if m.group(3) == "元" and not m.group(2):
            out.add(round(n / 1e4, 6))
    if re.search(r"百分之百|全部|全覆盖|足额|100%", t):
        out.add(100.0)
    if re.search(r"不发生|杜绝|为零|零事故|无\S{0,8}(事件|事故)", t):
        out.add(0.0)
    if re.search(r"年内|年底|年末|全年|当年|年度内", t):
        out.update({12.0, 31.0})
    return out


def value_numbers(value: str) -> set[float]:
    pv = parse(value)
    if pv.kind is ValueKind.DEADLINE:
        return {float(x) for x in (pv.year, pv.month, pv.day) if x}
    if pv.kind is ValueKind.PERIOD:
        return {float(x) for x in (pv.year, pv.month, pv.day, pv.end_year, pv.end_month, pv.end_day) if x}
    return {float(n) for n in _NUM.findall(normalize_text(value).replace(",", ""))}


def _signature(pv: ParsedValue) -> tuple | None:
    if pv.kind is ValueKind.QUANTITY and pv.magnitude is not None:
        wan = pv.money_wan()
        return ("money", round(wan, 4)) if wan is not None else ("q", round(pv.magnitude, 4))
    if pv.kind is ValueKind.DEADLINE:
        return ("d", pv.month, pv.day)
    if pv.kind is ValueKind.PERIOD:
        return ("p", pv.year, pv.month, pv.end_year, pv.end_month)
    return None


def same_number(filed: str, drafted: str, timeliness: bool = False) -> bool:
    a, b = _signature(parse(filed, timeliness=timeliness)), _signature(parse(drafted, timeliness=timeliness))
    if a is None or b is None:
        return False
    if a == b:
        return True
    # 6次 vs 6批次, 220 vs 220门: compare magnitudes when one side has no unit
    return a[0] in ("q", "money") and b[0] in ("q", "money") and a[1] == b[1]


@dataclass
class CaseScore:
    id: str
    kind: str
    profile: str
    table_complete: bool
    filed_rows: int
    grounded_total: int
    grounded_hit: int
    concept_hit: int
    drafted_rows: int
    suggested_rows: int
    invented: list[str]
    invalid_tiers: int
    filed_findings: dict[str, int]
    draft_findings: dict[str, int]
    draft_error_codes: list[str]
    missed_grounded: list[str] = field(default_factory=list)
    seconds: float = 0.0
    trace: dict[str, Any] | None = None


def _concept2(profile: Profile, row: Indicator) -> str | None:
    return resolve(profile, row.tier1, row.tier2).tier2_concept


def score_case(case: dict, draft: Draft, seconds: float = 0.0) -> CaseScore:
    from .core.io.cases import case_to_draft

    filed = case_to_draft(case)
    filed_profile, _ = guess_profile(filed)
    draft_profile = get_profile(draft.profile) if draft.profile else guess_profile(draft)[0]
    prose = case.get("prose") or ""
    prose_numbers = text_numbers(prose)
    allowed = prose_numbers | text_numbers(json.dumps(case.get("funding") or {}, ensure_ascii=False))
    complete = case.get("table_complete", True) is not False
    raw_rows = case.get("indicators") or []

    d_rows = [(r, _concept2(draft_profile, r)) for r in draft.indicators]
    grounded_total = grounded_hit = concept_hit = 0
    missed: list[str] = []
    for raw, f in zip(raw_rows, filed.indicators):
        fc = _concept2(filed_profile, f)
        stated = raw["in_prose"] if "in_prose" in raw else bool(value_numbers(f.value)) and value_numbers(
            f.value) <= prose_numbers
        if stated and _signature(parse(f.value, timeliness=fc == "timeliness")) is not None:
            grounded_total += 1
            if any(c == fc and same_number(f.value, r.value, fc == "timeliness") for r, c in d_rows):
                grounded_hit += 1
            else:
                missed.append(f"{f.tier2}/{f.name} {f.value}")
        if any(c == fc and name_similarity(f.name, r.name) >= NAME_SIMILARITY for r, c in d_rows):
            concept_hit += 1

    invented = []
    for r in draft.indicators:
        if r.origin is Origin.SUGGESTED or r.parsed.kind in (ValueKind.PLACEHOLDER, ValueKind.EMPTY):
            continue
        extra = value_numbers(r.value) - allowed - {0.0}
        if extra:
            invented.append(f"{r.name} {r.value}")
    invalid = sum(1 for r in draft.indicators
                  if resolve(draft_profile, r.tier1, r.tier2).match1 is not Match.EXACT
                  or resolve(draft_profile, r.tier1, r.tier2).match2 is not Match.EXACT)
    fr, dr = validate(filed), validate(draft, draft_profile)
    return CaseScore(
        id=case.get("id", "?"), kind=filed.kind.value, profile=draft_profile.id, table_complete=complete,
        filed_rows=len(filed.indicators), grounded_total=grounded_total if complete else 0,
        grounded_hit=grounded_hit if complete else 0, concept_hit=concept_hit if complete else 0,
        drafted_rows=len(draft.indicators), suggested_rows=sum(r.origin is Origin.SUGGESTED for r in draft.indicators),
        invented=invented, invalid_tiers=invalid,
        filed_findings=_counts(fr),
        draft_findings=_counts(dr), draft_error_codes=sorted({f.code for f in dr.errors}),
        missed_grounded=missed if complete else [], seconds=round(seconds, 4))


def _counts(report) -> dict[str, int]:
    s = report.summary()
    return {"errors": s["errors"], "warnings": s["warnings"], "infos": s["infos"]}


def summarize(scores: list[CaseScore]) -> dict[str, Any]:
    complete = [s for s in scores if s.table_complete]
    g_tot = sum(s.grounded_total for s in complete)
    c_tot = sum(s.filed_rows for s in complete)
    return {
        "cases": len(scores),
        "grounded_recall": round(sum(s.grounded_hit for s in complete) / g_tot, 4) if g_tot else None,
        "concept_recall": round(sum(s.concept_hit for s in complete) / c_tot, 4) if c_tot else None,
        "invented_numbers": sum(len(s.invented) for s in scores),
        "invalid_tiers": sum(s.invalid_tiers for s in scores),
        "grounded_rows": g_tot,
        "filed_rows_scored": c_tot,
        "drafted_rows": sum(s.drafted_rows for s in scores),
        "suggested_rows": sum(s.suggested_rows for s in scores),
        "draft_errors": sum(s.draft_findings["errors"] for s in scores),
        "filed_errors": sum(s.filed_findings["errors"] for s in scores),
        "seconds": round(sum(s.seconds for s in scores), 3),
    }


def load_cases(folder: str | Path) -> list[dict]:
    out = []
    for p in sorted(Path(folder).glob("*.json")):
        data = json.loads(p.read_text(encoding="utf-8"))
        if isinstance(data, dict) and "prose" in data and "indicators" in data:
            data.setdefault("id", p.stem)
            out.append(data)
    return out


def case_profile(case: dict) -> str:
    pid = case.get("profile")
    if pid:
        try:
            get_profile(pid)
            return pid
        except KeyError:
            pass
    return DEFAULT_BY_KIND[Kind(case.get("kind") or "project")]


def run_cases(cases: list[dict], draft_fn: Callable[[dict], tuple[Draft, dict | None]]) -> tuple[list[CaseScore],
                                                                                                     dict]:
    import time

    scores = []
    for case in cases:
        t = time.perf_counter()
        draft, trace = draft_fn(case)
        s = score_case(case, draft, time.perf_counter() - t)
        s.trace = trace
        scores.append(s)
    return scores, summarize(scores)
