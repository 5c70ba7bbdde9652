"""Revisions that work with no model, in the words people use.

Grammar (after politeness words 请/帮我/麻烦/把/将 and trailing 吧/一下 are dropped):
- a row:     第3行 / 第三行 / 3号 · a name fragment (投诉, 投诉那行, 投诉那一行, 投诉的指标) · a 二级 (时效指标, 满意度)
- set:       ROW [的指标值|的名称|的绩效标准] 改成|改为|调整为|设为|写成|换成|= VALUE
             VALUE may carry operator words: 不超过15件 → ≤15件, 不低于95% → ≥95%, 95%以上, 达到100% …
             a bare number keeps the row's operator and unit (满意度改成96 on “≥90%” → ≥96%)
- delete:    删除|删掉|去掉|删去|不要 ROW (这行|那行|这个指标)
- add:       (再)加|增加|添加|补充|补|新增 (一个|一条) X (的)?指标 [VALUE]   — X a 二级 → a library row;
             X a name (机扫率) → that row, 二级 from its words; 在 TIER 下添加：NAME VALUE
- move:      ROW 移到|挪到|放到 第N行 | TIER(下)
- confirm:   确认 ROW · 确认全部建议 (rows still holding （待填） are never confirmed)
- header:    项目名称|主管部门|实施单位|单位|年度|实施期|项目属性 改为|改成|是|为 TEXT
- 撤销 · 帮助
Several matching rows: a total amount skips per-unit rows; otherwise the reply asks which row.
Each command becomes patch ops (core/patch.py); a request it can't do gets one specific sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...core.library import Library
from ...core.model import Draft, Indicator, Origin
from ...core.patch import PatchError
from ...core.profiles import Profile, concept_name, resolve, tier2_concept_of
from ...core.values import ValueKind, cn_to_int, normalize_text, parse

HELP = """离线可用的修改说法（未配置大模型时）：
- 改数值：投诉改成不超过15件 · 把满意度那行改成不低于95% · 第三行改为≥95%
- 改名称或标准：第3行名称改为受训学员满意度 · 第3行绩效标准改为历史标准 · 第3行变动原因写成资金减少
- 增加：再加一个机扫率的指标 · 补一个成本指标 · 在数量指标下添加：培训人次 ≥500人次
- 删除：删掉带动就业人数 · 删除第三行
- 移动：第5行移到质量指标 · 第5行移到第2行
- 表头：项目名称改为…… · 主管部门改为…… · 实施期改为2025年1月-2025年12月
- 确认：确认第3行 · 确认全部建议
- 撤销 · 帮助
也可以直接编辑右侧表格。"""

EXAMPLE = "如“投诉改成不超过15件”“删除第三行”“再加一个机扫率的指标”"

_POLITE = re.compile(r"^(?:(?:请你?|帮我|帮忙|麻烦你?|能不能|可以|你|给我)+)?(?:把|将)?")
_TAIL = re.compile(r"(?:吧|一下|啦|了|呀|哈|谢谢|，?谢谢)+$")
_CN_NUM = "零〇一二两三四五六七八九十百"
_ROW_NO = rf"第\s*(?P<no>[\d{_CN_NUM}]+)\s*(?:行|条|个指标|项)"
_SET = (r"(?:改成|改为|修改为|调整为|调整到|调到|设为|设置为|换成|变为|变成|写成|写为|定为|弄成|改名为|更名为|重命名为|"
        r"提前到|推迟到|延后到|提高到|提升到|增加到|降到|降低到|减少到|调高到|调低到|填成|填为|填上|填写为|填写|填|=|＝)")
_VALUE_START = (r"(?:[≥≤=<>＞＜]|不低于|不少于|不小于|不超过|不高于|不多于|至少|最少|最多|至多|达到|控制在|保持在|"
                r"百分之|[\d一二三四五六七八九十两])")
_FIELDS = {"指标值": "value", "目标值": "value", "数值": "value", "值": "value", "名称": "name", "指标名称": "name",
           "三级指标": "name", "名字": "name", "绩效标准": "standard", "标准": "standard", "取值依据": "standard",
           "备注": "note", "变动原因": "change_reason", "调整原因": "change_reason", "变化原因": "change_reason"}
_HEADER = {"项目名称": "project_name", "主管部门": "department", "实施单位": "unit", "单位名称": "unit", "单位": "unit",
           "年度": "year", "预算年度": "year", "实施期": "period", "项目期": "period", "项目属性": "attribute"}
_ROW_WORDS = r"(?:这一?行|那一?行|这一?条|那一?条|这个指标|那个指标|的指标|指标|这项|那项|都|全部)"
_TIER2_WORDS = r"(?:数量|质量|时效|成本|经济效益|社会效益|生态效益|可持续影响|可持续发展|服务对象满意度|满意度)(?:指标)?"


@dataclass
class Parsed:
    ops: list[dict]
    reply_hint: str = ""
    undo: bool = False
    help: bool = False


class CommandError(ValueError):
    """Understood, but can't be done as asked (no such row, several rows match …); the message is Chinese."""


