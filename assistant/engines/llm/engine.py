"""The LLM engine: draft, repair, revise and review through any OpenAI-compatible endpoint.

Everything the model returns goes through the core: converted to a Draft, grounded against the user's
text (numbers not in the text become suggestions), mechanically fixed, validated. Error-level findings are
sent back at most `llm_max_repairs` times; the best draft is always returned with its remaining findings.
"""

from __future__ import annotations

import json
import time
from typing import Sequence

from langchain_core.messages import AIMessage, HumanMessage
from rapidfuzz import fuzz

from ...config import Settings
from ...core.findings import Finding, Report, Severity
from ...core.library import load_library
from ...core.model import Draft, Goal, Header, Indicator, Kind, Origin
from ...core.patch import PatchError, apply_ops
from ...core.profiles import DEFAULT_BY_KIND, Profile, get_profile, guess_profile
from ...core.validator import RULES, _load_rules, fix_all, validate
from ...core.values import ValueKind, normalize_text, parse
from ...core.grounding import same_number, text_numbers, value_numbers
from ..base import DraftOutcome, EngineError, ReviewOutcome, ReviseOutcome
from ..offline import OfflineEngine
from ..offline.commands import CommandError, parse_command
from ..offline.extract import normalize

MAX_CHARS = 60_000  # a model's context is the limit here; the offline reader takes up to 200,000
from .caller import StructuredCaller, Trace
from .prompts import render
from .providers import get_provider, guess_provider
from .schema import LLMDraft, LLMPatch, LLMReview

MECHANICAL = {"R01", "R01A", "R01T", "R11", "R12", "R13"}
_KIND_LABEL = {Kind.DEPARTMENT: "部门整体支出绩效目标申报表", Kind.PROJECT: "项目支出绩效目标申报表"}


