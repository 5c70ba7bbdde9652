"""What the app does, without Gradio: each user action takes the session's draft id and returns a View.

The canonical draft lives in the store (every revision saved before it is shown); the UI only renders it.
"""

from __future__ import annotations

from functools import lru_cache

import html
import re
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..config import Settings
from ..core.findings import Finding, Report, Severity
from ..core.io import FormatError, load_draft_bytes, read_bytes, render
from ..core.io.docx import docx_text
from ..core.io import decode_text
from ..core.model import Funding, FundingLine, ORIGIN_LABELS, Draft, Origin
from ..core.patch import PatchError, apply_ops
from ..core.profiles import all_profiles, get_profile, guess_profile
from ..core.validator import apply_fix, fix_all, validate
from ..engines import Engine, EngineError, get_engine
from ..engines.offline.commands import parse_command
from ..core.change import change_label, changed
from ..core.library import load_library
from ..core.values import format_amount
from .store import DraftStore

COLUMNS = ["目标", "一级指标", "二级指标", "指标名称", "指标值", "绩效标准", "来源"]
FIELD_OF_COLUMN = {0: "goal", 1: "tier1", 2: "tier2", 3: "name", 4: "value", 5: "standard"}
# a form rolled forward from last year's shows the change beside the value, and 变动原因 to fill
ROLLED_COLUMNS = ["目标", "一级指标", "二级指标", "指标名称", "指标值", "上年→本年", "变动原因", "绩效标准", "来源"]
ROLLED_FIELDS = {0: "goal", 1: "tier1", 2: "tier2", 3: "name", 4: "value", 6: "change_reason", 7: "standard"}


@dataclass(frozen=True)
class TableLayout:
    columns: list[str]
    fields: dict[int, str]  # editable column → Indicator field
    widths: list[str]

    @property
    def static(self) -> list[int]:
        return [i for i in range(len(self.columns)) if i not in self.fields]


PLAIN = TableLayout(COLUMNS, FIELD_OF_COLUMN, ["6%", "11%", "13%", "27%", "15%", "12%", "16%"])
ROLLED = TableLayout(ROLLED_COLUMNS, ROLLED_FIELDS, ["5%", "8%", "10%", "19%", "11%", "14%", "11%", "8%", "14%"])


def table_layout(draft: Draft | None) -> TableLayout:
    return ROLLED if draft is not None and draft.rolled_forward else PLAIN


def cells_of(r, layout: TableLayout) -> list[str]:
    if layout is PLAIN:
        return [str(r.goal or ""), r.tier1, r.tier2, r.name, r.value, r.standard or "", source_label(r)]
    return [str(r.goal or ""), r.tier1, r.tier2, r.name, r.value, change_cell(r), r.change_reason or "",
            r.standard or "", source_label(r, with_change=False)]


def change_cell(r) -> str:
    """上年→本年: ≥800人次 → ≥1000人次 ↑ (本年新增 for a row last year's form didn't have)."""
    if r.previous is None:
        return "本年新增"
    label = change_label(r.previous, r.value)
    return f"{r.previous} → {r.value} {label}" if label != "=" else f"{r.previous}（未变）"
UPLOAD_TYPES = (".txt", ".md", ".docx", ".xlsx", ".xls", ".pdf", ".json", ".csv")
MAX_BATCH = 50  # files reviewed in one upload
MAX_UPLOAD = 10 * 1024 * 1024
EXPORT_KEEP_SECONDS = 24 * 3600
KIND_CHOICES = [("部门整体支出", "department"), ("项目支出", "project")]


