"""Scoring a drafting engine against filed forms (the case format of evals/cases/filed).

Metrics (deterministic):
- grounded_recall: of filed rows whose number is stated in the prose (`in_prose`), the share drafted with
  that number (same magnitude, or same date) under the same 二级 concept.
- concept_recall: of filed rows, the share matched by a drafted row with the same 二级 concept and a
  similar name: character-bigram Dice coefficient ≥ NAME_SIMILARITY (after dropping generic measure words).
- invented_numbers: numbers in drafted values that appear nowhere in the prose or its funding, on rows not
  marked suggested and not placeholders — summed over all cases.
- invalid_tiers: drafted rows whose 一级/二级 pair is not in the draft's profile — summed over all cases.
Cases with `table_complete: false` count for invented_numbers and invalid_tiers only.

On cases that list every target their prose states (`targets`, see evals/README.md):
- target_recall: of the stated targets, the share drafted with their number under an acceptable 二级.
- precision: of the drafted rows read from the text (origin extracted), the share that are stated targets
  (their number is a stated target's number).
- name_quality: of the targets found, the share whose drafted name is close to the expected name or one of
  its alternatives (bigram Dice ≥ NAME_CLOSE after dropping a trailing measure word).
- direction_accuracy: of the targets found, the share whose operator points the same way (≥/> up, ≤/< down, =).
On every case: garbled_names (extracted rows whose name starts inside a word of the sentence it came from) and
internal_codes (user-visible fields showing a library id, a source tag such as S21 or a “定性:” code).
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
from .core.grounding import _signature, same_number, text_numbers, value_numbers  # noqa: F401  (re-exported)
from .core.values import MONEY_SCALE_WAN, ValueKind, parse

NAME_SIMILARITY = 0.4
NAME_CLOSE = 0.5
INTERNAL_CODE = re.compile(r"(?<![A-Za-z0-9])S\d{1,2}[a-c]?(?![A-Za-z0-9])|定性[:：]|(?<![A-Za-z])[a-z]{2,5}-[a-z]+(?:-[a-z]+)*")
_GENERIC = re.compile(r"(人数|人次|户数|次数|数量|面积|里程|长度|完成|情况|指标|数|率)$")


def name_similarity(a: str, b: str) -> float:
    from .core.library import dice

    return dice(_GENERIC.sub("", a) or a, _GENERIC.sub("", b) or b)


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
    has_targets: bool = False
    target_total: int = 0
    target_hit: int = 0
    name_ok: int = 0
    direction_ok: int = 0
    extracted_rows: int = 0
    extracted_ok: int = 0
    garbled: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    missed_targets: list[str] = field(default_factory=list)
    false_rows: list[str] = field(default_factory=list)
    bad_names: list[str] = field(default_factory=list)


def _concept2(profile: Profile, row: Indicator) -> str | None:
    return resolve(profile, row.tier1, row.tier2).tier2_concept


def score_case(case: dict, draft: Draft, seconds: float = 0.0) -> CaseScore:
    from .core.io.cases import case_to_draft

    filed = case_to_draft({**case, "indicators": case.get("indicators") or []})
    filed_profile, _ = guess_profile(filed) if filed.indicators else (get_profile(case_profile(case)), None)
    draft_profile = get_profile(draft.profile) if draft.profile else guess_profile(draft)[0]
    prose = case.get("prose") or ""
    prose_numbers = text_numbers(prose)
    allowed = prose_numbers | text_numbers(json.dumps(case.get("funding") or {}, ensure_ascii=False))
    complete = case.get("table_complete", True) is not False and bool(case.get("indicators"))
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
    extra = _target_scores(case, draft, draft_profile)
    return CaseScore(
        id=case.get("id", "?"), kind=filed.kind.value, profile=draft_profile.id, table_complete=complete,
        filed_rows=len(filed.indicators), grounded_total=grounded_total if complete else 0,
        grounded_hit=grounded_hit if complete else 0, concept_hit=concept_hit if complete else 0,
        drafted_rows=len(draft.indicators), suggested_rows=sum(r.origin is Origin.SUGGESTED for r in draft.indicators),
        invented=invented, invalid_tiers=invalid,
        filed_findings=_counts(fr),
        draft_findings=_counts(dr), draft_error_codes=sorted({f.code for f in dr.errors}),
        missed_grounded=missed if complete else [], seconds=round(seconds, 4), **extra)


_DIRECTION = {"≥": "up", ">": "up", "≤": "down", "<": "down", "=": "exact"}


def _tier2_concepts(labels: list[str]) -> set[str]:
    from .core.profiles import tier2_concept_of

    return {c for c in (tier2_concept_of(x) for x in labels) if c}


def _target_scores(case: dict, draft: Draft, profile: Profile) -> dict[str, Any]:
    """Stated-target metrics (cases with `targets`) and the checks every case gets (garbled names, codes)."""
    out: dict[str, Any] = {"garbled": garbled_names(draft), "codes": internal_codes(draft)}
    targets = case.get("targets")
    if targets is None:
        return out
    rows = [(r, _concept2(profile, r)) for r in draft.indicators if r.origin is not Origin.SUGGESTED
            and r.parsed.kind not in (ValueKind.PLACEHOLDER, ValueKind.EMPTY)]
    taken: set[int] = set()
    hit = name_ok = direction_ok = 0
    missed, bad_names = [], []
    for t in targets:
        ok_concepts = _tier2_concepts(t.get("tier2") or [])
        tl = "timeliness" in ok_concepts
        cands = [i for i, (r, c) in enumerate(rows) if c in ok_concepts and same_number(t["value"], r.value, tl)]
        free = [i for i in cands if i not in taken] or cands
        if not free:
            missed.append(f"{t.get('name')} {t['value']} «{t.get('quote', '')}»")
            continue
        names = [t.get("name") or ""] + list(t.get("names") or [])
        best = max(free, key=lambda i: max(name_similarity(rows[i][0].name, n) for n in names))
        taken.add(best)
        hit += 1
        r = rows[best][0]
        if max(name_similarity(r.name, n) for n in names) >= NAME_CLOSE:
            name_ok += 1
        else:
            bad_names.append(f"{r.name}（应为{names[0]}）")
        want, got = parse(t["value"]), r.parsed
        if want.kind is not ValueKind.QUANTITY or _DIRECTION.get(want.op or "") == _DIRECTION.get(got.op or ""):
            direction_ok += 1
    extracted = [r for r in draft.indicators if r.origin is Origin.EXTRACTED]
    false_rows = [f"{r.name} {r.value}" for r in extracted
                  if not any(same_number(t["value"], r.value, "时效" in r.tier2 or "timeliness" in str(t.get("tier2")))
                             for t in targets)]
    out.update(has_targets=True, target_total=len(targets), target_hit=hit, name_ok=name_ok,
               direction_ok=direction_ok, extracted_rows=len(extracted), extracted_ok=len(extracted) - len(false_rows),
               missed_targets=missed, false_rows=false_rows, bad_names=bad_names)
    return out


def garbled_names(draft: Draft) -> list[str]:
    """Extracted rows whose name begins inside a word of the sentence it was read from (年度 → 度…)."""
    from .engines.offline.prose.naming import word_starts
    from .engines.offline.prose.normalize import normalize

    out = []
    for r in draft.indicators:
        if r.origin is not Origin.EXTRACTED or not r.evidence or len(r.name) < 2:
            continue
        ev = normalize(r.evidence).s
        if r.name[:4] not in ev:
            continue  # a composed name (项目总成本), not cut from the sentence
        head = r.name[:2]
        spots = [m.start() for m in re.finditer(re.escape(head), ev)]
        if not spots:
            continue
        starts = word_starts(ev)
        if not any(p in starts for p in spots):
            out.append(r.name)
    return out


def internal_codes(draft: Draft) -> list[str]:
    """User-visible fields showing an internal code (library id, source tag, 定性: code)."""
    out = []
    for r in draft.indicators:
        for v in (r.name, r.value, r.note or "", r.standard or "", r.tier1, r.tier2):
            if v and INTERNAL_CODE.search(v):
                out.append(v)
    return out


def _counts(report) -> dict[str, int]:
    s = report.summary()
    return {"errors": s["errors"], "warnings": s["warnings"], "infos": s["infos"]}


def summarize(scores: list[CaseScore]) -> dict[str, Any]:
    complete = [s for s in scores if s.table_complete]
    g_tot = sum(s.grounded_total for s in complete)
    c_tot = sum(s.filed_rows for s in complete)
    tg = [s for s in scores if s.has_targets]
    t_tot, t_hit = sum(s.target_total for s in tg), sum(s.target_hit for s in tg)
    x_tot = sum(s.extracted_rows for s in tg)
    return {
        "target_recall": round(t_hit / t_tot, 4) if t_tot else None,
        "precision": round(sum(s.extracted_ok for s in tg) / x_tot, 4) if x_tot else None,
        "name_quality": round(sum(s.name_ok for s in tg) / t_hit, 4) if t_hit else None,
        "direction_accuracy": round(sum(s.direction_ok for s in tg) / t_hit, 4) if t_hit else None,
        "targets": t_tot, "targets_found": t_hit, "extracted_rows": x_tot,
        "garbled_names": sum(len(s.garbled) for s in scores),
        "internal_codes": sum(len(s.codes) for s in scores),
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
        if isinstance(data, dict) and "prose" in data and ("indicators" in data or "targets" in data):
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


# --- the eval command: draft every case, score, write the report ---------------------------------------------

METRICS = {
    "grounded_recall": "原文写明数值的备案指标行中，草稿以相同数值（同一量级或同一日期）且同一二级指标写出的比例；"
                       "只计 table_complete 不为 false 的案例。",
    "concept_recall": "备案指标行中，草稿有同一二级指标、名称相近的行的比例；相近 = 去掉“人数、数量、率”等计量词后，"
                      f"名称的汉字二元组 Dice 系数 ≥ {NAME_SIMILARITY}；只计 table_complete 不为 false 的案例。",
    "invented_numbers": "草稿中非“建议”、非占位的指标值里出现了原文和资金表都没有的数字的行数，全部案例合计（应为 0）。",
    "invalid_tiers": "草稿中一级/二级指标不属于该表样的行数，全部案例合计（应为 0）。",
    "target_recall": "列出了全部原文目标（targets）的案例中，草稿以相同数值且可接受的二级指标写出的目标所占比例。",
    "precision": "列出了全部原文目标的案例中，草稿从原文提取的行（非建议行）里确为原文目标的比例（数值与某个目标相同）。",
    "name_quality": f"找到的目标中，草稿名称与期望名称（或其备选）相近的比例；相近 = 去掉计量词后二元组 Dice ≥ {NAME_CLOSE}。",
    "direction_accuracy": "找到的目标中，比较方向（≥/>、≤/<、=）与期望一致的比例。",
    "garbled_names": "提取行的名称从原句某个词的中间开始的行数（应为 0）。",
    "internal_codes": "用户可见字段中出现指标库编号、来源代号（如 S21）或“定性:”代码的次数（应为 0）。",
}


def _stops_the_run(e: BaseException) -> bool:
    """Failures every further case would repeat: bad key, no permission, no such model, endpoint unreachable
    (a timeout — a subclass of the last — or a reply in the wrong shape may be the case's own)."""
    try:
        import openai
    except ImportError:
        return False
    cause = e.__cause__
    fatal = (openai.AuthenticationError, openai.PermissionDeniedError, openai.NotFoundError, openai.APIConnectionError)
    return isinstance(cause, fatal) and not isinstance(cause, openai.APITimeoutError)


def _ratio(hit: int, total: int) -> float | None:
    return round(hit / total, 4) if total else None


def _case_entry(s: CaseScore, source: str) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": s.id, "source": source, "kind": s.kind, "profile": s.profile, "table_complete": s.table_complete,
        "filed_rows": s.filed_rows, "grounded_total": s.grounded_total, "grounded_hit": s.grounded_hit,
        "grounded_recall": _ratio(s.grounded_hit, s.grounded_total) if s.table_complete else None,
        "concept_hit": s.concept_hit,
        "concept_recall": _ratio(s.concept_hit, s.filed_rows) if s.table_complete else None,
        "drafted_rows": s.drafted_rows, "suggested_rows": s.suggested_rows,
        "invented_numbers": len(s.invented), "invented": s.invented, "invalid_tiers": s.invalid_tiers,
        "filed_findings": s.filed_findings, "draft_findings": s.draft_findings,
        "draft_error_codes": s.draft_error_codes, "missed_grounded": s.missed_grounded, "seconds": s.seconds,
        "targets": s.target_total if s.has_targets else None, "targets_found": s.target_hit if s.has_targets else None,
        "target_recall": _ratio(s.target_hit, s.target_total) if s.has_targets else None,
        "extracted_rows": s.extracted_rows, "extracted_ok": s.extracted_ok if s.has_targets else None,
        "precision": _ratio(s.extracted_ok, s.extracted_rows) if s.has_targets else None,
        "name_quality": _ratio(s.name_ok, s.target_hit) if s.has_targets else None,
        "direction_accuracy": _ratio(s.direction_ok, s.target_hit) if s.has_targets else None,
        "missed_targets": s.missed_targets, "false_rows": s.false_rows, "bad_names": s.bad_names,
        "garbled_names": s.garbled, "internal_codes": s.codes,
    }
    t = s.trace or {}
    if "requests" in t or "error" in t:
        out.update({
            "calls": t.get("requests", 0), "prompt_tokens": t.get("prompt_tokens", 0),
            "completion_tokens": t.get("completion_tokens", 0),
            "tokens": t.get("prompt_tokens", 0) + t.get("completion_tokens", 0),
            "latency_ms": t.get("latency_ms", 0.0), "overhead_ms": t.get("overhead_ms", 0.0),
            "method": t.get("method"), "cache_hits": t.get("cache_hits", 0),
            "http_requests": t.get("http_requests", t.get("requests", 0)),
            "recorded_latency_ms": t.get("recorded_latency_ms", t.get("latency_ms", 0.0)),
        })
        if t.get("error"):
            out["error"] = t["error"]
    return out