class LLMEngine:
    name = "llm"

    def __init__(self, settings: Settings):
        if not settings.llm_configured:
            raise EngineError("没有配置大模型。")
        self.settings = settings
        pname = settings.llm_provider or guess_provider(settings.llm_base_url, settings.llm_model)
        try:
            self.provider = get_provider(pname).for_model(settings.llm_model)
        except KeyError as e:
            raise EngineError(str(e.args[0])) from e
        self.label = f"{settings.llm_model}（{self.provider.label}）"
        self.offline = OfflineEngine()

    def _caller(self) -> tuple[StructuredCaller, Trace]:
        trace = Trace(self.provider.name, self.settings.llm_model or "")
        return StructuredCaller(self.settings, self.provider, trace), trace

    # --- draft ------------------------------------------------------------------------------------
    def draft(self, text: str, profile: str | None = None, kind: Kind | None = None) -> DraftOutcome:
        t_start = time.perf_counter()
        raw = (text or "")
        if not raw.strip():
            raise EngineError("没有可用的文字：请粘贴单位职能、年度任务和绩效目标等内容。")
        notes: list[str] = []
        if len(raw) > MAX_CHARS:
            notes.append(f"文字过长（{len(raw)}字），只处理了前{MAX_CHARS}字。")
            raw = raw[:MAX_CHARS]
        # the offline extraction grounds the model: structure, funding and the figures actually stated
        base = self.offline.draft(raw, profile=profile, kind=kind)
        prof = get_profile(base.draft.profile or DEFAULT_BY_KIND[base.draft.kind])
        kind = base.draft.kind
        caller, trace = self._caller()
        system = render("draft_system", form_title=_KIND_LABEL[kind], profile_id=prof.id, tier_map=tier_map(prof),
                        standards="、".join(prof.standards or ["计划标准", "行业标准", "历史标准", "预算支出标准", "其他标准"]),
                        rules=rules_text(), examples=examples_text(raw, prof))
        user = render("draft_user", kind_label=_KIND_LABEL[kind], year=base.draft.header.year or "未写明", prose=raw)
        messages = [HumanMessage(user)]
        out, _ = caller.call(system, messages, LLMDraft, "draft")
        t0 = time.perf_counter()
        best = self._to_draft(out, raw, prof, kind, base.draft, notes)
        best_report = validate(best, prof)
        trace.overhead_ms += (time.perf_counter() - t0) * 1000
        seen: set[tuple] = set()
        for _ in range(self.settings.llm_max_repairs):
            errors = _repairable(best, best_report)
            key = tuple(sorted((f.code, f.row) for f in errors))
            if not errors or key in seen:
                break
            seen.add(key)
            messages = messages + [AIMessage(json.dumps(out.model_dump(), ensure_ascii=False)),
                                   HumanMessage(render("repair", findings=findings_text(best, errors)))]
            try:
                out, _ = caller.call(system, messages, LLMDraft, "repair")
            except EngineError as e:
                notes.append(f"自动修正未完成：{e}")
                break
            t0 = time.perf_counter()
            cand = self._to_draft(out, raw, prof, kind, base.draft, [])
            cand_report = validate(cand, prof)
            trace.overhead_ms += (time.perf_counter() - t0) * 1000
            if len(_repairable(cand, cand_report)) <= len(errors):
                best, best_report = cand, cand_report
        repaired = sum(1 for a in trace.attempts if a.purpose == "repair")
        if repaired:
            notes.append(f"按检查结果自动修正了{repaired}次。")
        result = trace.as_dict()
        result["total_ms"] = round((time.perf_counter() - t_start) * 1000, 1)
        result["overhead_ms"] = round(result["total_ms"] - result["latency_ms"], 1)  # everything but the model
        return DraftOutcome(best, best_report, self.label, notes, result)

    def _to_draft(self, out: LLMDraft, prose: str, prof: Profile, kind: Kind, base: Draft, notes: list[str]) -> Draft:
        """Model output → Draft: grounding, the offline figures it dropped, mechanical fixes."""
        prose_n = normalize_text(normalize(prose))
        stated = text_numbers(prose)
        dep = kind is Kind.DEPARTMENT
        goals = [g.strip() for g in out.goals if g and g.strip()] or [g.text for g in base.goals]
        rows: list[Indicator] = []
        for r in out.rows:
            evidence = r.evidence.strip() if r.evidence else ""
            if evidence and fuzz.partial_ratio(normalize_text(evidence), prose_n) < 85:
                evidence = ""
            value = r.value.strip()
            nums = value_numbers(value) - {0.0}
            pv = parse(value)
            invented = bool(nums - stated) and pv.kind is not ValueKind.PLACEHOLDER
            if invented or pv.kind is ValueKind.PLACEHOLDER or not evidence:
                origin = Origin.SUGGESTED
            else:
                origin = Origin.EXTRACTED
            note = "数值在原文中没有出现，请确认或修改" if invented else None
            goal = r.goal if dep and 1 <= r.goal <= max(1, len(goals)) else (1 if dep and goals else None)
            rows.append(Indicator(goal=goal, tier1=r.tier1, tier2=r.tier2, name=r.name.strip(), value=value,
                                  standard=(r.standard or "").strip() or None, origin=origin,
                                  evidence=evidence or None, note=note))
        # figures the offline extractor read from the text that the model left out
        dropped = [b for b in base.indicators if b.origin is Origin.EXTRACTED and not any(
            same_number(b.value, r.value, "时效" in b.tier2) for r in rows)]
        for b in dropped:
            rows.append(b.model_copy(update={"note": "模型遗漏、由规则从原文提取"}))
        if dropped:
            notes.append("模型遗漏了原文中的目标，已补回：" + "、".join(f"{b.name} {b.value}" for b in dropped[:6]))
        header = base.header.model_copy(update={k: v for k, v in {
            "unit": out.unit.strip() or base.header.unit, "year": out.year or base.header.year,
            "project_name": (out.project_name.strip() or base.header.project_name) if not dep else None}.items()})
        draft = Draft(kind=kind, profile=prof.id, header=Header.model_validate(header.model_dump()),
                      funding=base.funding, projects=base.projects, duties=base.duties, tasks=base.tasks,
                      long_term_goal=out.long_term_goal.strip() or base.long_term_goal,
                      goals=[Goal(text=g) for g in goals] if dep or goals else [], indicators=rows,
                      source_text=prose)
        draft, _ = fix_all(draft, prof, codes=MECHANICAL)
        return draft

    # --- revise -----------------------------------------------------------------------------------
    def revise(self, draft: Draft, instruction: str, history: Sequence[dict] = ()) -> ReviseOutcome:
        prof = guess_profile(draft)[0]
        try:
            exact = parse_command(instruction, draft, prof, self.offline.library) is not None
        except CommandError:
            exact = True  # understood offline, and can't be done as asked: the offline reply says why
        if exact:
            return self.offline.revise(draft, instruction, history)  # exact commands need no model
        caller, trace = self._caller()
        system = render("revise_system", form_title=_KIND_LABEL[draft.kind], profile_id=prof.id,
                        tier_map=tier_map(prof))
        hist = "\n".join(f"{h.get('role', 'user')}: {h.get('content', '')}"[:300] for h in list(history)[-6:]) or "（无）"
        user = render("revise_user", table=table_text(draft), history=hist, instruction=instruction)
        patch, _ = caller.call(system, [HumanMessage(user)], LLMPatch, "revise")
        t0 = time.perf_counter()
        try:
            ops = self._patch_ops(patch, draft, instruction)
            new, changes = apply_ops(draft, ops)
        except PatchError as e:
            trace.overhead_ms += (time.perf_counter() - t0) * 1000
            return ReviseOutcome(draft, validate(draft, prof), f"未修改：{e}（模型回复：{patch.reply}）",
                                 understood=True, trace=trace.as_dict())
        report = validate(new, prof)
        trace.overhead_ms += (time.perf_counter() - t0) * 1000
        if not changes:
            return ReviseOutcome(draft, report, patch.reply or "表格没有变化。", [], trace=trace.as_dict())
        s = report.summary()
        reply = (patch.reply.strip() + "\n" if patch.reply.strip() else "") + "已修改：\n" + "\n".join(
            f"- {c}" for c in changes) + f"\n检查结果：错误 {s['errors']} 项，提示 {s['warnings']} 项。"
        return ReviseOutcome(new, report, reply, changes, trace=trace.as_dict())

    def _patch_ops(self, patch: LLMPatch, draft: Draft, instruction: str) -> list[dict]:
        rows = draft.indicators
        stated = text_numbers((draft.source_text or "") + instruction + " ".join(r.value for r in rows))

        def row_id(n: int) -> str:
            if not 1 <= n <= len(rows):
                raise PatchError(f"模型给出的行号{n}超出范围（共{len(rows)}行）")
            return rows[n - 1].id

        ops: list[dict] = []
        for op in patch.ops:
            kind = op.op.strip().lower()
            fields = {k: getattr(op, k).strip() for k in ("tier1", "tier2", "name", "value", "standard")
                      if getattr(op, k) and getattr(op, k).strip()}
            if kind == "update":
                if op.goal:
                    fields["goal"] = op.goal
                if fields:
                    fields["origin"] = _origin_for(fields.get("value"), stated)
                    ops.append({"op": "update_row", "row_id": row_id(op.row), "fields": fields})
            elif kind == "add":
                fields.setdefault("value", "（待填）")
                ops.append({"op": "add_row", "row": {**fields, "goal": op.goal or (1 if draft.goals else None),
                                                     "origin": _origin_for(fields["value"], stated)}})
            elif kind == "delete":
                ops.append({"op": "delete_row", "row_id": row_id(op.row)})
            elif kind == "move":
                ops.append({"op": "move_row", "row_id": row_id(op.row), "to_index": max(0, op.position - 1)})
            elif kind == "set_goal":
                ops.append({"op": "set_goal", "index": op.row, "text": op.text or None})
            elif kind == "set_header":
                ops.append({"op": "set_header", "field": op.field, "value": op.text})
            else:
                raise PatchError(f"模型给出了不认识的操作“{op.op}”")
        return ops  # rows were resolved to ids above, so the order of deletions doesn't matter

    # --- review -----------------------------------------------------------------------------------
    def review(self, draft: Draft) -> ReviewOutcome:
        prof = guess_profile(draft)[0]
        report = validate(draft, prof)
        caller, trace = self._caller()
        known = "\n".join(f"- {f.message}" for f in report.findings if f.severity is not Severity.INFO)[:3000] or "（无）"
        system = render("review_system", form_title=_KIND_LABEL[draft.kind], known=known)
        subject = draft.header.project_name or draft.header.unit or draft.header.title or "（未写明）"
        user = render("review_user", subject=subject, goals="\n".join(f"{i}. {g.text}" for i, g in enumerate(
            draft.goals, 1)) or "（无）", table=table_text(draft))
        out, _ = caller.call(system, [HumanMessage(user)], LLMReview, "review")
        t0 = time.perf_counter()
        stated = text_numbers((draft.source_text or "") + " ".join(r.value for r in draft.indicators))
        extra: list[Finding] = []
        for item in out.items:
            row = item.row - 1 if 1 <= item.row <= len(draft.indicators) else None
            fields = {}
            if item.new_name.strip():
                fields["name"] = item.new_name.strip()
            if item.new_value.strip() and not (value_numbers(item.new_value) - stated - {0.0}):
                fields["value"] = item.new_value.strip()
            ops = [{"op": "update_row", "row_id": draft.indicators[row].id, "fields": fields}] if (
                row is not None and fields) else None
            fix = item.suggestion + ("（改为：" + " ".join(filter(None, [item.new_name, item.new_value])) + "）"
                                     if item.new_name or item.new_value else "")
            extra.append(Finding(code="AI", severity=Severity.WARNING, message=item.problem, fix=fix, row=row,
                                 row_id=draft.indicators[row].id if row is not None else None, field="name", ops=ops))
        trace.overhead_ms += (time.perf_counter() - t0) * 1000
        return ReviewOutcome(draft, report, list(report.findings) + extra, out.summary, trace.as_dict())


