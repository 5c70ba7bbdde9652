"""Chat commands that work with no model: delete/set/add/move rows, confirm suggestions, undo.

Each command becomes patch ops (core/patch.py), so the app, the CLI and the LLM path change drafts
the same way. Row numbers are 1-based as shown in the table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...core.library import Library
from ...core.model import Draft, Origin
from ...core.patch import PatchError
from ...core.profiles import Profile, concept_name, resolve, tier2_concept_of
from ...core.values import normalize_text

HELP = """离线可用的指令（未配置大模型时）：
- 删除第3行（可写多行：删除第3、5行）
- 第3行指标值改为≥95%　／　第3行名称改为受训学员满意度　／　第3行绩效标准改为历史标准
- 满意度改成≥95%（按名称找到指标并修改指标值）
- 补一个成本指标　／　增加一个满意度指标（从指标库选取，数值待您填写）
- 在数量指标下添加：培训人次 ≥500人次
- 第5行移到第2行　／　第5行移到质量指标
- 确认第3行　／　确认全部建议（把“建议，待确认”的行标为已确认）
- 撤销（回到上一步）
- 帮助
需要用自然语言修改（如“把效益指标写得更具体”），请配置大模型：设置环境变量 ASSISTANT_LLM_BASE_URL、ASSISTANT_LLM_API_KEY、ASSISTANT_LLM_MODEL 后重新启动。"""

_NUM = r"(\d+)"
_ROWS = r"第\s*(?P<rows>\d+(?:\s*[、,，和及]\s*第?\s*\d+)*)\s*行"
_FIELD_WORDS = {"名称": "name", "指标名称": "name", "三级指标": "name", "指标值": "value", "值": "value", "目标值": "value",
                "数值": "value", "绩效标准": "standard", "标准": "standard", "取值依据": "standard", "备注": "note",
                "一级指标": "tier1", "二级指标": "tier2"}
_SET = "(?:改为|改成|修改为|调整为|设为|设置为|换成|变为|写成|=|：|:)"


@dataclass
class Parsed:
    ops: list[dict]
    reply_hint: str = ""
    undo: bool = False
    help: bool = False


class CommandError(ValueError):
    """Understood, but can't be done (row out of range …); the message is Chinese."""


def _row_numbers(text: str, draft: Draft) -> list[int]:
    nums = [int(x) for x in re.findall(r"\d+", text)]
    n = len(draft.indicators)
    bad = [x for x in nums if not 1 <= x <= n]
    if bad:
        raise CommandError(f"没有第{bad[0]}行（表中共{n}行）。")
    return nums


def parse_command(text: str, draft: Draft, profile: Profile, library: Library) -> Parsed | None:
    t = normalize_text(text).strip(" 。!！")
    t = re.sub(r"^(请|帮我|麻烦|把|将)", "", t)
    if not t:
        return None
    if re.fullmatch(r"(帮助|help|\?|？|怎么用|指令|命令)", t, re.I):
        return Parsed([], help=True)
    if re.fullmatch(r"(撤销|撤回|undo|回退|上一步|恢复上一步)", t, re.I):
        return Parsed([], undo=True)
    rows = draft.indicators

    m = re.fullmatch(rf"(?:删除|删掉|去掉|删去){_ROWS}", t) or re.fullmatch(rf"{_ROWS}(?:删除|删掉|去掉)", t)
    if m:
        nums = _row_numbers(m.group("rows"), draft)
        return Parsed([{"op": "delete_row", "row_id": rows[i - 1].id} for i in sorted(set(nums), reverse=True)])

    m = re.fullmatch(rf"{_ROWS}的?(?P<field>{'|'.join(_FIELD_WORDS)})\s*{_SET}\s*(?P<val>.+)", t)
    if m:
        nums = _row_numbers(m.group("rows"), draft)
        fld = _FIELD_WORDS[m.group("field")]
        return Parsed([{"op": "update_row", "row_id": rows[i - 1].id,
                        "fields": {fld: m.group("val").strip(), "origin": Origin.USER.value}} for i in nums])

    m = re.fullmatch(rf"(?:确认){_ROWS}", t)
    if m:
        nums = _row_numbers(m.group("rows"), draft)
        return Parsed([{"op": "update_row", "row_id": rows[i - 1].id, "fields": {"origin": Origin.USER.value}}
                       for i in nums])
    if re.fullmatch(r"确认(全部|所有)(建议)?(行|指标)?", t):
        ops = [{"op": "update_row", "row_id": r.id, "fields": {"origin": Origin.USER.value}}
               for r in rows if r.origin is Origin.SUGGESTED]
        if not ops:
            raise CommandError("没有待确认的建议行。")
        return Parsed(ops)

    m = re.fullmatch(rf"{_ROWS}(?:移到|移至|挪到|放到|调到)(?:第\s*(?P<to>\d+)\s*行|(?P<tier>[\u4e00-\u9fff]{{2,16}}))(?:下|之下|下面)?", t)
    if m:
        nums = _row_numbers(m.group("rows"), draft)
        if len(nums) != 1:
            raise CommandError("一次移动一行。")
        rid = rows[nums[0] - 1].id
        if m.group("to"):
            to = _row_numbers(m.group("to"), draft)[0]
            return Parsed([{"op": "move_row", "row_id": rid, "to_index": to - 1}])
        loc = _tier_location(m.group("tier"), profile)
        if not loc:
            raise CommandError(f"“{m.group('tier')}”不是本表样的二级指标。可用：{_tier_list(profile)}")
        return Parsed([{"op": "update_row", "row_id": rid, "fields": {"tier1": loc[0], "tier2": loc[1]}}])

    m = re.fullmatch(r"在(?P<tier>[\u4e00-\u9fff]{2,16}?)(?:下|之下|下面|中)?(?:添加|增加|新增|补充|加)(?:一个|一条|一行)?(?:指标)?[:：\s]*"
                     r"(?P<name>[^\s≥≤=<>]+?)\s*(?P<val>[≥≤=<>].*|\d.*)?", t)
    if m:
        loc = _tier_location(m.group("tier"), profile)
        if not loc:
            raise CommandError(f"“{m.group('tier')}”不是本表样的二级指标。可用：{_tier_list(profile)}")
        row = {"tier1": loc[0], "tier2": loc[1], "name": m.group("name"), "value": (m.group("val") or "").strip(),
               "origin": Origin.USER.value, "goal": _default_goal(draft)}
        return Parsed([{"op": "add_row", "row": row}])

    m = re.fullmatch(r"(?:补|补充|增加|添加|加|新增)(?:上|个|一个|一条|一行)?(?P<tier>[\u4e00-\u9fff]{2,16}?)(?:指标)?", t)
    if m:
        loc = _tier_location(m.group("tier"), profile)
        if not loc:
            raise CommandError(f"“{m.group('tier')}”不是本表样的二级指标。可用：{_tier_list(profile)}")
        concept = resolve(profile, *loc).tier2_concept or ""
        return Parsed([_library_row(draft, profile, library, concept, loc)],
                      reply_hint="数值请按本单位情况填写。")

    m = re.fullmatch(rf"(?P<what>[^第\d]{{2,30}}?)(?:的)?(?:指标值|目标值|值)?\s*{_SET}\s*(?P<val>[≥≤=<>]?\s*\d.*)", t)
    if m:
        targets = _rows_named(m.group("what"), draft, profile)
        if not targets:
            raise CommandError(f"表中没有名称含“{m.group('what')}”的指标。可以写“第N行指标值改为…”。")
        if len(targets) > 3:
            raise CommandError(f"名称含“{m.group('what')}”的指标有{len(targets)}个，请写明第几行。")
        return Parsed([{"op": "update_row", "row_id": r.id, "fields": {"value": m.group("val").strip(),
                                                                        "origin": Origin.USER.value}}
                       for r in targets])
    return None


