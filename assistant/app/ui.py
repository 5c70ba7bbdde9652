"""The Gradio app: chat on the left, the draft on the right. Handlers are thin wrappers over AppService."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import gradio as gr

from .service import PLAIN, FUNDING_HEADERS, KIND_CHOICES, AppService, View, esc, profile_choices, provider_choices

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES_DIR = ROOT / "examples"
CSS = """
.gradio-container {max-width: 100% !important; font-family: "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif;}
#badge {font-size: 0.9em;}
#findings {max-height: 260px; overflow-y: auto; font-size: 0.92em;}
#draft-table td {font-size: 0.9em;}
"""


def example_prompts() -> list[str]:
    out = []
    for p in sorted(EXAMPLES_DIR.glob("prose-*.txt")):
        out.append(p.read_text(encoding="utf-8").strip())
    return out + ["满意度改成≥95%", "补一个成本指标", "删除第3行", "帮助"]


def build(service: AppService) -> gr.Blocks:
    with gr.Blocks(title="绩效指标助手") as demo:
        browser = gr.BrowserState({"owner": "", "draft_id": "", "chat": []}, storage_key="indicator-assistant-v1",
                                  secret=service.secret)
        sess = gr.State({"owner": "", "draft_id": None})
        pending = gr.State("")  # a message waiting for the user to say: new draft or revision
        with gr.Row():
            gr.Markdown("### 绩效指标助手　<small>绩效目标申报表起草 · 检查 · 导出</small>")
            badge = gr.Markdown(service.badge(), elem_id="badge")
        with gr.Row(equal_height=False):
            with gr.Column(scale=5, min_width=320):
                chat = gr.Chatbot(label="对话", height=460, buttons=["copy"], sanitize_html=True)
                with gr.Row(visible=False) as ask_row:
                    ask_new = gr.Button("用这段文字新建草稿", size="sm", elem_id="ask-new")
                    ask_revise = gr.Button("按这段话修改当前表", size="sm", elem_id="ask-revise")
                msg = gr.Textbox(label="粘贴材料或输入修改指令", lines=3, max_lines=12, elem_id="message",
                                 placeholder="粘贴单位职能、年度任务、年度绩效目标和资金情况，点“发送”起草；"
                                             "已有草稿时可输入“满意度改成≥95%”“补一个成本指标”“删除第3行”等。")
                with gr.Row():
                    send = gr.Button("发送", variant="primary", elem_id="send")
                    new_btn = gr.Button("新建草稿", size="sm", elem_id="new-draft")
                    help_btn = gr.Button("修改说法", size="sm")
                    upload = gr.UploadButton("上传材料或已填好的表（可多选）", type="filepath", file_count="multiple",
                                             size="sm", elem_id="upload")
                    last_year = gr.UploadButton("从上年表格开始", type="filepath", file_count="single", size="sm",
                                                elem_id="from-last-year")
                gr.Markdown("<small>可上传 .txt .docx .pdf 文字材料起草，或已填好的表（.xlsx .xls .docx .pdf .csv .json）审核，可一次选多份（每份 10 MB 以内）。</small>")
                gr.Examples(examples=[[e] for e in example_prompts()], inputs=[msg], label="示例（点击填入）",
                            examples_per_page=8)
                with gr.Accordion("最近的草稿", open=False):
                    recent = gr.Dropdown(label="选择草稿", choices=[], interactive=True)
                    open_btn = gr.Button("打开所选草稿", size="sm")
            with gr.Column(scale=7, min_width=480):
                with gr.Accordion("审核汇总（一次上传多份表格时）", open=True, visible=False) as batch_acc:
                    batch_tbl = gr.Dataframe(headers=["文件", "单位", "表格类型", "指标行", "错误", "提示", "最主要的问题"],
                                             datatype=["str"] * 7, type="array", interactive=False, wrap=True,
                                             max_height=300, elem_id="batch",
                                             label="点一行打开那份表")
                    batch_file = gr.File(label="下载审核汇总表", interactive=False, elem_id="batch-file")
                batch_ids = gr.State([])
                with gr.Row():
                    unit = gr.Textbox(label="单位（实施单位）", scale=3)
                    year = gr.Textbox(label="年度", scale=1)
                    kind = gr.Dropdown(KIND_CHOICES, label="类型", scale=2)
                    profile = gr.Dropdown(profile_choices(), label="表样", scale=3)
                with gr.Accordion("表头和绩效目标", open=False):
                    with gr.Row():
                        project_name = gr.Textbox(label="项目名称", scale=3, elem_id="project-name")
                        department = gr.Textbox(label="主管部门", scale=2)
                    with gr.Row():
                        period = gr.Textbox(label="实施期", scale=2, placeholder="如 2025年1月-2025年12月")
                        attribute = gr.Dropdown(["新增", "延续"], label="项目属性", scale=1, allow_custom_value=True)
                    long_goal = gr.Textbox(label="长期（实施期）目标", lines=2)
                    goals_box = gr.Textbox(label="年度目标（每行一个）", lines=3, elem_id="goals")
                    head_btn = gr.Button("保存表头和目标", size="sm", elem_id="save-head")
                only_changed = gr.Checkbox(label="只看有变动的行（与上年相比）", value=False, visible=False,
                                           elem_id="only-changed")
                table = gr.Dataframe(headers=PLAIN.columns, datatype=["str"] * len(PLAIN.columns), type="array",
                                     interactive=True, static_columns=PLAIN.static, wrap=True, max_height=360,
                                     elem_id="draft-table", column_widths=PLAIN.widths,
                                     label="绩效指标（直接编辑单元格即保存；标“⚠ 建议，待确认”的行需要您填写或确认）")
                with gr.Row():
                    save_btn = gr.Button("保存表格修改", size="sm")
                    undo_btn = gr.Button("撤销", size="sm", interactive=False, elem_id="undo")
                    redo_btn = gr.Button("重做", size="sm", interactive=False)
                with gr.Accordion("资金情况", open=False):
                    funding = gr.Dataframe(headers=FUNDING_HEADERS, datatype=["str"] * 4, type="array",
                                           interactive=True, elem_id="funding",
                                           label="类别填资金总额、收入、支出、来源或明细；收入、支出的占比按金额自动计算")
                    fund_btn = gr.Button("保存资金情况", size="sm", elem_id="save-funding")
                with gr.Accordion("原文中没有写进表的数字", open=False):
                    gr.Markdown("<small>年份、文号、人口、编制、往年数值等不是绩效目标，起草时没有写进表。"
                                "确实需要的，选中后点“加为指标”。</small>")
                    with gr.Row():
                        fig_dd = gr.Dropdown(label="数字及未写进表的原因", choices=[], scale=4, interactive=True,
                                             elem_id="figures")
                        fig_btn = gr.Button("加为指标", size="sm", scale=1, elem_id="add-figure")
                findings = gr.Markdown(elem_id="findings", label="检查结果")
                with gr.Row():
                    fix_dd = gr.Dropdown(label="可一键修正的问题", choices=[], scale=4, interactive=True)
                    fix_btn = gr.Button("应用所选修正", size="sm", scale=1)
                    fix_all_btn = gr.Button("全部自动修正", size="sm", scale=1)
                with gr.Row():
                    exp_xlsx = gr.Button("导出 Excel", size="sm", elem_id="export-xlsx")
                    exp_docx = gr.Button("导出 Word", size="sm")
                    exp_csv = gr.Button("导出 CSV", size="sm")
                    exp_json = gr.Button("导出 JSON", size="sm")
                download = gr.File(label="下载导出的文件", interactive=False, elem_id="download", visible=False)
                with gr.Accordion("模型设置（可选；不设置时使用离线规则引擎）", open=False):
                    base0, model0, prov0, key0 = service.model_form()
                    with gr.Row():
                        m_url = gr.Textbox(label="接口地址", value=base0, placeholder="如 http://模型服务器:8000/v1",
                                           scale=3, elem_id="model-url")
                        m_name = gr.Textbox(label="模型名", value=model0, placeholder="如 qwen2.5-14b-instruct",
                                            scale=2, elem_id="model-name")
                    with gr.Row():
                        m_prov = gr.Dropdown(provider_choices(), label="服务商（可不选，按地址判断）", value=prov0 or None,
                                             scale=2)
                        m_key = gr.Textbox(label="API 密钥", type="password", placeholder=key0 or "本地模型可不填",
                                           scale=3, elem_id="model-key")
                    with gr.Row():
                        m_test = gr.Button("测试连接", size="sm", elem_id="model-test")
                        m_save = gr.Button("保存设置", size="sm", elem_id="model-save")
                    m_out = gr.Markdown(elem_id="model-result")

        outs = [chat, sess, browser, table, findings, fix_dd, funding, unit, year, kind, profile, undo_btn, redo_btn,
                recent, fig_dd, project_name, department, period, attribute, long_goal, goals_box, ask_row, pending,
                only_changed]

        def paint(view: View, state: dict, history: list, owner: str) -> tuple:
            same = view.draft_id and view.draft_id == (state or {}).get("draft_id")
            layout = view.layout
            filtered = bool(same and (state or {}).get("only_changed")) and layout.columns != PLAIN.columns
            rows, ids = view.table(only_changed=filtered)
            # the grid's line i shows row ids[i]: edits on a filtered grid go to the right row
            state = {"owner": owner, "draft_id": view.draft_id, "only_changed": filtered, "row_ids": ids}
            if view.error:
                history = history + [{"role": "assistant", "content": "⚠ " + view.error}]
            elif view.reply:
                history = history + [{"role": "assistant", "content": view.reply}]
            d = view.draft
            h = d.header if d else None
            saved = [{"role": m["role"], "content": str(m.get("content", ""))[:4000]} for m in history[-40:]
                     if isinstance(m, dict) and m.get("role") in ("user", "assistant")]
            return (history, state, {"owner": owner, "draft_id": view.draft_id or "", "chat": saved},
                    gr.update(value={"headers": layout.columns, "data": rows or [[""] * len(layout.columns)]},
                              static_columns=layout.static, column_widths=layout.widths,
                              datatype=["str"] * len(layout.columns)),
                    view.findings_markdown(),
                    gr.update(choices=view.fix_choices(), value=None), view.funding_rows() or [["", "", "", ""]],
                    d.header.unit if d else "", str(d.header.year or "") if d else "",
                    d.kind.value if d else None, d.profile if d else None,
                    gr.update(interactive=view.can_undo), gr.update(interactive=view.can_redo),
                    gr.update(choices=service.recent(owner)), gr.update(choices=view.figure_choices(), value=None),
                    (h.project_name or "") if h else "", (h.department or "") if h else "", (h.period or "") if h else "",
                    (h.attribute or None) if h else None, (d.long_term_goal or "") if d else "",
                    "\n".join(g.text for g in d.goals) if d else "", gr.update(visible=bool(view.ask)),
                    view.ask or "", gr.update(visible=layout.columns != PLAIN.columns, value=filtered))

        def owner_of(state: dict, request: gr.Request | None) -> str:
            if request is not None and getattr(request, "username", None):
                return f"user:{request.username}"
            return state.get("owner") or f"session:{uuid.uuid4().hex}"  # API clients get one per session

        def on_load(saved: dict, request: gr.Request):
            saved = saved or {}
            owner = f"user:{request.username}" if getattr(request, "username", None) else (
                saved.get("owner") or f"browser:{uuid.uuid4().hex}")
            view = service.open(saved.get("draft_id") or None, owner)
            history = [m for m in (saved.get("chat") or []) if isinstance(m, dict)] if view.draft is not None else []
            if view.draft is not None and not history:
                history = [{"role": "assistant", "content": "已恢复上次的草稿。"}]
            return paint(view, {}, history, owner)

        def on_send(message: str, history: list, state: dict, request: gr.Request):
            owner = owner_of(state, request)
            text = (message or "").strip()
            if not text:
                gr.Warning("请先输入内容：粘贴材料起草，或写一条修改，如“删除第三行”。")
                yield (gr.skip(),) * len(outs) + (message,)
                return
            shown = esc(text if len(text) <= 600 else text[:600] + "…（共" + str(len(text)) + "字）")
            history = list(history or []) + [{"role": "user", "content": shown}]
            pending = history + [{"role": "assistant", "content": service.stage_text(state.get("draft_id"), text)}]
            yield (pending,) + (gr.skip(),) * (len(outs) - 1) + ("",)
            view = service.chat(owner, state.get("draft_id"), text, history)
            yield paint(view, state, history, owner) + ("",)

        send.click(on_send, [msg, chat, sess], outs + [msg], concurrency_limit=16, concurrency_id="chat", api_name="chat")
        msg.submit(on_send, [msg, chat, sess], outs + [msg], concurrency_limit=16, concurrency_id="chat",
                   api_visibility="private")

        def on_route(route: str):
            def handler(text: str, history: list, state: dict, request: gr.Request):
                owner = owner_of(state, request)
                if not text:
                    return (gr.skip(),) * len(outs)
                view = service.chat(owner, state.get("draft_id"), text, list(history or []), route=route)
                return paint(view, state, list(history or []), owner)
            return handler

        ask_new.click(on_route("new"), [pending, chat, sess], outs, concurrency_limit=16, concurrency_id="chat")
        ask_revise.click(on_route("revise"), [pending, chat, sess], outs, concurrency_limit=16, concurrency_id="chat")

        def on_new(history: list, state: dict, request: gr.Request):
            owner = owner_of(state, request)
            return paint(service.new_draft(), state, list(history or []), owner)

        new_btn.click(on_new, [chat, sess], outs, api_name="new_draft")

        def on_head(pn, dep, per, attr, lg, goals, state: dict, history: list, request: gr.Request):
            owner = owner_of(state, request)
            if not state.get("draft_id"):
                return paint(service.view(None, error="还没有草稿，无法保存表头。"), state, list(history or []), owner)
            view = service.set_form_header(owner, state["draft_id"], project_name=pn, department=dep, period=per,
                                           attribute=attr, long_term_goal=lg, goals=goals)
            return paint(view, state, list(history or []), owner)

        head_btn.click(on_head, [project_name, department, period, attribute, long_goal, goals_box, sess, chat], outs,
                       api_name="save_header")

        def on_funding(rows: Any, state: dict, history: list, request: gr.Request):
            owner = owner_of(state, request)
            data = rows.values.tolist() if hasattr(rows, "values") else (rows or [])
            if not state.get("draft_id"):
                return paint(service.view(None, error="还没有草稿，无法保存资金情况。"), state, list(history or []), owner)
            return paint(service.save_funding(owner, state["draft_id"], data), state, list(history or []), owner)

        fund_btn.click(on_funding, [funding, sess, chat], outs, api_name="save_funding")

        def on_model_test(url, name, prov, key):
            return service.test_model(url, name, prov or "", key)

        m_test.click(on_model_test, [m_url, m_name, m_prov, m_key], [m_out], api_visibility="private",
                     concurrency_limit=2)

        def on_model_save(url, name, prov, key, request: gr.Request):
            msg = service.configure_model(getattr(request, "username", None), url, name, prov or "", key)
            _, _, _, masked = service.model_form()
            return msg, service.badge(), gr.update(value="", placeholder=masked or "本地模型可不填")

        m_save.click(on_model_save, [m_url, m_name, m_prov, m_key], [m_out, badge, m_key], api_visibility="private")

        def on_help(history: list, state: dict, request: gr.Request):
            from ..engines.offline.commands import HELP

            owner = owner_of(state, request)
            return paint(service.view(state.get("draft_id"), HELP), state, list(history or []), owner)

        help_btn.click(on_help, [chat, sess], outs)

        def on_edit(state: dict, history: list, evt: gr.EditData, request: gr.Request):
            owner = owner_of(state, request)
            row, col = evt.index
            ids = state.get("row_ids") if state.get("only_changed") else None
            view = service.edit_cell(owner, state.get("draft_id"), int(row), int(col), str(evt.value or ""),
                                     row_ids=ids)
            return paint(view, state, list(history or []), owner)

        table.edit(on_edit, [sess, chat], outs, concurrency_limit=16, api_visibility="private")

        def on_save(rows: Any, state: dict, history: list, request: gr.Request):
            owner = owner_of(state, request)
            data = rows.values.tolist() if hasattr(rows, "values") else (rows or [])
            ids = state.get("row_ids") if state.get("only_changed") else None
            return paint(service.save_table(owner, state.get("draft_id"), data, row_ids=ids), state,
                         list(history or []), owner)

        save_btn.click(on_save, [table, sess, chat], outs, api_name="save_table")

        def on_filter(on: bool, state: dict, history: list, request: gr.Request):
            owner = owner_of(state, request)
            state = {**(state or {}), "only_changed": bool(on)}
            view = service.view(state.get("draft_id"))
            return paint(view, state, list(history or []), owner)

        only_changed.input(on_filter, [only_changed, sess, chat], outs, api_visibility="private")

        def on_header(u, y, k, p, state: dict, history: list, request: gr.Request):
            owner = owner_of(state, request)
            if not state.get("draft_id"):
                return (gr.skip(),) * len(outs)
            return paint(service.set_header(owner, state["draft_id"], u, y, k, p), state, list(history or []), owner)

        for comp in (unit, year):
            comp.blur(on_header, [unit, year, kind, profile, sess, chat], outs)
        for comp in (kind, profile):
            comp.input(on_header, [unit, year, kind, profile, sess, chat], outs)

        def simple(method):
            def handler(state: dict, history: list, request: gr.Request):
                owner = owner_of(state, request)
                return paint(getattr(service, method)(owner, state.get("draft_id")), state, list(history or []), owner)
            return handler

        undo_btn.click(simple("undo"), [sess, chat], outs, api_name="undo")
        redo_btn.click(simple("redo"), [sess, chat], outs, api_name="redo")
        fix_all_btn.click(simple("fix_everything"), [sess, chat], outs, api_name="fix_all")

        def on_fix(choice, state: dict, history: list, request: gr.Request):
            owner = owner_of(state, request)
            return paint(service.apply_finding(owner, state.get("draft_id"), choice), state, list(history or []), owner)

        fix_btn.click(on_fix, [fix_dd, sess, chat], outs)

        def on_add_figure(choice, state: dict, history: list, request: gr.Request):
            owner = owner_of(state, request)
            return paint(service.add_figure(owner, state.get("draft_id"), choice), state, list(history or []), owner)

        fig_btn.click(on_add_figure, [fig_dd, sess, chat], outs, api_name="add_figure")

        def on_upload(path, state: dict, history: list, request: gr.Request):
            owner = owner_of(state, request)
            paths = [p for p in (path if isinstance(path, (list, tuple)) else [path]) if p]
            name = "、".join(Path(p).name for p in paths[:5]) + (f" 等 {len(paths)} 个文件" if len(paths) > 5 else "")
            history = list(history or []) + [{"role": "user", "content": f"📎 上传 {esc(name)}"}]
            view = service.upload(owner, state.get("draft_id"), path)
            if view.batch is None:
                return paint(view, state, history, owner) + (gr.skip(), gr.skip(), gr.skip(), gr.skip())
            return paint(view, state, history, owner) + (gr.update(visible=True), view.batch, view.batch_file,
                                                         view.batch_ids)

        upload.upload(on_upload, [upload, sess, chat], outs + [batch_acc, batch_tbl, batch_file, batch_ids],
                      concurrency_limit=8, concurrency_id="chat", api_name="upload")

        def on_batch_pick(ids: list, state: dict, history: list, evt: gr.SelectData, request: gr.Request):
            owner = owner_of(state, request)
            row = evt.index[0] if isinstance(evt.index, (list, tuple)) else evt.index
            did = ids[row] if ids and 0 <= row < len(ids) else None
            if not did:
                return paint(service.view(state.get("draft_id"), error="这份表格未能读取，没有可打开的草稿。"), state,
                             list(history or []), owner)
            view = service.open(did, owner)
            view.reply = "已打开所选表格。" if view.draft else ""
            return paint(view, state, list(history or []), owner)

        batch_tbl.select(on_batch_pick, [batch_ids, sess, chat], outs)

        def on_last_year(path, text: str, state: dict, history: list, request: gr.Request):
            owner = owner_of(state, request)
            name = Path(path).name if path else ""
            note = "（按输入框里的本年文字更新）" if (text or "").strip() else ""
            history = list(history or []) + [{"role": "user", "content": f"📎 从上年表格开始：{esc(name)}{note}"}]
            return paint(service.start_from_last_year(owner, path, text or ""), state, history, owner)

        last_year.upload(on_last_year, [last_year, msg, sess, chat], outs, concurrency_limit=8, concurrency_id="chat",
                         api_name="from_last_year")

        def on_open(choice, state: dict, history: list, request: gr.Request):
            owner = owner_of(state, request)
            view = service.open(choice, owner)
            if view.draft is None:
                view = service.view(state.get("draft_id"), error="无法打开所选草稿。")
            else:
                view.reply = "已打开草稿。"
            return paint(view, state, list(history or []), owner)

        open_btn.click(on_open, [recent, sess, chat], outs)

        for btn, fmt in ((exp_xlsx, "xlsx"), (exp_docx, "docx"), (exp_csv, "csv"), (exp_json, "json")):
            def on_export(state: dict, _fmt=fmt):
                path = service.export(state.get("draft_id"), _fmt)
                if path is None:
                    gr.Warning("还没有草稿，无法导出。")
                    return gr.update(visible=False)
                return gr.update(value=path, visible=True)
            # one click: the file is made, then the browser follows its link
            btn.click(on_export, [sess], [download], concurrency_limit=4, api_name=f"export_{fmt}").then(
                None, None, None, js="() => { setTimeout(() => { const a = document.querySelector('#download a');"
                                     " if (a) a.click(); }, 300); }")

        demo.load(on_load, [browser], outs, api_visibility="private")
    return demo


def launch(service: AppService, host: str = "127.0.0.1", port: int = 7860, auth: tuple[str, str] | None = None,
           prevent_thread_lock: bool = False, quiet: bool = False):
    demo = build(service)
    demo.queue(default_concurrency_limit=16, max_size=256)
    theme = gr.themes.Default(font=[gr.themes.Font(n) for n in ("Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC")]
                              + ["sans-serif"])
    app = demo.launch(server_name=host, server_port=port, auth=auth, prevent_thread_lock=True,
                      quiet=quiet, show_error=False, max_file_size="10mb", theme=theme, css=CSS,
                      allowed_paths=[str(service.export_dir)], footer_links=[], ssr_mode=False)
    from . import warm_up_later

    warm_up_later()
    if not prevent_thread_lock:
        demo.block_thread()
    return app, demo