def _clean(text: str) -> str:
    t = normalize_text(text).strip(" 。.!！~～")
    t = re.sub(r"[“”\"‘’']", "", t)
    t = _POLITE.sub("", t).strip()
    t = _TAIL.sub("", t).strip(" 。,，")
    return t


def _row_no(token: str, draft: Draft) -> int:
    n = int(token) if token.isdigit() else cn_to_int(token)
    total = len(draft.indicators)
    if n is None or not 1 <= n <= total:
        raise CommandError(f"没有第{token}行（表中共{total}行）。")
    return n - 1


def _rows_for(ref: str, draft: Draft, profile: Profile) -> list[int]:
    """Rows a reference points at: 第N行, a name fragment, or a 二级 concept."""
    ref = re.sub(r"^(?:那个|这个|那条|这条|那一个|这一个|那|这)", "", ref.strip())
    ref = re.sub(_ROW_WORDS + "$", "", ref.strip()).strip(" 的")
    ref = re.sub(_ROW_WORDS + "$", "", ref.strip()).strip(" 的")
    m = re.fullmatch(_ROW_NO, ref)
    if m:
        return [_row_no(m.group("no"), draft)]
    rows = draft.indicators
    if re.fullmatch(r"最后一?(?:行|条|个)", ref) and rows:
        return [len(rows) - 1]
    m = re.fullmatch(r"倒数第\s*([\d一二三四五六七八九十两]+)\s*(?:行|条|个)", ref)
    if m:
        n = int(m.group(1)) if m.group(1).isdigit() else cn_to_int(m.group(1))
        if n and 1 <= n <= len(rows):
            return [len(rows) - n]
        raise CommandError(f"没有倒数第{m.group(1)}行（表中共{len(rows)}行）。")
    if re.fullmatch(r"(?:所有|全部)?(?:的)?(?:建议|待确认|待填)(?:的)?(?:行|指标)?", ref):
        return [i for i, r in enumerate(rows) if r.origin is Origin.SUGGESTED]
    m = re.match(r"(?P<tier>" + _TIER2_WORDS + r")(?:里|中|下|下面)?的?(?:那个)?(?P<rest>.*)$", ref)
    if m and m.group("rest"):
        inner = [i for i in _rows_for(m.group("tier"), draft, profile)
                 if not m.group("rest") or m.group("rest") in rows[i].name]
        if inner:
            return inner
    if not ref:
        return []
    exact = [i for i, r in enumerate(rows) if r.name == ref]
    if exact:
        return exact
    hits = [i for i, r in enumerate(rows) if ref in r.name]
    if hits:
        return hits
    concept = tier2_concept_of(ref) or tier2_concept_of(ref + "指标")
    if concept:
        return [i for i, r in enumerate(rows) if resolve(profile, r.tier1, r.tier2).tier2_concept == concept]
    # a short word of the name, written differently (满意 for 满意度, 合格律 for 合格率)
    if len(ref) >= 2:
        hits = [i for i, r in enumerate(rows) if all(ch in r.name for ch in ref)]
        if hits:
            return hits
    if len(ref) >= 3:
        return [i for i, r in enumerate(rows) if sum(ch in r.name for ch in ref) >= len(ref) - 1
                and ref[:1] in r.name]
    return []


def _label(draft: Draft, i: int) -> str:
    name = draft.indicators[i].name
    return f"第{i + 1}行「{name if len(name) <= 14 else name[:13] + '…'}」"


def _one(ref: str, draft: Draft, profile: Profile, value: str | None = None, verb: str = "修改") -> int:
    hits = _rows_for(ref, draft, profile)
    if not hits:
        raise CommandError(f"表中没有找到“{ref}”这一行。可以写行号，如“第3行{verb}…”。")
    if len(hits) > 1 and value is not None:
        pv = parse(value)
        if pv.kind is ValueKind.QUANTITY and pv.unit in ("元", "万元", "亿元"):
            totals = [i for i in hits if not _per_unit_row(draft.indicators[i])]
            if len(totals) == 1:
                return totals[0]
    if len(hits) > 1:
        names = "、".join(_label(draft, i) for i in hits[:6])
        raise CommandError(f"有{len(hits)}行和“{ref}”对得上：{names}。请写明第几行，如“第{hits[0] + 1}行{verb}…”。")
    return hits[0]