def _origin_for(value: str | None, stated: set[float]) -> str:
    if value and value_numbers(value) - stated - {0.0}:
        return Origin.SUGGESTED.value
    return Origin.USER.value


def _repairable(draft: Draft, report: Report) -> list[Finding]:
    """Error findings worth sending back: not the placeholders the user is meant to fill."""
    out = []
    for f in report.errors:
        if f.code == "R24" and f.row is not None and draft.indicators[f.row].origin is Origin.SUGGESTED:
            continue
        out.append(f)
    return out


def tier_map(prof: Profile) -> str:
    return "\n".join(f"- {t1}：{'、'.join(spec.children)}" for t1, spec in prof.tiers.items())


def rules_text() -> str:
    _load_rules()
    keep = ("R02", "R03", "R06", "R07", "R10", "R11", "R12", "R13", "R14", "R16", "R17", "R18", "R19", "R20", "R22",
            "R25", "R29")
    return "\n".join(f"- {RULES[c].title}" for c in keep if c in RULES)


def examples_text(prose: str, prof: Profile, limit: int = 12) -> str:
    lib = load_library()
    sectors = lib.sectors_for(prose, top=1)
    hits = lib.search(prose[:1500], sector=sectors[0][0] if sectors else None, limit=limit * 2)
    out, seen_dims = [], {}
    for h in hits:
        e = h.entry
        if seen_dims.get(e.dimension, 0) >= 3:
            continue
        loc = e.placement(prof)
        if not loc:
            continue
        seen_dims[e.dimension] = seen_dims.get(e.dimension, 0) + 1
        form = e.conventional or (f"{e.op}N{e.unit}" if e.op in ("≥", "≤", "=") else e.op)
        out.append(f"- {e.name}｜{loc[1]}｜{form}")
        if len(out) >= limit:
            break
    return "\n".join(out) or "（无）"


def findings_text(draft: Draft, findings: list[Finding]) -> str:
    lines = []
    for f in findings:
        lines.append(f"- {f.message} 修改：{f.fix or ''}")
    return "\n".join(lines)


def table_text(draft: Draft) -> str:
    lines = ["行号｜目标｜一级指标｜二级指标｜指标名称｜指标值｜绩效标准｜来源"]
    for i, r in enumerate(draft.indicators, 1):
        lines.append(f"{i}｜{r.goal or ''}｜{r.tier1}｜{r.tier2}｜{r.name}｜{r.value}｜{r.standard or ''}｜{r.origin.value}")
    return "\n".join(lines)