@dataclass
class View:
    draft_id: str | None
    draft: Draft | None
    report: Report | None
    reply: str = ""
    can_undo: bool = False
    can_redo: bool = False
    error: str | None = None
    batch: list[list[str]] | None = None  # several forms reviewed at once: one summary row each
    batch_ids: list[str | None] | None = None  # the draft each summary row opens (None: not read)
    batch_file: str | None = None  # the summary workbook
    ask: str | None = None  # a message the assistant couldn't route: the UI offers 新建草稿 / 修改当前表

    @property
    def rows(self) -> list[list[str]]:
        return self.table()[0]

    @property
    def layout(self) -> TableLayout:
        return table_layout(self.draft)

    def table(self, only_changed: bool = False) -> tuple[list[list[str]], list[str]]:
        """The grid and the id of the row each line shows (a filtered grid shows some rows only)."""
        if not self.draft:
            return [], []
        layout = self.layout
        shown = [r for r in self.draft.indicators
                 if not (only_changed and layout is ROLLED) or changed(r.previous, r.value)]
        return [cells_of(r, layout) for r in shown], [r.id for r in shown]

    @property
    def suggested_rows(self) -> list[int]:
        return [i for i, r in enumerate(self.draft.indicators) if r.needs_input] if self.draft else []

    def findings_markdown(self) -> str:
        if not self.report or not self.draft:
            return "还没有草稿。在左侧粘贴单位职能、年度任务和绩效目标，或上传材料。"
        s = self.report.summary()
        shown = len(self.fix_choices())  # only fixes for findings the list shows
        fixable = f"，可一键修正 {shown} 项" if shown else ""
        lines = [f"**{self.report.profile_title}**：错误 {s['errors']} 项，提示 {s['warnings']} 项{fixable}。"]
        for f in self.report.findings:
            if f.severity is Severity.INFO:
                continue
            mark = "<b style='color:#b42318'>【错误】</b>" if f.severity is Severity.ERROR else "<b style='color:#b54708'>【提示】</b>"
            lines.append(f"- {mark}{esc(f.message)}"
                         + (f"<br>　建议：{esc(f.fix)}" if f.fix else ""))
        if len(lines) == 1:
            lines.append("- 没有发现问题。")
        return "\n".join(lines)

    def fix_choices(self) -> list[tuple[str, int]]:
        if not self.report:
            return []
        out = []
        for i, f in enumerate(self.report.findings):
            if f.applicable and f.severity is not Severity.INFO:  # never a fix for a finding the list hides
                where = f"第{f.row + 1}行 " if f.row is not None else ""
                out.append((f"{where}{f.fix or f.message}"[:80], i))
        return out

    def figure_choices(self) -> list[tuple[str, int]]:
        """Numbers of the source text that are not in the table and could be made a row."""
        if not self.draft:
            return []
        return [(f"{u.text} — {u.reason}"[:60], i) for i, u in enumerate(addable_figures(self.draft))]

    def funding_rows(self) -> list[list[str]]:
        """The funding table as edited in the app: 类别 | 项目 | 金额 | 占比 (占比 computed for 收入/支出)."""
        if not self.draft:
            return []
        f = self.draft.funding
        rows = [["资金总额", "", fmt(f.total), ""]] if f.total is not None or self.draft.kind.value == "project" else []
        for section, label in FUNDING_SECTIONS:
            for line in getattr(f, section):
                rows.append([label, ("其中：" if line.role == "sub" else "") + line.name, fmt(line.amount), line.share or ""])
        return rows


FUNDING_SECTIONS = (("income", "收入"), ("expense", "支出"), ("sources", "来源"), ("breakdown", "明细"))
FUNDING_HEADERS = ["类别", "项目", "金额（万元）", "占比"]


def funding_from_rows(draft: Draft, rows: list[list]) -> Funding:
    """A Funding from the edited table; raises ValueError with a Chinese message for a row that can't be read.
    占比 of 收入/支出 lines is computed from the amounts; previous years are kept by line name."""
    labels = {label: section for section, label in FUNDING_SECTIONS}
    old = draft.funding
    history = {(sec, ln.name): ln.history for sec, _ in FUNDING_SECTIONS for ln in getattr(old, sec)}
    new = Funding(unit=old.unit)
    for i, row in enumerate(rows, 1):
        cells = [str(c if c is not None else "").strip() for c in list(row) + ["", "", "", ""]][:4]
        cat, name, amount_text, share = cells
        if not any(cells):
            continue
        amount = None
        if amount_text:
            m = re.fullmatch(r"(-?\d+(?:\.\d+)?)\s*(?:万元|万)?", amount_text.replace(",", ""))
            if not m:
                raise ValueError(f"资金第{i}行：金额“{amount_text}”不是数字（单位{old.unit}）。")
            amount = float(m.group(1))
            if amount < 0:
                raise ValueError(f"资金第{i}行：金额不能为负数。")
        if cat == "资金总额":
            new.total = amount
            continue
        if cat not in labels:
            raise ValueError(f"资金第{i}行：类别“{cat}”应为资金总额、收入、支出、来源或明细。")
        if not name:
            raise ValueError(f"资金第{i}行：请填写项目名称。")
        role = "sub" if name.startswith("其中") else ("total" if name in ("合计", "总计") else "item")
        name = re.sub(r"^其中[：:]?", "", name)
        section = labels[cat]
        getattr(new, section).append(FundingLine(name=name, amount=amount, share=share or None, role=role,
                                                 history=history.get((section, name), {})))
    for section in ("income", "expense"):
        lines = getattr(new, section)
        items = [ln for ln in lines if ln.role == "item" and ln.amount is not None]
        total = sum(ln.amount for ln in items)
        if total > 0:
            for ln in lines:
                if ln.amount is not None and ln.role in ("item", "sub", "total"):
                    ln.share = f"{ln.amount / total * 100:.2f}%".replace(".00%", "%")
    return new


def addable_figures(draft: Draft) -> list:
    from ..engines.offline.drafter import unused_figures
    from ..engines.offline.prose.reader import ADDABLE

    return [u for u in unused_figures(draft) if u.category in ADDABLE]


def origin_label(o: Origin) -> str:
    return "⚠ " + ORIGIN_LABELS[o] if o is Origin.SUGGESTED else ORIGIN_LABELS[o]


def source_label(r, with_change: bool = True) -> str:
    """The 来源 column: where the row came from; for a form rolled forward, what to do with it (and the change,
    unless the grid shows it in its own column)."""
    label = origin_label(r.origin)
    if with_change and (r.previous is not None or (r.note or "").startswith(ROLL_NOTES)):
        change = change_label(r.previous, r.value)
        label += f"｜上年 {r.previous}（{change}）" if r.previous is not None else "｜本年新增"
    if r.note and r.note.startswith(("沿用上年", "本年文字未提及")):
        label += f"｜{r.note}"
    return label