def _per_unit_row(row: Indicator) -> bool:
    pv = row.parsed
    return (pv.unit is not None and "/" in pv.unit) or any(w in row.name for w in ("人均", "单价", "每", "单位成本", "户均"))


def parse_command(text: str, draft: Draft, profile: Profile, library: Library) -> Parsed | None:
    """The patch ops a revision asks for; None when the grammar doesn't read it."""
    t = _clean(text)
    if not t:
        return None
    try:
        whole = _parse(t, draft, profile, library)
    except CommandError:
        whole = None
        if not re.search(r"[，,；;]", t):
            raise
    if whole is not None:
        return whole
    # several clauses: 第七行填80%，第八行填70% · 删掉X，和我们项目没关系
    clauses = [c for c in re.split(r"[，,；;]\s*", t) if c]
    if len(clauses) < 2:
        return None
    parsed = []
    for c in clauses:
        p = _parse(c, draft, profile, library)
        if p is None:
            if parsed and not re.search(r"\d|改|删|加|补|移", c):
                continue  # a reason after the command (和我们项目没关系)
            return None
        parsed.append(p)
    if not parsed or any(p.help or p.undo for p in parsed):
        return None
    return Parsed([op for p in parsed for op in p.ops], reply_hint=" ".join(p.reply_hint for p in parsed if p.reply_hint))