def _tier_location(word: str, profile: Profile) -> tuple[str, str] | None:
    w = word.strip()
    for t1, spec in profile.tiers.items():
        for t2 in spec.children:
            if w in (t2, t2.removesuffix("指标")):
                return t1, t2
    concept = tier2_concept_of(w) or tier2_concept_of(w + "指标")
    if concept:
        return profile.tier2_location(concept) or (profile.tier2_location("cost") if concept.startswith("cost") else None)
    for t1, spec in profile.tiers.items():
        if w in (t1, t1.removesuffix("指标")):
            first = next(iter(spec.children))
            return t1, first
    return None


def _tier_list(profile: Profile) -> str:
    return "、".join(t2 for spec in profile.tiers.values() for t2 in spec.children)


def _default_goal(draft: Draft) -> int | None:
    return 1 if draft.kind.value == "department" and draft.goals else None


def _rows_named(what: str, draft: Draft, profile: Profile):
    w = what.strip()
    hits = [r for r in draft.indicators if w and w in r.name]
    if hits:
        return hits
    concept = tier2_concept_of(w) or tier2_concept_of(w + "指标")
    if concept:
        return [r for r in draft.indicators if resolve(profile, r.tier1, r.tier2).tier2_concept == concept]
    return []


def _library_row(draft: Draft, profile: Profile, library: Library, concept: str, loc: tuple[str, str]) -> dict:
    query = " ".join(filter(None, [draft.header.project_name, draft.header.unit, " ".join(g.text for g in draft.goals),
                                   " ".join(r.name for r in draft.indicators)]))
    sectors = library.sectors_for(query, top=1)
    hits = library.search(query or concept_name(concept), sector=sectors[0][0] if sectors else None,
                          dimension=concept if concept in {e.dimension for e in library.entries} else None, limit=8)
    names = {r.name for r in draft.indicators}
    entry = next((h.entry for h in hits if h.entry.name not in names), None)
    if entry is None:
        generic = [e for e in library.entries if e.dimension == concept and e.name not in names]
        entry = generic[0] if generic else None
    if entry is None:
        return {"op": "add_row", "row": {"tier1": loc[0], "tier2": loc[1], "name": f"{concept_name(concept)}指标（请命名）",
                                        "value": "（待填）", "origin": Origin.SUGGESTED.value,
                                        "goal": _default_goal(draft)}}
    return {"op": "add_row", "row": {"tier1": loc[0], "tier2": loc[1], "name": entry.name,
                                    "value": entry.conventional or entry.value_form(),
                                    "standard": "预算支出标准" if concept.startswith("cost") else entry.standard,
                                    "origin": Origin.SUGGESTED.value, "goal": _default_goal(draft),
                                    "note": entry.cost_basis and f"计算方法：{entry.cost_basis}" or entry.note}}


__all__ = ["HELP", "CommandError", "Parsed", "PatchError", "parse_command"]