def _fmt(x: float | None) -> str:
    return "—" if x is None else f"{x * 100:.1f}%"


def _markdown(report: dict[str, Any]) -> str:
    s, cases, llm = report["summary"], report["cases"], report["engine"] == "llm"
    head = ["案例", "类型", "完整", "备案行", "有据命中", "概念命中", "目标命中", "提取准确", "名称合格", "草稿行(建议)",
            "编造数字", "层级错误", "备案表 错/提示", "草稿 错/提示"]
    if llm:
        head += ["调用", "tokens", "模型耗时 s", "缓存命中"]
    lines = [f"# 起草评测：{report['engine_label']}", "",
             f"案例 {s['cases']} 个（{', '.join(report['case_dirs'])}）；"
             f"有据召回 grounded_recall {_fmt(s['grounded_recall'])}（{s['grounded_hit']}/{s['grounded_rows']}），"
             f"概念召回 concept_recall {_fmt(s['concept_recall'])}（{s['concept_hit']}/{s['filed_rows_scored']}），"
             f"编造数字 invented_numbers {s['invented_numbers']}，层级错误 invalid_tiers {s['invalid_tiers']}；"
             f"目标召回 target_recall {_fmt(s['target_recall'])}（{s['targets_found']}/{s['targets']}），"
             f"提取准确率 precision {_fmt(s['precision'])}，名称合格率 name_quality {_fmt(s['name_quality'])}，"
             f"方向正确率 direction_accuracy {_fmt(s['direction_accuracy'])}，名称断词 garbled_names {s['garbled_names']}，"
             f"内部代码 internal_codes {s['internal_codes']}。", "",
             "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for c in cases:
        g = f"{c['grounded_hit']}/{c['grounded_total']}" if c["table_complete"] else "—"
        k = f"{c['concept_hit']}/{c['filed_rows']}" if c["table_complete"] else "—"
        tg = f"{c['targets_found']}/{c['targets']}" if c["targets"] is not None else "—"
        pr = f"{c['extracted_ok']}/{c['extracted_rows']}" if c["targets"] is not None else "—"
        nq = f"{round((c['name_quality'] or 0) * c['targets_found'])}/{c['targets_found']}" if c["targets"] else "—"
        row = [c["id"], c["kind"], "是" if c["table_complete"] else "否", str(c["filed_rows"]), g, k, tg, pr, nq,
               f"{c['drafted_rows']}({c['suggested_rows']})", str(c["invented_numbers"]), str(c["invalid_tiers"]),
               f"{c['filed_findings']['errors']}/{c['filed_findings']['warnings']}",
               f"{c['draft_findings']['errors']}/{c['draft_findings']['warnings']}"]
        if llm:
            row += [str(c.get("calls", 0)), str(c.get("tokens", 0)), f"{c.get('recorded_latency_ms', 0) / 1000:.1f}",
                    str(c.get("cache_hits", 0))]
        if c.get("error"):
            row[0] += "（失败）"
        lines.append("| " + " | ".join(row) + " |")
    total = ["合计", "", "", str(sum(c["filed_rows"] for c in cases)), f"{s['grounded_hit']}/{s['grounded_rows']}",
             f"{s['concept_hit']}/{s['filed_rows_scored']}", f"{s['targets_found']}/{s['targets']}",
             f"{sum(c['extracted_ok'] or 0 for c in cases if c['targets'] is not None)}/{s['extracted_rows']}",
             _fmt(s["name_quality"]), f"{s['drafted_rows']}({s['suggested_rows']})",
             str(s["invented_numbers"]), str(s["invalid_tiers"]),
             f"{s['filed_errors']}/{s['filed_warnings']}", f"{s['draft_errors']}/{s['draft_warnings']}"]
    if llm:
        total += [str(s["calls"]), str(s["tokens"]), f"{s['recorded_latency_ms'] / 1000:.1f}", str(s["cache_hits"])]
    lines.append("| " + " | ".join(total) + " |")
    lines += ["", "指标含义："] + [f"- {k}：{v}" for k, v in METRICS.items()]
    if llm:
        lines.append(f"- 模型调用 {s['calls']} 次（其中读缓存 {s['cache_hits']} 次，实际请求 {s['http_requests']} 次），"
                     f"tokens {s['tokens']}（输入 {s['prompt_tokens']}，输出 {s['completion_tokens']}）；"
                     f"读缓存的调用，tokens 和模型耗时按原始请求记（本次实际耗时见 report.json 的 latency_ms）。")
        if s.get("failed_cases"):
            lines.append(f"- 失败的案例 {s['failed_cases']} 个（按空表计分），原因见 report.json 的 error 字段。")
    return "\n".join(lines) + "\n"


def _chart(report: dict[str, Any], path: Path) -> None:
    """Per-case grounded/concept recall (bars) and invented numbers (markers); Agg canvas, no display."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    cases = report["cases"]
    n = max(1, len(cases))
    fig = Figure(figsize=(9, 1.2 + 0.38 * n), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    ys = list(range(len(cases)))
    g = [c["grounded_recall"] or 0.0 for c in cases]
    k = [c["concept_recall"] or 0.0 for c in cases]
    ax.barh([y - 0.2 for y in ys], g, height=0.4, label="grounded_recall", color="#2b6cb0")
    ax.barh([y + 0.2 for y in ys], k, height=0.4, label="concept_recall", color="#9ac1e6")
    for y, c in zip(ys, cases):
        notes = []
        if not c["table_complete"]:
            notes.append("table incomplete: recall not scored")
        if c["invented_numbers"]:
            notes.append(f"invented {c['invented_numbers']}")
        if c["invalid_tiers"]:
            notes.append(f"invalid tiers {c['invalid_tiers']}")
        if c.get("error"):
            notes.append("failed")
        if notes:
            ax.text(1.02, y, ", ".join(notes), va="center", fontsize=7, color="#c53030")
    ax.set_yticks(ys)
    ax.set_yticklabels([c["id"][:42] for c in cases], fontsize=7)
    ax.invert_yaxis()
    ax.set_xlim(0, 1.6)
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1.0])
    ax.axvline(1.0, color="#999999", linewidth=0.6)
    s = report["summary"]
    ax.set_title(f"{report['engine']}: grounded {_fmt(s['grounded_recall'])}, concept {_fmt(s['concept_recall'])}, "
                 f"invented {s['invented_numbers']}, invalid tiers {s['invalid_tiers']}", fontsize=9)
    ax.legend(loc="lower right", fontsize=7)
    fig.tight_layout()
    fig.savefig(path, format="png")


def check_thresholds(summary: dict[str, Any], thresholds: dict[str, Any]) -> list[str]:
    """Failures of `summary` against {"min": {metric: x}, "max": {metric: y}} (an empty list when all hold)."""
    out = []
    for metric, floor in (thresholds.get("min") or {}).items():
        v = summary.get(metric)
        if v is None or v < floor:
            out.append(f"{metric} = {v} < {floor}")
    for metric, ceiling in (thresholds.get("max") or {}).items():
        v = summary.get(metric)
        if v is None or v > ceiling:
            out.append(f"{metric} = {v} > {ceiling}")
    return out


def run_eval(case_dirs: list[Path], engine: str = "offline", out_dir: Path | None = None, settings=None,
             use_cache: bool = True) -> dict[str, Any]:
    """Draft every case in `case_dirs` from its prose alone with `engine` (offline | llm), score it against
    the filed table, and (when `out_dir` is given) write report.json, report.md, scores.png and drafts/.

    Model runs go through a disk cache of replies keyed by the request (settings.data_dir/llm-cache), so a
    second run makes no requests; `use_cache=False` bypasses it. Returns {"summary", "cases", "text", ...}.
    """
    import time

    from .config import load_settings
    from .engines.base import EngineError

    settings = settings or load_settings()
    cases: list[dict] = []
    sources: dict[str, str] = {}
    skipped: list[str] = []
    for folder in case_dirs:
        folder = Path(folder)
        if not folder.is_dir():
            raise EngineError(f"案例文件夹不存在：{folder}")
        found = load_cases(folder)
        for case in found:
            if case["id"] in sources:  # the same case in two folders (the seed): score it once
                skipped.append(f"{case['id']}（{folder}）")
                continue
            sources[case["id"]] = str(folder)
            cases.append(case)
    if not cases:
        raise EngineError("案例文件夹里没有案例（需要含 prose 和 indicators 字段的 .json 文件）："
                          + "、".join(str(p) for p in case_dirs))

    cache = None
    if engine == "offline":
        from .engines.offline import OfflineEngine

        eng: Any = OfflineEngine()
        label = "离线规则引擎"
    elif engine == "llm":
        from .engines import get_engine

        eng, _ = get_engine("llm", settings)
        label = eng.label
        if use_cache:
            from .engines.llm.cache import DiskCache, default_cache_dir, schema_salt

            cache = DiskCache(default_cache_dir(settings.data_dir), salt=schema_salt())
    else:
        raise EngineError("--engine 只能是 offline 或 llm")

    drafts: dict[str, Draft] = {}

    def draft_fn(case: dict) -> tuple[Draft, dict | None]:
        before = cache.counters() if cache else None
        try:
            out = eng.draft(case["prose"], profile=case_profile(case), kind=Kind(case.get("kind") or "project"))
            draft, trace = out.draft, (dict(out.trace) if out.trace else None)
        except EngineError as e:
            if engine == "llm" and _stops_the_run(e):
                raise  # the endpoint can't be used at all: stop, don't repeat the failure for every case
            draft = Draft(kind=Kind(case.get("kind") or "project"), profile=case_profile(case))
            trace = {"error": str(e), "requests": 0, "prompt_tokens": 0, "completion_tokens": 0, "latency_ms": 0.0}
        if cache and trace is not None:
            after = cache.counters()
            hits = int(after["hits"] - before["hits"])
            trace["cache_hits"] = hits
            trace["http_requests"] = max(0, int(trace.get("requests", 0)) - hits)
            # the model time the case cost when its replies were fetched: live calls plus the recorded
            # latency of the cached ones (a cache hit itself takes a few milliseconds)
            hit_ms = after["hit_latency_ms"] - before["hit_latency_ms"]
            trace["recorded_latency_ms"] = round(float(trace.get("latency_ms", 0.0)) + hit_ms, 1)
        drafts[case["id"]] = draft
        return draft, trace

    t0 = time.perf_counter()
    if cache is not None:
        from .engines.llm.cache import installed

        with installed(cache):
            scores, summary = run_cases(cases, draft_fn)
    else:
        scores, summary = run_cases(cases, draft_fn)
    wall = time.perf_counter() - t0

    entries = [_case_entry(s, sources[s.id]) for s in scores]
    complete = [s for s in scores if s.table_complete]
    summary.update({
        "grounded_hit": sum(s.grounded_hit for s in complete),
        "concept_hit": sum(s.concept_hit for s in complete),
        "incomplete_cases": sum(not s.table_complete for s in scores),
        "filed_warnings": sum(s.filed_findings["warnings"] for s in scores),
        "draft_warnings": sum(s.draft_findings["warnings"] for s in scores),
        "wall_seconds": round(wall, 3),
    })
    if engine == "llm":
        for key in ("calls", "prompt_tokens", "completion_tokens", "tokens", "cache_hits", "http_requests"):
            summary[key] = sum(int(e.get(key, 0)) for e in entries)
        summary["latency_ms"] = round(sum(e.get("latency_ms", 0.0) for e in entries), 1)
        summary["recorded_latency_ms"] = round(sum(e.get("recorded_latency_ms", 0.0) for e in entries), 1)
        summary["failed_cases"] = sum(1 for e in entries if e.get("error"))
    report: dict[str, Any] = {
        "engine": engine, "engine_label": label,
        "model": settings.llm_model if engine == "llm" else None,
        "case_dirs": [str(p) for p in case_dirs], "skipped_duplicates": skipped,
        "metrics": METRICS, "name_similarity": NAME_SIMILARITY,
        "summary": summary, "cases": entries,
    }
    report["text"] = _markdown(report)
    if out_dir is not None:
        try:
            _write_report(report, drafts, Path(out_dir))
        except OSError as e:
            raise EngineError(f"无法写入报告文件夹 {out_dir}：{e.strerror or e}") from e
    return report


def _write_report(report: dict[str, Any], drafts: dict[str, Draft], out_dir: Path) -> None:
    """report.json (everything but the printed text), report.md, scores.png and drafts/<id>.json."""
    from .core.io import render, write_atomic

    out_dir.mkdir(parents=True, exist_ok=True)
    data = {k: v for k, v in report.items() if k != "text"}
    write_atomic(out_dir / "report.json", json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))
    write_atomic(out_dir / "report.md", report["text"].encode("utf-8"))
    _chart(report, out_dir / "scores.png")
    for cid, draft in drafts.items():
        safe = re.sub(r"[^\w.-]", "_", cid)
        write_atomic(out_dir / "drafts" / f"{safe}.json", render(draft, "json"))


def review_scores(cases_dir: Path, annotations: Path) -> dict[str, Any]:
    """The validator against an independent row-by-row defect annotation of filed forms (evals/review).

    recall: defective rows with at least one error or warning on them; false_errors: clean rows with an error.
    Borderline rows (defective: null) are not scored."""
    from .core.io import load_draft
    from .core.validator import validate

    data = json.loads(Path(annotations).read_text(encoding="utf-8"))
    flagged = defective = clean = false_errors = warned_clean = 0
    missed: list[str] = []
    false: list[str] = []
    for case in data["cases"]:
        draft = load_draft(Path(cases_dir) / f"{case['case']}.json")
        by_row: dict[int, list] = {}
        for f in validate(draft).findings:
            if f.row is not None and f.severity.value != "info":
                by_row.setdefault(f.row, []).append(f)
        for r in case["rows"]:
            found = by_row.get(r["row"], [])
            if r["defective"] is True:
                defective += 1
                if found:
                    flagged += 1
                else:
                    missed.append(f"{case['case']}#{r['row']} {r.get('name', '')}｜{r.get('value', '')} {r.get('defects')}")
            elif r["defective"] is False:
                clean += 1
                errors = [f for f in found if f.severity.value == "error"]
                if errors:
                    false_errors += 1
                    false.append(f"{case['case']}#{r['row']} {errors[0].message}")
                elif found:
                    warned_clean += 1
    return {"defective_rows": defective, "flagged": flagged, "recall": round(flagged / defective, 4) if defective else 0,
            "clean_rows": clean, "false_errors": false_errors, "clean_with_warnings": warned_clean,
            "missed": missed, "false": false}


def same_target(expected: str, got: str) -> bool:
    """The same target, however written: same number and unit (元/万元 scaled, 3.2万人 = 32000人), the same date
    for deadlines; an operator may be left out on one side (a bare 1000人次 stated for ≥1000人次); a money
    standard may say more of its unit (每人每年99元 = 99元/人·年 for 99元/人); a yearly count on an annual form is the
    count (≥1次/年 = ≥1次)."""
    a, b = parse(expected, timeliness=True), parse(got, timeliness=True)
    if a.kind is ValueKind.DEADLINE or b.kind is ValueKind.DEADLINE:
        return a.kind == b.kind and (a.year, a.month, a.day) == (b.year, b.month, b.day)
    if a.kind is ValueKind.QUANTITY and b.kind is ValueKind.QUANTITY and a.magnitude is not None \
            and b.magnitude is not None:
        scale = MONEY_SCALE_WAN
        ua, ub, ma, mb = a.unit or "", b.unit or "", a.magnitude, b.magnitude
        if ua in scale and ub in scale:
            ma, mb, ua, ub = ma * scale[ua], mb * scale[ub], "万元", "万元"
        ops_agree = a.op == b.op or not a.op or not b.op or "=" in (a.op, b.op)
        (ha, _, pa), (hb, _, pb) = ua.partition("/"), ub.partition("/")
        refined = ha == hb and ha in scale and pa and pb and (pa.startswith(pb) or pb.startswith(pa)) \
            or ha == hb and {pa, pb} == {"", "年"}  # 每年组织1次 on an annual form: ≥1次/年 = ≥1次
        return (ua == ub or refined) and abs(ma - mb) <= 1e-6 * max(1.0, abs(ma)) and ops_agree
    return re.sub(r"\s", "", expected) == re.sub(r"\s", "", got)


def rollforward_scores(folder: Path, engine=None) -> dict[str, Any]:
    """Roll-forward against hand-typed year pairs (tests/fixtures/year-pairs): last year's form + this year's prose.

    - updated: last year's rows the prose restates, found (by row, not position) with this year's value;
    - added: new targets of the prose, as a new row whose name holds the expected fragment, with its value;
    - kept: rows the prose doesn't mention, still there and marked for the user to decide;
    - precision: of the rows the tool took from the prose (updated or added), the share that are right;
    - funding: this year's total when the prose states one, last year's kept otherwise."""
    from .core.io import load_draft_bytes
    from .core.model import Origin
    from .engines.rollforward import NOT_MENTIONED, roll_forward

    totals = {k: 0 for k in ("updated", "updated_hit", "added", "added_hit", "kept", "kept_hit", "taken",
                             "taken_right", "funding", "funding_hit", "year_hit", "pairs")}
    pairs: list[dict[str, Any]] = []
    for exp_path in sorted(Path(folder).glob("*-expected.json")):
        exp = json.loads(exp_path.read_text(encoding="utf-8"))
        last_path = Path(folder) / exp["last"]
        last = load_draft_bytes(last_path.read_bytes(), last_path.name)
        text = (Path(folder) / exp["this_text"]).read_text(encoding="utf-8")
        d = roll_forward(last, text, engine=engine).draft
        id_of = {x.name: x.id for x in d.last_year_rows}
        row_of = {r.id: r for r in d.indicators}
        issues: list[str] = []
        right: set[str] = set()
        for u in exp["updated"]:
            r = row_of.get(id_of.get(u["last_name"], ""))
            ok = r is not None and r.origin is Origin.EXTRACTED and same_target(u["value"], r.value)
            totals["updated"] += 1
            totals["updated_hit"] += ok
            if ok:
                right.add(r.id)
            else:
                issues.append(f"未更新 {u['last_name']} → {u['value']}（表中：{r.value if r else '已删'}）")
        new_rows = [r for r in d.indicators if r.previous is None]
        for a in exp["added"]:
            hit = next((r for r in new_rows if r.id not in right and a["name_contains"] in r.name
                        and same_target(a["value"], r.value)), None)
            totals["added"] += 1
            totals["added_hit"] += hit is not None
            if hit is not None:
                right.add(hit.id)
            else:
                issues.append(f"未新增 {a['name_contains']} {a['value']}")
        for name in exp["unmentioned"]:
            r = row_of.get(id_of.get(name, ""))
            ok = r is not None and r.origin is not Origin.EXTRACTED and r.note == NOT_MENTIONED
            totals["kept"] += 1
            totals["kept_hit"] += ok
            if not ok:
                issues.append(f"未提及的行处理不对：{name}（{r.value if r else '已删'}）")
        taken = [r for r in d.indicators if r.origin is Origin.EXTRACTED or r.previous is None]
        totals["taken"] += len(taken)
        totals["taken_right"] += sum(r.id in right for r in taken)
        issues += [f"多取：{r.name} {r.value}" for r in taken if r.id not in right]
        want = exp.get("funding_total")
        got = d.budget_wan() if d.budget_wan() is not None else _income_total(d)
        if want is not None:
            totals["funding"] += 1
            ok = got is not None and abs(got - want) < 0.01
            totals["funding_hit"] += ok
            if not ok:
                issues.append(f"资金 {got} ≠ {want}")
        totals["year_hit"] += d.header.year == exp["this_year"]
        totals["pairs"] += 1
        pairs.append({"pair": exp_path.name.removesuffix("-expected.json"), "issues": issues})

    def ratio(a: str, b: str) -> float:
        return round(totals[a] / totals[b], 4) if totals[b] else 1.0

    return {"totals": totals, "updated_recall": ratio("updated_hit", "updated"),
            "added_recall": ratio("added_hit", "added"), "kept": ratio("kept_hit", "kept"),
            "precision": ratio("taken_right", "taken"), "funding": ratio("funding_hit", "funding"),
            "year": ratio("year_hit", "pairs"), "pairs": pairs}


def _income_total(d: Draft) -> float | None:
    """A department's 收入合计 (or the sum of its income lines when no total is written)."""
    scale = MONEY_SCALE_WAN.get(d.funding.unit, 1.0)
    total = next((x.amount for x in d.funding.income if x.role == "total" and x.amount is not None), None)
    items = [x.amount for x in d.funding.income if x.role == "item" and x.amount is not None]
    return total * scale if total is not None else sum(items) * scale if items else None