def _parse(t: str, draft: Draft, profile: Profile, library: Library) -> Parsed | None:
    if re.fullmatch(r"(帮助|help|\?|？|怎么用|指令|命令|离线指令说明)", t, re.I):
        return Parsed([], help=True)
    if re.fullmatch(r"(撤销|撤回|undo|回退|上一步|恢复上一步|撤销上一步|撤销修改)", t, re.I):
        return Parsed([], undo=True)
    rows = draft.indicators

    # confirm
    if re.fullmatch(r"确认(?:全部|所有)(?:建议)?(?:行|指标)?", t):
        todo = [r for r in rows if r.origin is Origin.SUGGESTED]
        ok = [r for r in todo if not r.needs_input_value]
        if not todo:
            raise CommandError("没有待确认的建议行。")
        if not ok:
            raise CommandError(f"{len(todo)}行建议都还没有填写数值（显示“（待填）”），请先填写数值再确认。")
        skipped = len(todo) - len(ok)
        return Parsed([{"op": "update_row", "row_id": r.id, "fields": {"origin": Origin.USER.value}} for r in ok],
                      reply_hint=f"另有{skipped}行还是“（待填）”，填好数值后再确认。" if skipped else "")
    m = re.fullmatch(r"确认(?P<ref>.+)", t)
    if m:
        i = _one(m.group("ref"), draft, profile, verb="确认")
        if rows[i].needs_input_value:
            raise CommandError(f"{_label(draft, i)}还没有填写数值，请先填写再确认。")
        return Parsed([{"op": "update_row", "row_id": rows[i].id, "fields": {"origin": Origin.USER.value}}])

    # delete
    m = re.fullmatch(r"(?:删除|删掉|去掉|删去|去除|拿掉|不要)(?:掉)?(?P<ref>.+)", t) or \
        re.fullmatch(r"(?P<ref>.+?)(?:都|全部)?(?:删除掉?|删掉|删了|删去|去掉|不要了|不要)", t)
    if m:
        ref = m.group("ref").strip()
        nums = re.fullmatch(r"第\s*(?P<n>[\d零〇一二两三四五六七八九十]+(?:\s*[、,，和及]\s*第?\s*[\d零〇一二两三四五六七八九十]+)+)\s*行(?:都|全部)?",
                            ref)
        if nums:
            idx = sorted({_row_no(x, draft) for x in re.findall(r"[\d零〇一二两三四五六七八九十]+", nums.group("n"))},
                         reverse=True)
        elif re.fullmatch(r"(?:所有|全部)?(?:的)?(?:建议|待确认|待填)(?:的)?(?:行|指标)?", ref):
            idx = sorted(_rows_for(ref, draft, profile), reverse=True)
            if not idx:
                raise CommandError("没有待确认的建议行。")
        else:
            refs = re.split(r"[、,，和及]\s*(?=第)", ref)
            idx = sorted({_one(r, draft, profile, verb="删除") for r in refs}, reverse=True)
        return Parsed([{"op": "delete_row", "row_id": rows[i].id} for i in idx])

    # move
    m = re.fullmatch(rf"(?P<ref>.+?)(?:移到|移至|挪到|放到|调到|移动到|归到|归入)(?:{_ROW_NO}|(?P<tier>[\u4e00-\u9fff]{{2,16}}?))"
                     r"(?:下面|之下|下|里|中|去)?", t)
    if m:
        i = _one(m.group("ref"), draft, profile, verb="移到…")
        if m.group("no"):
            return Parsed([{"op": "move_row", "row_id": rows[i].id, "to_index": _row_no(m.group("no"), draft)}])
        loc = _tier_location(m.group("tier"), profile)
        if not loc:
            raise CommandError(f"“{m.group('tier')}”不是本表的二级指标。可用：{_tier_list(profile)}。")
        return Parsed([{"op": "update_row", "row_id": rows[i].id, "fields": {"tier1": loc[0], "tier2": loc[1]}}])

    if re.search(r"(?:新增|增加|添加|加)(?:一个|一条)?(?:新的)?(?:一级|二级)指标", t):
        raise CommandError(f"一级、二级指标由表样规定（本表二级指标：{_tier_list(profile)}），不能新增；"
                           f"可以在其中一个二级指标下添加三级指标。")
    # add under a tier: 在质量指标下添加：参保数据准确率 =100% · 满意度指标再加一个学校满意度，不低于90%
    m = re.fullmatch(r"(?:在)?(?P<tier>" + _TIER2_WORDS + r")(?:下面|之下|下|中|里)?(?:再)?(?:添加|增加|新增|补充|加)(?:一个|一条|一行|一项)?"
                     r"(?:指标)?[:：\s]*(?P<name>[^\s≥≤=<>\d，,]+?)[，,\s]*(?P<val>" + _VALUE_START + r".*)?", t)
    if m:
        loc = _tier_location(m.group("tier"), profile)
        if not loc:
            raise CommandError(f"“{m.group('tier')}”不是本表的二级指标。可用：{_tier_list(profile)}。")
        return Parsed([_add(draft, loc, m.group("name"), (m.group("val") or "").strip())])

    # add: 补一个成本指标 / 再加一个机扫率的指标 / 增加机扫率≥90%
    m = re.fullmatch(r"(?:再|还要|还得)?(?:补|补充|增加|添加|加|新增|加上|补上|多加)(?:上|个|一个|一条|一行|一项)?"
                     r"(?P<what>[^≥≤=<>\d，,]{2,20}?)(?:的)?(?:指标)?[，,：:\s]*(?P<val>" + _VALUE_START + r".*)?", t)
    if m:
        what = re.sub(r"的?指标$", "", m.group("what").strip(" 的")).strip(" 的")
        loc = _tier_location(what, profile)
        if loc and not m.group("val"):
            concept = resolve(profile, *loc).tier2_concept or ""
            return Parsed([_library_row(draft, profile, library, concept, loc)], reply_hint="数值请按本单位情况填写。")
        loc = _location_for_name(what, (m.group("val") or "").strip(), profile)
        if loc is None:
            raise CommandError(f"看懂了要增加“{what}”，但判断不出它属于哪个二级指标。可以写“在质量指标下添加：{what} ≥N%”。")
        return Parsed([_add(draft, loc, what, (m.group("val") or "").strip())],
                      reply_hint="" if m.group("val") else "数值请按本单位情况填写。")

    # header fields
    m = re.fullmatch(rf"(?P<field>{'|'.join(sorted(_HEADER, key=len, reverse=True))})\s*(?:不对，?应该是|应该是|应为|"
                     rf"{_SET}|是|为|写|[:：])\s*(?P<val>.+)", t)
    if m and not _rows_for(m.group("field"), draft, profile):
        return Parsed([{"op": "set_header", "field": _HEADER[m.group("field")], "value": m.group("val").strip()}])

    # set a field of a row
    fields = "|".join(sorted(_FIELDS, key=len, reverse=True))
    m = re.fullmatch(rf"(?P<ref>.+?)(?:的)?(?P<field>{fields})?\s*{_SET}\s*(?P<val>.+)", t)
    if m:
        field = "name" if re.search(r"改名为|更名为|重命名为", t) else _FIELDS.get(m.group("field") or "", "value")
        return _set(m.group("ref"), field, m.group("val").strip(), draft, profile)
    # a text field with a colon: 第2行变动原因：合同期调整 · 服务周期的备注：按合同执行
    m = re.fullmatch(r"(?P<ref>.+?)(?:的)?(?P<field>变动原因|调整原因|变化原因|备注|绩效标准|取值依据)\s*(?:是|为|[:：])\s*(?P<val>.+)", t)
    if m:
        return _set(m.group("ref"), _FIELDS[m.group("field")], m.group("val").strip(), draft, profile)
    m = re.fullmatch(r"(?P<ref>.+?)(?:的指标值)?写(?P<val>" + _VALUE_START + r".*)", t)
    if m and _rows_for(m.group("ref"), draft, profile):
        return _set(m.group("ref"), "value", m.group("val").strip(), draft, profile)
    # no verb: 合格率至少98% · 满意度>=95% · 项目总成本控制在115万元以内 · 培训任务11月15日前完成
    m = re.fullmatch(r"(?P<ref>[^\d≥≤=<>＞＜]{2,24}?)(?:的)?(?:指标值|值)?\s*(?P<val>" + _VALUE_START + r".*)", t)
    if m and _rows_for(m.group("ref"), draft, profile):
        return _set(m.group("ref"), "value", m.group("val").strip(), draft, profile)
    return None