ROLL_NOTES = ("本年新增", "沿用上年", "本年文字未提及", "按本年文字")


def _row_index(draft: Draft, row: int, row_ids: list[str] | None) -> int | None:
    """The draft row a grid line shows; None for a line past the end (a new row)."""
    if row_ids is None:
        return row if row < len(draft.indicators) else None
    return draft.row_index(row_ids[row]) if row < len(row_ids) else None


def esc(text: str | None) -> str:
    return html.escape(text or "", quote=False)


def fmt(x: float | None) -> str:
    return format_amount(x, digits=4)


def profile_choices() -> list[tuple[str, str]]:
    return [(f"{pid}｜{p.title}", pid) for pid, p in all_profiles().items()]


@lru_cache(maxsize=1)
def _faq() -> list[dict]:
    from ..core.profiles import DATA_DIR, load_yaml

    return load_yaml(DATA_DIR / "faq.yaml")


def answer(question: str) -> str:
    """An offline answer to a question about the form, by keywords; else what the assistant can do."""
    q = question.strip()
    if re.fullmatch(r"[\s\W]*(?:你好|您好|hi|hello|嗨)[\s\W]*", q, re.I):
        return "您好！粘贴单位或项目的材料即可起草绩效目标表，也可以上传已填好的表检查。"
    if re.search(r"谢谢|感谢|辛苦|好的|收到|可以了|就这样|没问题", q) and len(q) <= 12:
        return "好的。需要时可以继续修改，或用右侧按钮导出。"
    for item in _faq():
        if any(k in q for k in item["keys"]):
            return item["answer"]
    return ("这个问题离线模式回答不了。可以问“成本指标怎么写”“满意度能写100%吗”，"
            "或直接粘贴材料起草、写一条修改（如“删除第三行”）。")


def provider_choices() -> list[str]:
    from ..engines.llm.providers import _data

    return list(_data())


def export_name(draft: Draft) -> str:
    """单位_年度_表名 (项目名 when there is one): 某县教育局_2025_教师培训项目绩效目标申报表."""
    from ..core.model import FORM_LABELS

    h = draft.header
    form = FORM_LABELS[draft.form]
    what = f"{h.project_name}{form}" if h.project_name and draft.kind.value == "project" else (
        ("部门整体支出" if draft.kind.value == "department" else "项目支出") + form)
    parts = [h.unit or h.department or "", str(h.year or ""), what]
    name = "_".join(p for p in parts if p)
    return re.sub(r"[\\/:*?\"<>|\s]+", "_", name)[:80]


