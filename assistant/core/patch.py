"""Edit operations on a draft: the one way anything (validator fixes, chat commands, the LLM,
the table editor) changes a draft. apply_ops is atomic: it works on a copy and either applies
every op or raises PatchError, leaving the caller's draft untouched.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, Field, TypeAdapter

from .entry import EntryError, default_standard, normalize
from .model import ORIGIN_LABELS, Draft, FundingLine, Goal, Indicator, Origin, Scope
from .values import parse

ROW_FIELDS = ("goal", "scope", "tier1", "tier2", "name", "value", "standard", "origin", "evidence", "note",
              "change_reason")
HEADER_FIELDS = ("title", "unit", "department", "year", "filler", "phone", "date", "money_unit", "project_name",
                 "attribute", "period")
DRAFT_FIELDS = ("kind", "profile", "duties", "long_term_goal", "notes")
HEADER_LABELS = {"title": "表名", "unit": "单位", "department": "主管部门", "year": "年度", "filler": "填报人",
                 "phone": "联系电话", "date": "填报日期", "money_unit": "金额单位", "project_name": "项目名称",
                 "attribute": "项目属性", "period": "实施期"}
FIELD_LABELS = {"tier1": "一级指标", "tier2": "二级指标", "name": "指标名称", "value": "指标值", "standard": "绩效标准",
                "goal": "所属目标", "origin": "来源", "note": "备注", "scope": "目标期", "evidence": "依据原文",
                "change_reason": "变动原因"}


class PatchError(ValueError):
    """An op that can't be applied; the message is Chinese and names the problem."""


class UpdateRow(BaseModel):
    op: Literal["update_row"] = "update_row"
    row_id: str
    fields: dict[str, Any]


class AddRow(BaseModel):
    op: Literal["add_row"] = "add_row"
    row: dict[str, Any]
    after_id: str | None = None  # None: after the last row of the same goal and 二级, else at the end


class DeleteRow(BaseModel):
    op: Literal["delete_row"] = "delete_row"
    row_id: str


class MoveRow(BaseModel):
    op: Literal["move_row"] = "move_row"
    row_id: str
    to_index: int  # 0-based position in the indicator list after the move


class SetHeader(BaseModel):
    op: Literal["set_header"] = "set_header"
    field: str
    value: Any


class SetDraftField(BaseModel):
    op: Literal["set_field"] = "set_field"
    field: str
    value: Any


class SetGoal(BaseModel):
    op: Literal["set_goal"] = "set_goal"
    index: int  # 1-based; len(goals)+1 appends a goal
    text: str | None  # None deletes the goal


class SetFunding(BaseModel):
    op: Literal["set_funding"] = "set_funding"
    section: Literal["income", "expense", "sources", "breakdown", "total", "unit"]
    name: str | None = None
    amount: float | None = None
    share: str | None = None
    role: Literal["item", "sub", "total", "memo"] = "item"
    delete: bool = False


class ReplaceFunding(BaseModel):
    op: Literal["replace_funding"] = "replace_funding"
    funding: dict[str, Any]  # a whole Funding, as edited in the form's funding table


Op = Annotated[Union[UpdateRow, AddRow, DeleteRow, MoveRow, SetHeader, SetDraftField, SetGoal, SetFunding,
                     ReplaceFunding], Field(discriminator="op")]
OpList = TypeAdapter(list[Op])


def _row_ref(draft: Draft, row_id: str) -> tuple[int, Indicator]:
    for i, r in enumerate(draft.indicators):
        if r.id == row_id:
            return i, r
    raise PatchError(f"找不到要修改的指标行（{row_id}），表格可能已经变化。")


def _label(draft: Draft, row: Indicator) -> str:
    i = draft.row_index(row.id)
    return f"第{(i or 0) + 1}行「{row.name or '（无名称）'}」"