def _set(ref: str, field: str, val: str, draft: Draft, profile: Profile) -> Parsed:
    if field == "value":
        pv = parse(val, timeliness=True)
        if pv.kind in (ValueKind.TEXT, ValueKind.EMPTY) and not re.search(r"（待填）|是|否|达到|完成|提高|提升|优|良", val):
            raise CommandError(f"看懂了要改“{ref}”，但“{val}”不是指标值。指标值写数值，{EXAMPLE}。")
    val = val.lstrip(":：，, ")
    i = _one(ref, draft, profile, value=val if field == "value" else None)
    fields = {field: val}
    if field in ("name", "value", "standard"):  # a note or a 变动原因 doesn't confirm the row's value
        fields["origin"] = Origin.USER.value
    return Parsed([{"op": "update_row", "row_id": draft.indicators[i].id, "fields": fields}])


def unknown_reply(text: str) -> str:
    """One sentence for a request the offline rules can't do: what was understood, what wasn't, an example."""
    t = _clean(text)
    if re.search(r"具体|更好|优化|润色|完善|规范|专业|全部|所有|整体|重新|弄得|写得|高级|漂亮|一点", t):
        return (f"这是整体改写的要求，离线规则只能逐项修改（{EXAMPLE}）；配置大模型后可以按这句话整体改写。")
    if re.search(r"改|换|调|设", t):
        return f"看懂了要修改，但没有找到要改哪一行、改成什么。可以写“行或名称 + 改成 + 新值”，{EXAMPLE}。"
    if re.search(r"删|去掉", t):
        return "看懂了要删除，但没有找到是哪一行。可以写“删除第三行”或“删掉带动就业人数”。"
    if re.search(r"加|补|增", t):
        return "看懂了要增加指标，但没有看出加什么。可以写“再加一个机扫率的指标”或“在质量指标下添加：机扫率 ≥90%”。"
    return f"没有看懂这条修改，可以这样写：{EXAMPLE[1:]}。"


def _add(draft: Draft, loc: tuple[str, str], name: str, value: str) -> dict:
    row = {"tier1": loc[0], "tier2": loc[1], "name": name.strip(), "value": value, "goal": _default_goal(draft),
           "origin": Origin.USER.value if value else Origin.SUGGESTED.value}
    if not value:
        row["value"] = "（待填）"
    return {"op": "add_row", "row": row}


def _location_for_name(name: str, value: str, profile: Profile) -> tuple[str, str] | None:
    """The 二级 a new row's name (and value) belongs to, by the same rule table the drafter uses."""
    from .prose.concepts import concept as concept_of

    pv = parse(value) if value else None
    quantity = pv is not None and pv.kind is ValueKind.QUANTITY
    unit = (pv.unit if quantity and pv.unit else "") or ("%" if re.search(r"(率|度|比例|占比)$", name) else "")
    if pv is not None and pv.kind in (ValueKind.DEADLINE, ValueKind.PERIOD) or re.search(r"(时间|时限|期限)$", name):
        kind = "deadline"
    elif (quantity and pv.unit in ("元", "万元", "亿元")) or re.search(r"(成本|费|金额|资金|经费|单价)$", name):
        kind = "money"
    else:
        kind = "quantity"
    c = concept_of(name, unit, kind=kind)
    return profile.tier2_location(c) or (profile.tier2_location("cost") if c.startswith("cost") else None)


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


__all__ = ["EXAMPLE", "HELP", "CommandError", "Parsed", "PatchError", "parse_command", "unknown_reply"]