class AppService:
    def __init__(self, store: DraftStore, settings: Settings, engine_factory: Callable[[], tuple[Engine, str]] | None
                 = None, export_dir: Path | None = None):
        self.store = store
        self.settings = settings
        self._engine_factory = engine_factory or (lambda: get_engine("auto", settings))
        self.engine, self.engine_note = self._engine_factory()
        self.export_dir = export_dir or Path(tempfile.gettempdir()) / "indicator-assistant-exports"
        self.export_dir.mkdir(parents=True, exist_ok=True)
        self.model_slots = threading.BoundedSemaphore(max(1, settings.llm_concurrency))
        self._library = None
        self.secret: str | None = None  # encrypts the browser's saved state (config.browser_secret)
        self.data_dir: Path | None = None  # where model settings made in the app are kept
        self.settings_admin: str | None = None  # the only user who may change them (--settings-admin)

    # --- model settings ----------------------------------------------------------------------------
    def model_form(self) -> tuple[str, str, str, str]:
        """Base URL, model, provider and the key as the page may show it (••••1234, never the key)."""
        from ..config import mask

        s = self.settings
        key = s.llm_api_key.get_secret_value() if s.llm_api_key else None
        return s.llm_base_url or "", s.llm_model or "", s.llm_provider or "", mask(key)

    def may_configure(self, user: str | None) -> bool:
        return self.settings_admin is None or user == self.settings_admin

    def _model_values(self, base_url: str, model: str, provider: str, api_key: str) -> dict:
        s = self.settings
        key = (api_key or "").strip()
        if not key or key.startswith("••••"):  # unchanged: keep the stored key
            key = s.llm_api_key.get_secret_value() if s.llm_api_key else ""
        return {"llm_base_url": (base_url or "").strip(), "llm_model": (model or "").strip(),
                "llm_provider": (provider or "").strip(), "llm_api_key": key}

    def test_model(self, base_url: str, model: str, provider: str, api_key: str) -> str:
        from ..engines.llm.probe import probe

        v = self._model_values(base_url, model, provider, api_key)
        if not v["llm_base_url"] and not v["llm_api_key"]:
            return "请填写接口地址（如 http://模型服务器:8000/v1），或 OpenAI 的 API 密钥。"
        return probe(v["llm_base_url"] or None, v["llm_model"], v["llm_api_key"] or None).message

    def configure_model(self, user: str | None, base_url: str, model: str, provider: str, api_key: str) -> str:
        """Save the model settings for this server (data directory, mode 0600) and use them from now on."""
        from ..config import save_model_settings, with_saved

        if not self.may_configure(user):
            return "只有管理员可以修改模型设置。"
        if self.data_dir is None:
            return "这个实例没有数据目录，无法保存模型设置。"
        v = self._model_values(base_url, model, provider, api_key)
        if v["llm_provider"]:
            from ..engines.llm.providers import get_provider

            try:
                get_provider(v["llm_provider"])
            except (KeyError, ValueError):
                return f"不认识的服务商“{v['llm_provider']}”。"
        save_model_settings(self.data_dir, v)
        self.settings = with_saved(self.settings.model_copy(update={k: None for k in v}), self.data_dir)
        self._engine_factory = lambda: get_engine("auto", self.settings)
        self.engine, self.engine_note = self._engine_factory()
        return f"已保存。当前引擎：{self.engine.label}。" if self.uses_model else "已保存。未配置完整，使用离线规则引擎。"

    @property
    def library(self):
        """The indicator library, loaded on first use (not at start-up)."""
        if self._library is None:
            self._library = load_library()
        return self._library

    # --- identity -----------------------------------------------------------------------------------
    @property
    def uses_model(self) -> bool:
        return self.engine.name != "offline"

    def badge(self) -> str:
        if self.uses_model:
            return f"当前引擎：**{self.engine.label}**"
        return "当前引擎：**离线规则引擎**（未配置大模型）"

    def badge_hint(self) -> str:
        return ""  # how to configure a model is for whoever runs the server (README, --help), not every user

    # --- loading ------------------------------------------------------------------------------------
    def view(self, draft_id: str | None, reply: str = "", error: str | None = None) -> View:
        if not draft_id:
            return View(None, None, None, reply, error=error)
        cur = self.store.current(draft_id)
        if cur is None:
            return View(None, None, None, reply, error=error)
        _, draft = cur
        undo, redo = self.store.can_move(draft_id)
        return View(draft_id, draft, validate(draft), reply, undo, redo, error)

    def open(self, draft_id: str | None, owner: str) -> View:
        if draft_id and self.store.owner_of(draft_id) == owner:
            return self.view(draft_id)
        return self.view(None)

    def recent(self, owner: str) -> list[tuple[str, str]]:
        import time

        out = []
        for d in self.store.recent(owner):
            when = time.strftime("%m-%d %H:%M", time.localtime(d.updated))
            out.append((f"{d.title}（{when}，第{d.rev}版）", d.id))
        return out

    def _save(self, owner: str, draft_id: str | None, draft: Draft, note: str) -> str:
        if draft_id and self.store.owner_of(draft_id) == owner:
            self.store.save(draft_id, draft, note)
            return draft_id
        did, _ = self.store.create(owner, draft, note)
        return did

    # --- chat ---------------------------------------------------------------------------------------
    def is_new_material(self, message: str, draft: Draft | None) -> bool:
        return self.intent(message, draft).label == "new"

    def stage_text(self, draft_id: str | None, message: str) -> str:
        cur = self.store.current(draft_id) if draft_id else None
        if self.is_new_material(message, cur[1] if cur else None):
            return f"正在起草（{self.engine.label}）：提取单位、目标、资金和原文中的数值…"
        return f"正在按指令修改（{self.engine.label}）…"

    def chat(self, owner: str, draft_id: str | None, message: str, history: list[dict],
             progress: Callable[[str], None] | None = None, route: str | None = None) -> View:
        """route: "new" or "revise" when the user chose it with a button; else the message is classified."""
        message = (message or "").strip()
        found = self.store.current(draft_id) if draft_id else None
        current = found[1] if found else None
        if not message:
            return self.view(draft_id, error="请先输入内容：粘贴单位或项目的材料起草，或写一条修改，如“删除第三行”。")
        label = route or self.intent(message, current).label
        if label == "new":
            return self.draft_from_text(owner, draft_id, message, progress)
        if label == "question":
            return self.view(draft_id, answer(message))
        if label == "unclear":
            view = self.view(draft_id, "这段话是要新建一份草稿，还是按它修改当前的表？请点下面的按钮选择。")
            view.ask = message
            return view
        if current is None:
            return self.view(draft_id, "还没有草稿，无法修改。请先粘贴材料起草，或上传已填好的表。")
        return self.revise(owner, draft_id, current, message, history, progress)

    def intent(self, message: str, draft: Draft | None):
        from ..engines.intent import classify
        from ..engines.offline.commands import CommandError

        parses = None
        if draft is not None:
            try:
                parses = parse_command(message, draft, guess_profile(draft)[0], self.library) is not None
            except CommandError:
                parses = True
        return classify(message, draft, parses)

    def new_draft(self) -> View:
        return self.view(None, "已开始一份新草稿：请粘贴单位职能、项目情况、年度目标和资金，或上传材料。"
                               "之前的草稿可在“最近的草稿”中打开。")

    def draft_from_text(self, owner: str, draft_id: str | None, text: str,
                        progress: Callable[[str], None] | None = None, profile: str | None = None) -> View:
        if progress:
            progress("正在起草：提取单位、年度目标、资金和原文中的数值目标…" if not self.uses_model else
                     f"正在起草：调用{self.engine.label}（可能需要几十秒）…")
        try:
            with self._slot():
                out = self.engine.draft(text, profile=profile)
        except EngineError as e:
            return self.view(draft_id, error=f"起草失败：{e}" + ("" if draft_id is None else "（当前草稿未改动）"))
        did, _ = self.store.create(owner, out.draft, "起草")
        s = out.report.summary()
        need = out.needs_input
        lines = [f"已起草 {len(out.draft.indicators)} 行指标（{out.engine}）。检查结果：错误 {s['errors']} 项，提示 {s['warnings']} 项。"]
        lines += [f"说明：{n}" for n in out.notes]
        if need:
            lines.append(f"表中 {len(need)} 行标有“⚠ 建议，待确认”：数值需要您填写或确认（第{'、'.join(str(i + 1) for i in need[:12])}行）。")
        lines.append("可以直接编辑右侧表格，或在这里输入修改指令，如“满意度改成≥95%”“补一个成本指标”“删除第3行”。")
        return self.view(did, "\n".join(lines))

    def revise(self, owner: str, draft_id: str, draft: Draft, instruction: str, history: list[dict],
               progress: Callable[[str], None] | None = None) -> View:
        if progress and self.uses_model:
            progress(f"正在按指令修改（{self.engine.label}）…")
        try:
            with self._slot():
                out = self.engine.revise(draft, instruction, _plain_history(history))
        except EngineError as e:
            return self.view(draft_id, error=f"修改失败：{e}（草稿未改动）")
        if out.undo:
            return self.undo(owner, draft_id)
        if out.changes:
            self._save(owner, draft_id, out.draft, f"指令：{instruction[:60]}")
        return self.view(draft_id, out.reply)

    # --- table ----------------------------------------------------------------------------------------
    def edit_cell(self, owner: str, draft_id: str, row: int, col: int, value: str,
                  row_ids: list[str] | None = None) -> View:
        """One cell edited. `row_ids` are the rows the grid showed (a filtered grid shows some rows only)."""
        cur = self.store.current(draft_id)
        if cur is None:
            return self.view(None, error="还没有草稿，无法编辑。")
        draft = cur[1]
        layout = table_layout(draft)
        field = layout.fields.get(col)
        if field is None:
            if col < len(layout.columns) and layout.columns[col] == "上年→本年":
                return self.view(draft_id, "“上年→本年”列按指标值自动生成：请修改“指标值”列，或在“变动原因”列写明原因。")
            return self.view(draft_id, "“来源”列由系统维护：确认建议行请输入“确认第N行”。")
        value = (value or "").strip()
        if field == "goal":
            if value and not value.isdigit():
                return self.view(draft_id, error=f"第{row + 1}行“目标”应为数字（年度目标序号）。")
            new_value: object = int(value) if value else None
        else:
            new_value = value
        if row_ids is not None and row < len(row_ids) and draft.row_index(row_ids[row]) is None:
            return self.view(draft_id, error="这一行已不在草稿中（表格刚刚更新过），请在新表格上再改一次。")
        index = _row_index(draft, row, row_ids)
        if index is None:
            ops = [{"op": "add_row", "row": {field: new_value, "name": value if field == "name" else "新指标",
                                              "origin": Origin.USER.value}}]
        else:
            r = draft.indicators[index]
            if str(getattr(r, field) or "") == str(new_value or ""):
                return self.view(draft_id)
            fields = {field: new_value}
            if field in ("name", "value", "standard"):
                fields["origin"] = Origin.USER.value
            ops = [{"op": "update_row", "row_id": r.id, "fields": fields}]
        try:
            new, changes = apply_ops(draft, ops)
        except PatchError as e:
            return self.view(draft_id, error=f"未修改：{e}")
        self._save(owner, draft_id, new, f"编辑：{'；'.join(changes)[:80]}")
        return self.view(draft_id)

    def save_table(self, owner: str, draft_id: str, rows: list[list[str]], row_ids: list[str] | None = None) -> View:
        """The safety net: reconcile the whole grid with the draft (edits the .edit event may have missed).
        With `row_ids` (a filtered grid), only the rows shown are compared, and only they can be deleted."""
        cur = self.store.current(draft_id)
        if cur is None:
            return self.view(None, error="还没有草稿。")
        draft = cur[1]
        layout = table_layout(draft)
        width = len(layout.columns)
        by_id = {r.id: r for r in draft.indicators}
        shown = list(draft.indicators) if row_ids is None else [by_id[x] for x in row_ids if x in by_id]
        ops: list[dict] = []
        for i, cells in enumerate(rows):
            cells = [("" if c is None else str(c)).strip() for c in list(cells) + [""] * width][:width]
            edited = {fld: cells[col] for col, fld in layout.fields.items()}
            if i >= len(shown):
                if any(edited.values()):
                    goal = edited.pop("goal", "")
                    ops.append({"op": "add_row", "row": {**{k: v or None for k, v in edited.items()},
                                                          "goal": int(goal) if goal.isdigit() else None,
                                                          "name": edited.get("name") or "新指标",
                                                          "value": edited.get("value", ""),
                                                          "tier1": edited.get("tier1", ""),
                                                          "tier2": edited.get("tier2", ""),
                                                          "origin": Origin.USER.value}})
                continue
            r = shown[i]
            fields = {}
            for fld, text in edited.items():
                if text != str(getattr(r, fld) or ""):
                    fields[fld] = (int(text) if text.isdigit() else None) if fld == "goal" else text
            if fields:
                if {"name", "value", "standard"} & set(fields):
                    fields["origin"] = Origin.USER.value
                ops.append({"op": "update_row", "row_id": r.id, "fields": fields})
        if len(rows) < len(shown):
            ops += [{"op": "delete_row", "row_id": r.id} for r in shown[len(rows):]]
        if not ops:
            return self.view(draft_id, "表格与草稿一致，无需保存。")
        try:
            new, changes = apply_ops(draft, ops)
        except PatchError as e:
            return self.view(draft_id, error=f"未保存：{e}")
        self._save(owner, draft_id, new, "保存表格修改")
        return self.view(draft_id, f"已保存 {len(changes)} 处修改。")

    def set_header(self, owner: str, draft_id: str, unit: str, year: str, kind: str, profile: str) -> View:
        cur = self.store.current(draft_id) if draft_id else None
        if cur is None:
            return self.view(None)
        draft = cur[1]
        ops: list[dict] = []
        if (unit or "") != (draft.header.unit or ""):
            ops.append({"op": "set_header", "field": "unit", "value": unit or None})
        y = str(year or "").strip()
        if y != str(draft.header.year or ""):
            if y and not re.fullmatch(r"20\d{2}", y):
                return self.view(draft_id, error="年度应为四位数字，如 2025。")
            ops.append({"op": "set_header", "field": "year", "value": int(y) if y else None})
        if kind and kind != draft.kind.value:
            ops.append({"op": "set_field", "field": "kind", "value": kind})
        if profile and profile != draft.profile:
            get_profile(profile)
            ops.append({"op": "set_field", "field": "profile", "value": profile})
        if not ops:
            return self.view(draft_id)
        new, changes = apply_ops(draft, ops)
        self._save(owner, draft_id, new, "修改表头")
        return self.view(draft_id, "已更新：" + "；".join(changes))

    def start_from_last_year(self, owner: str, path: str | None, text: str = "") -> View:
        """从上年表格开始: last year's form (any layout), optionally updated from this year's text."""
        from ..engines.rollforward import roll_forward

        if not path:
            return self.view(None, error="请选择上年的表格文件。")
        p = Path(path)
        try:
            if p.stat().st_size > MAX_UPLOAD:
                return self.view(None, error="文件超过 10 MB。")
            last = load_draft_bytes(read_bytes(p), p.name)
        except FormatError as e:
            return self.view(None, error=str(e).replace(str(p), p.name))
        except OSError:
            return self.view(None, error=f"无法读取文件 {p.name}。")
        if not last.indicators:
            return self.view(None, error=f"{p.name} 中没有指标行。")
        try:
            with self._slot():
                out = roll_forward(last, text.strip() or None)
        except EngineError as e:
            return self.view(None, error=f"按本年文字更新失败：{e}")
        did, _ = self.store.create(owner, out.draft, f"从上年表格开始（{p.name}）")
        return self.view(did, out.summary() + "右侧“上年→本年”列写明上年指标值和变动（↑↓），勾选“只看有变动的行”可只看变化；"
                              "降低的目标请在“变动原因”列写明原因。标“沿用上年，待确认”的行请确认或修改，"
                              "本年文字未提及的行请决定保留或删除。导出的 Excel、Word 另有“指标值变动情况”表。")

    def save_funding(self, owner: str, draft_id: str, rows: list[list]) -> View:
        cur = self.store.current(draft_id) if draft_id else None
        if cur is None or self.store.owner_of(draft_id) != owner:
            return self.view(draft_id, error="还没有草稿，无法保存资金情况。")
        draft = cur[1]
        try:
            funding = funding_from_rows(draft, rows)
        except ValueError as e:
            return self.view(draft_id, error=str(e))
        if funding.model_dump() == draft.funding.model_dump():
            return self.view(draft_id, "资金情况没有变化。")
        new, changes = apply_ops(draft, [{"op": "replace_funding", "funding": funding.model_dump()}])
        self._save(owner, draft_id, new, "修改资金情况")
        return self.view(draft_id, "已更新" + "；".join(changes) + "（收入、支出的占比已按金额重算）。")

    def set_form_header(self, owner: str, draft_id: str, *, project_name: str | None = None,
                        department: str | None = None, period: str | None = None, attribute: str | None = None,
                        long_term_goal: str | None = None, goals: str | None = None) -> View:
        """The rest of the header and the goals, as edited in the form; one saved revision, undoable."""
        cur = self.store.current(draft_id) if draft_id else None
        if cur is None or self.store.owner_of(draft_id) != owner:
            return self.view(draft_id, error="找不到这份草稿。")
        draft = cur[1]
        ops: list[dict] = []
        for field, value in (("project_name", project_name), ("department", department), ("period", period),
                             ("attribute", attribute)):
            if value is not None and (value or "").strip() != (getattr(draft.header, field) or ""):
                ops.append({"op": "set_header", "field": field, "value": (value or "").strip() or None})
        if period and period.strip():
            from ..core.rules.header import period_of

            if period_of(period) is None:
                return self.view(draft_id, error=f"实施期“{period.strip()}”看不出起止时间，请写成“2025年1月-2025年12月”。")
        if long_term_goal is not None and (long_term_goal.strip() or None) != draft.long_term_goal:
            ops.append({"op": "set_field", "field": "long_term_goal", "value": long_term_goal.strip() or None})
        if goals is not None:
            new_goals = [g.strip() for g in goals.splitlines() if g.strip()]
            old = [g.text for g in draft.goals]
            for i, text in enumerate(new_goals, 1):
                if i > len(old) or old[i - 1] != text:
                    ops.append({"op": "set_goal", "index": i, "text": text})
            for i in range(len(old), len(new_goals), -1):
                ops.append({"op": "set_goal", "index": i, "text": None})
        if not ops:
            return self.view(draft_id, "表头和目标没有变化。")
        try:
            new, changes = apply_ops(draft, ops)
        except PatchError as e:
            return self.view(draft_id, error=str(e))
        self._save(owner, draft_id, new, "修改表头和目标")
        return self.view(draft_id, "已更新：" + "；".join(changes))

    # --- findings -------------------------------------------------------------------------------------
    def apply_finding(self, owner: str, draft_id: str, index: int | None) -> View:
        v = self.view(draft_id)
        if not v.draft or not v.report or index is None or not 0 <= int(index) < len(v.report.findings):
            return self.view(draft_id, error="请先选择一条可修正的问题。")
        f: Finding = v.report.findings[int(index)]
        try:
            new, changes = apply_fix(v.draft, f)
        except PatchError as e:
            return self.view(draft_id, error=str(e))
        self._save(owner, draft_id, new, f"修正 {f.code}")
        return self.view(draft_id, "已修正：" + "；".join(changes))

    def add_figure(self, owner: str, draft_id: str, index: int | None) -> View:
        """Make a number the draft left out of the table into a row (the user checks name and operator)."""
        from ..engines.offline.drafter import row_for_figure

        v = self.view(draft_id)
        figures = addable_figures(v.draft) if v.draft else []
        if not v.draft or index is None or not 0 <= int(index) < len(figures):
            return self.view(draft_id, error="请先选择一个数字。")
        u = figures[int(index)]
        row = row_for_figure(v.draft, u)
        try:
            new, changes = apply_ops(v.draft, [{"op": "add_row", "row": row.model_dump(mode="json", exclude={"id"})}])
        except PatchError as e:
            return self.view(draft_id, error=str(e))
        self._save(owner, draft_id, new, f"添加原文数字 {u.figure}")
        return self.view(draft_id, "已添加：" + "；".join(changes) + "。请核对名称、比较符号和二级指标。")

    def fix_everything(self, owner: str, draft_id: str) -> View:
        v = self.view(draft_id)
        if not v.draft:
            return v
        new, changes = fix_all(v.draft)
        if not changes:
            return self.view(draft_id, "没有可以自动修正的问题。")
        self._save(owner, draft_id, new, f"自动修正 {len(changes)} 处")
        return self.view(draft_id, f"已自动修正 {len(changes)} 处：\n" + "\n".join(f"- {c}" for c in changes[:20]))

    # --- undo / redo ------------------------------------------------------------------------------------
    def undo(self, owner: str, draft_id: str | None) -> View:
        return self._move(owner, draft_id, -1, "已撤销到上一版。", "已经是最早的版本。")

    def redo(self, owner: str, draft_id: str | None) -> View:
        return self._move(owner, draft_id, +1, "已重做。", "没有可以重做的修改。")

    def _move(self, owner: str, draft_id: str | None, step: int, ok: str, none: str) -> View:
        if not draft_id or self.store.owner_of(draft_id) != owner:
            return self.view(draft_id, none)
        moved = self.store.move(draft_id, step)
        return self.view(draft_id, ok if moved else none)

    # --- files ------------------------------------------------------------------------------------------
    def upload_many(self, owner: str, draft_id: str | None, paths: list[str]) -> View:
        """Several filled forms at once: each readable form becomes a draft, the reply and the summary table say
        what was read and found (a row of the table opens its form), and the summary workbook can be downloaded."""
        from ..core.batch import review_one, summary_workbook
        from ..core.findings import Severity

        paths = [p for p in paths if p][:MAX_BATCH]
        results, rows, ids = [], [], []
        last = draft_id
        for path in paths:
            p = Path(path)
            if p.suffix.lower() not in UPLOAD_TYPES or p.suffix.lower() in (".txt", ".md"):
                rows.append([p.name, "", "未审核", "", "", "", "不是表格文件"])
                ids.append(None)
                continue
            try:
                data = read_bytes(p) if p.stat().st_size <= MAX_UPLOAD else b""
            except FormatError:
                data = b""
            r = review_one(p.name, data)
            results.append(r)
            if not r.ok:
                rows.append([p.name, "", "未能读取", "", "", "", r.error or ""])
                ids.append(None)
                continue
            r.draft.profile = r.draft.profile or guess_profile(r.draft)[0].id
            last, _ = self.store.create(owner, r.draft, f"导入 {p.name}")
            worst = "；".join(f.message for f in r.worst(1)) or "未发现问题"
            rows.append([p.name, r.who, r.kind_label, str(len(r.draft.indicators)), str(r.count(Severity.ERROR)),
                         str(r.count(Severity.WARNING)), worst])
            ids.append(last)
        read = sum(1 for i in ids if i)
        folder = self._export_folder()
        book = folder / "审核汇总.xlsx"
        book.write_bytes(summary_workbook(results))
        lines = [f"{i}. {row[0]}：" + ("，".join(x for x in (row[1], row[2], f"{row[3]}行，错误{row[4]}项、提示{row[5]}项")
                                               if x) if ids[i - 1] else f"{row[2]}（{row[6]}）")
                 for i, row in enumerate(rows, 1)]
        head = (f"已审核 {len(paths)} 份表格，读取 {read} 份。右侧“审核汇总”列出每份表的问题，点一行打开那份表；"
                f"汇总表可以下载。右侧现在显示最后一份。")
        view = self.view(last, head + "\n\n" + "\n".join(lines))
        view.batch, view.batch_ids, view.batch_file = rows, ids, str(book)
        return view

    def upload(self, owner: str, draft_id: str | None, path: str | list[str] | None) -> View:
        if isinstance(path, (list, tuple)):
            if len(path) > 1:
                return self.upload_many(owner, draft_id, list(path))
            path = path[0] if path else None
        if not path:
            return self.view(draft_id)
        p = Path(path)
        name = p.name
        if p.suffix.lower() not in UPLOAD_TYPES:
            return self.view(draft_id, error=f"不支持“{p.suffix}”文件。可上传：{'、'.join(UPLOAD_TYPES)}。")
        try:
            if p.stat().st_size > MAX_UPLOAD:
                return self.view(draft_id, error="文件超过 10 MB。")
            data = read_bytes(p)
            suffix = p.suffix.lower()
            if suffix in (".txt", ".md"):
                return self.draft_from_text(owner, draft_id, decode_text(data, name))
            from ..core.io.forms.sources import NoTablesError, pdf_text

            try:  # read once: a Word or PDF file without an indicator table is a description to draft from
                draft = load_draft_bytes(data, name)
            except FormatError as e:
                if suffix == ".docx":
                    return self.draft_from_text(owner, draft_id, docx_text(data))
                if isinstance(e, NoTablesError):
                    return self.draft_from_text(owner, draft_id, pdf_text(data))
                raise
        except FormatError as e:
            return self.view(draft_id, error=str(e).replace(str(p), name))
        except Exception as e:  # a malformed .docx can raise anything from lxml/zipfile
            return self.view(draft_id, error=f"无法读取文件 {name}（{type(e).__name__}）。")
        prof = guess_profile(draft)[0]
        draft.profile = draft.profile or prof.id
        did, _ = self.store.create(owner, draft, f"导入 {name}")
        report = validate(draft)
        s = report.summary()
        reply = [f"已读取 {name}：{len(draft.indicators)} 行指标，按“{report.profile_title}”检查：错误 {s['errors']} 项，"
                 f"提示 {s['warnings']} 项（右侧列出）。"]
        if self.uses_model:
            try:
                with self._slot():
                    review = self.engine.review(draft)
                extra = [f for f in review.findings if f.code == "AI"]
                reply.append(f"审阅意见（{self.engine.label}）：{review.summary}")
                reply += [f"- {('第' + str(f.row + 1) + '行：') if f.row is not None else ''}{f.message} 建议：{f.fix}"
                          for f in extra[:12]]
            except EngineError as e:
                reply.append(f"模型审阅未完成：{e}")
        else:
            reply.append("离线模式只做规则检查；配置大模型后还会给出改写建议。")
        return self.view(did, "\n".join(reply))

    def export(self, draft_id: str | None, fmt: str) -> str | None:
        v = self.view(draft_id)
        if not v.draft:
            return None
        data = render(v.draft, fmt, v.report if fmt in ("xlsx", "docx", "md") else None)
        folder = self._export_folder()
        out = folder / f"{export_name(v.draft)}.{fmt}"
        out.write_bytes(data)
        return str(out)

    def _export_folder(self) -> Path:
        """A fresh folder for one download; downloads older than a day are removed (they were fetched long ago)."""
        cutoff = time.time() - EXPORT_KEEP_SECONDS
        for old in self.export_dir.iterdir():
            try:
                if old.is_dir() and old.stat().st_mtime < cutoff:
                    shutil.rmtree(old, ignore_errors=True)
            except OSError:
                pass
        return Path(tempfile.mkdtemp(dir=self.export_dir))

    def _slot(self):
        return self.model_slots if self.uses_model else _NullCtx()


class _NullCtx:
    def __enter__(self):
        return self

    def __exit__(self, *a):
        return False


def _plain_history(history: list[dict]) -> list[dict]:
    out = []
    for m in history[-8:]:
        content = m.get("content")
        if isinstance(content, list):
            content = " ".join(c.get("text", "") for c in content if isinstance(c, dict))
        out.append({"role": m.get("role", "user"), "content": str(content or "")[:500]})
    return out