def apply_ops(draft: Draft, ops: list[Any]) -> tuple[Draft, list[str]]:
    """Apply ops to a copy of draft; return the new draft and one Chinese line per change."""
    new = draft.model_copy(deep=True)
    changes: list[str] = []
    for raw in ops:
        op = OpList.validate_python([raw])[0] if not isinstance(raw, BaseModel) else raw
        changes.append(_apply(new, op))
    return new, changes


def _apply(d: Draft, op: Any) -> str:
    if isinstance(op, UpdateRow):
        i, row = _row_ref(d, op.row_id)
        bad = [k for k in op.fields if k not in ROW_FIELDS]
        if bad:
            raise PatchError(f"指标行没有字段：{', '.join(bad)}")
        data = row.model_dump(exclude={"parsed"})
        fields = dict(op.fields)
        if fields.get("value"):
            probe = Indicator.model_validate({**data, **{k: v for k, v in fields.items() if k != "value"}})
            fields["value"] = _entry(probe, str(fields["value"]), i, d.header.year)
            if not (probe.standard or fields.get("standard")) and not parse(fields["value"]).kind.value in (
                    "placeholder", "empty"):
                fields["standard"] = default_standard(probe)
        parts = []
        for k, v in fields.items():
            if k == "origin":
                continue
            old = data.get(k)
            if (old or "") != (v or ""):
                parts.append(f"{FIELD_LABELS.get(k, k)}「{old or ''}」→「{v or ''}」")
            data[k] = v
        if "origin" in fields and fields["origin"]:
            new_origin = Origin(fields["origin"])
            if new_origin is Origin.USER and parse(data.get("value") or "").kind.value in ("placeholder", "empty"):
                new_origin = row.origin if row.origin is not Origin.USER else new_origin  # nothing to confirm yet
            if new_origin is not row.origin and not parts:
                parts.append(f"来源「{ORIGIN_LABELS[row.origin]}」→「{ORIGIN_LABELS[new_origin]}」")
            data["origin"] = new_origin
        try:
            d.indicators[i] = Indicator.model_validate(data)
        except ValueError as e:
            raise PatchError(f"第{i + 1}行的修改无效：{e}") from e
        return f"第{i + 1}行：" + ("；".join(parts) if parts else "无变化")
    if isinstance(op, AddRow):
        data = dict(op.row)
        data.pop("id", None)
        data.pop("parsed", None)
        data.setdefault("origin", Origin.USER.value)
        try:
            row = Indicator.model_validate(data)
        except ValueError as e:
            raise PatchError(f"新增指标无效：{e}") from e
        if not row.name:
            raise PatchError("新增指标需要指标名称。")
        if row.value:
            row.value = _entry(row.model_copy(update={"value": ""}), row.value, None, d.header.year)
            if not row.standard and row.parsed.kind.value not in ("placeholder", "empty"):
                row.standard = default_standard(row)
        pos = _insert_pos(d, row, op.after_id)
        d.indicators.insert(pos, row)
        return f"新增第{pos + 1}行：{row.tier1}/{row.tier2}「{row.name}」{row.value}"
    if isinstance(op, DeleteRow):
        i, row = _row_ref(d, op.row_id)
        del d.indicators[i]
        return f"删除原第{i + 1}行「{row.name}」"
    if isinstance(op, MoveRow):
        i, row = _row_ref(d, op.row_id)
        if not 0 <= op.to_index < len(d.indicators):
            raise PatchError(f"目标位置{op.to_index + 1}超出范围（共{len(d.indicators)}行）。")
        d.indicators.insert(op.to_index, d.indicators.pop(i))
        return f"「{row.name}」从第{i + 1}行移到第{op.to_index + 1}行"
    if isinstance(op, SetHeader):
        if op.field not in HEADER_FIELDS:
            raise PatchError(f"表头没有字段：{op.field}")
        data = d.header.model_dump()
        old = data.get(op.field)
        data[op.field] = op.value
        d.header = type(d.header).model_validate(data)
        return f"{HEADER_LABELS[op.field]}：「{old or ''}」→「{getattr(d.header, op.field) or ''}」"
    if isinstance(op, SetDraftField):
        if op.field not in DRAFT_FIELDS:
            raise PatchError(f"不能修改字段：{op.field}")
        data = d.model_dump(exclude={"indicators"})
        old = data.get(op.field)
        data[op.field] = op.value
        try:
            tmp = Draft.model_validate(data)
        except ValueError as e:
            raise PatchError(f"字段 {op.field} 的值无效：{e}") from e
        setattr(d, op.field, getattr(tmp, op.field))
        return f"{op.field}：「{old or ''}」→「{op.value or ''}」"
    if isinstance(op, SetGoal):
        n = len(d.goals)
        if not 1 <= op.index <= n + 1:
            raise PatchError(f"目标序号{op.index}无效（现有{n}个年度目标）。")
        if op.text is None:
            if op.index > n:
                raise PatchError(f"没有年度目标{op.index}。")
            del d.goals[op.index - 1]
            for r in d.indicators:
                if r.goal == op.index:
                    r.goal = None
                elif r.goal and r.goal > op.index:
                    r.goal -= 1
            return f"删除年度目标{op.index}"
        if op.index == n + 1:
            d.goals.append(Goal(text=op.text, scope=Scope.ANNUAL))
            return f"新增年度目标{op.index}：{op.text}"
        old = d.goals[op.index - 1].text
        d.goals[op.index - 1].text = op.text
        return f"年度目标{op.index}：「{old}」→「{op.text}」"
    if isinstance(op, SetFunding):
        f = d.funding
        if op.section == "total":
            old = f.total
            f.total = op.amount
            return f"资金总额：{old} → {op.amount}"
        if op.section == "unit":
            if not op.name:
                raise PatchError("请给出金额单位（元或万元）。")
            f.unit = op.name
            return f"金额单位改为{op.name}"
        if not op.name:
            raise PatchError("请给出资金项目名称。")
        lines: list[FundingLine] = getattr(f, op.section)
        for j, line in enumerate(lines):
            if line.name == op.name:
                if op.delete:
                    del lines[j]
                    return f"删除资金行「{op.name}」"
                old = line.amount
                line.amount = op.amount
                if op.share is not None:
                    line.share = op.share
                return f"资金「{op.name}」：{old} → {op.amount}"
        if op.delete:
            raise PatchError(f"没有资金行「{op.name}」。")
        lines.append(FundingLine(name=op.name, amount=op.amount, share=op.share, role=op.role))
        return f"新增资金行「{op.name}」：{op.amount}"
    if isinstance(op, ReplaceFunding):
        from .model import Funding

        try:
            new = Funding.model_validate(op.funding)
        except ValueError as e:
            raise PatchError(f"资金情况无效：{e}") from e
        before = d.funding
        d.funding = new
        n = sum(len(getattr(new, k)) for k in ("income", "expense", "sources", "breakdown"))
        return f"资金情况：{n}行" + (f"，资金总额 {new.total}" if new.total is not None and new.total != before.total else "")
    raise PatchError(f"未知的修改操作：{getattr(op, 'op', op)}")


def _entry(row: Indicator, value: str, index: int | None, year: int | None = None) -> str:
    try:
        return normalize(row, value, year)
    except EntryError as e:
        where = f"第{index + 1}行" if index is not None else "新增指标"
        raise PatchError(f"{where}：{e}") from e


def _insert_pos(d: Draft, row: Indicator, after_id: str | None) -> int:
    if after_id:
        i, _ = _row_ref(d, after_id)
        return i + 1
    last = None
    for i, r in enumerate(d.indicators):
        if r.goal == row.goal and r.tier1 == row.tier1 and r.tier2 == row.tier2:
            last = i
    if last is not None:
        return last + 1
    last_t1 = None
    for i, r in enumerate(d.indicators):
        if r.goal == row.goal and r.tier1 == row.tier1:
            last_t1 = i
    if last_t1 is not None:
        return last_t1 + 1
    last_goal = None
    for i, r in enumerate(d.indicators):
        if r.goal == row.goal:
            last_goal = i
    return (last_goal + 1) if last_goal is not None else len(d.indicators)
