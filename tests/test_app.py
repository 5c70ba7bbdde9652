"""The app: handlers tested directly, the launched app through gradio_client, and persistence/concurrency."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from assistant.app import create_service
from assistant.app.service import AppService
from assistant.app.store import DraftStore
from assistant.config import load_settings
from assistant.core.io import load_draft, render

from .conftest import ROOT

PROSE = (ROOT / "examples" / "prose-guangshui-2020.txt").read_text(encoding="utf-8")


@pytest.fixture
def service(tmp_path) -> AppService:
    return create_service(load_settings(), data_dir=tmp_path / "data")


def test_offline_badge_says_no_model(service):
    assert "离线规则引擎" in service.badge() and "未配置大模型" in service.badge()
    assert service.badge_hint() == ""  # no environment-variable names for every user to read


def test_draft_edit_undo_redo_and_persistence(service, tmp_path):
    v = service.chat("alice", None, PROSE, [])
    assert v.draft_id and any(r[4] == "≥47000人" for r in v.rows)
    assert v.suggested_rows and all("建议" in v.rows[i][6] for i in v.suggested_rows if v.draft.indicators[i].origin.value == "suggested")
    errors_before = v.report.summary()["errors"]
    i = next(f.row for f in v.report.errors if f.code == "R24")  # a suggested row still waiting for its number
    filled = v.rows[i][4].replace("（待填）", "3")
    v2 = service.edit_cell("alice", v.draft_id, i, 4, filled)
    assert v2.rows[i][4] == filled and v2.rows[i][6] == "用户填写"
    assert v2.report.summary()["errors"] == errors_before - 1 and v2.can_undo
    v3 = service.undo("alice", v.draft_id)
    assert v3.rows[i][4] != filled and v3.can_redo
    v4 = service.redo("alice", v.draft_id)
    assert v4.rows[i][4] == filled
    # a server restart (a new service on the same database) finds the draft as it was
    again = create_service(load_settings(), data_dir=tmp_path / "data")
    assert again.open(v.draft_id, "alice").rows == v4.rows
    assert again.open(v.draft_id, "mallory").draft is None  # another user's draft is not theirs to open
    assert service.recent("alice")[0][1] == v.draft_id and service.recent("bob") == []


def test_chat_commands_and_unknown_instruction(service):
    v = service.chat("a", None, PROSE, [])
    v = service.chat("a", v.draft_id, "满意度改成≥95%", [])
    assert "≥95%" in v.reply and any(r[4] == "≥95%" for r in v.rows)
    n = len(v.rows)
    v = service.chat("a", v.draft_id, "删除第1行", [])
    assert len(v.rows) == n - 1
    v2 = service.chat("a", v.draft_id, "请把表格变得更好", [])
    assert "离线规则只能逐项修改" in v2.reply and v2.rows == v.rows


def test_numbers_left_out_are_listed_and_can_be_added(service):
    text = "根据〔2022〕35号文件，全县常住人口45万，全年培训乡村医生不少于500人次，居民满意度90%以上。"
    v = service.chat("a", None, text, [])
    assert "没有写进表的数字" in v.reply and "〔2022〕35号 — 文号" in v.reply and "常住人口45万" in v.reply
    choices = v.figure_choices()
    assert [c[0] for c in choices] == ["全县常住人口45万 — 人口、存量等基本情况，不是目标"]  # a doc number is not offered
    n = len(v.rows)
    v2 = service.add_figure("a", v.draft_id, choices[0][1])
    assert len(v2.rows) == n + 1 and any(r[3] == "常住人口数量" and r[4] == "≥45万" for r in v2.rows)
    assert v2.figure_choices() == []  # once in the table it is no longer offered
    assert service.add_figure("a", v.draft_id, 5).error and len(service.view(v.draft_id).rows) == n + 1


def test_bad_cell_value_keeps_draft(service):
    v = service.chat("a", None, PROSE, [])
    bad = service.edit_cell("a", v.draft_id, 0, 0, "第一")
    assert bad.error and bad.rows == v.rows
    src = service.edit_cell("a", v.draft_id, 0, 6, "x")
    assert "来源" in src.reply and src.rows == v.rows


def test_save_table_safety_net(service):
    v = service.chat("a", None, PROSE, [])
    rows = [list(r) for r in v.rows]
    rows[0][3] = "企业职工养老保险在职参保人数"
    rows.append(["1", "产出指标", "数量指标", "政策宣传活动次数", "≥12次", "计划标准", ""])
    v2 = service.save_table("a", v.draft_id, rows)
    assert v2.rows[0][3] == "企业职工养老保险在职参保人数"
    assert any(r[3] == "政策宣传活动次数" and r[1] == "产出指标" for r in v2.rows)  # placed with its goal and tier
    assert "已保存 2 处" in v2.reply


def test_findings_fix_one_and_all(service, seed_path):
    v = service.upload("a", None, str(seed_path))
    assert "错误" in v.reply and v.fix_choices()
    label, idx = v.fix_choices()[0]
    v2 = service.apply_finding("a", v.draft_id, idx)
    assert v2.reply.startswith("已修正")
    v3 = service.fix_everything("a", v.draft_id)
    assert "已自动修正" in v3.reply
    assert v3.report.summary()["errors"] < v.report.summary()["errors"]


@pytest.mark.parametrize("name,data,ok", [
    ("form.json", None, True), ("form.xlsx", None, True), ("rows.csv", "一级指标,二级指标,指标名称,指标值\n产出指标,数量指标,培训人次,≥100人次\n".encode(), True),
    ("prose.txt", PROSE.encode(), True), ("junk.xlsx", b"not a workbook" * 10, False), ("evil.exe", b"MZ", False),
    ("broken.docx", b"PK\x03\x04 broken", False), ("empty.json", b"", False)])
def test_uploads(service, tmp_path, seed_path, name, data, ok):
    if data is None:
        data = seed_path.read_bytes() if name.endswith(".json") else render(load_draft(seed_path), "xlsx")
    p = tmp_path / name
    p.write_bytes(data)
    before = service.chat("a", None, PROSE, [])
    v = service.upload("a", before.draft_id, str(p))
    if ok:
        assert v.draft is not None and not v.error and v.draft_id != before.draft_id
    else:
        assert v.error and v.draft_id == before.draft_id and v.rows == before.rows  # the current draft is kept
        assert str(tmp_path) not in v.error  # no server paths in messages


def test_exports_open(service, tmp_path):
    v = service.chat("a", None, PROSE, [])
    for fmt in ("xlsx", "docx", "csv", "json"):
        path = Path(service.export(v.draft_id, fmt))
        assert path.exists() and path.stat().st_size > 0 and str(service.export_dir) in str(path)
    assert load_draft(Path(service.export(v.draft_id, "xlsx"))).indicators[0].value == v.rows[0][4]
    assert service.export(None, "xlsx") is None


def test_user_text_is_escaped(service):
    v = service.chat("a", None, "项目名称:<script>alert(1)</script>培训。年度目标:全年培训教师600人次。", [])
    assert "<script>" not in v.findings_markdown()


def test_twenty_sessions_at_once_no_errors_no_cross_talk(service):
    results: dict[int, object] = {}
    errors: list[BaseException] = []

    def work(i: int):
        try:
            text = f"项目名称:第{i}号培训项目。年度目标:全年培训学员{100 + i}人次,培训合格率不低于95%。"
            v = service.chat(f"user{i}", None, text, [])
            v = service.chat(f"user{i}", v.draft_id, "满意度改成≥96%", [])
            results[i] = v
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    for i, v in results.items():
        values = {r[4] for r in v.rows}
        assert f"≥{100 + i}人次" in values
        assert not any(f"≥{100 + j}人次" in values for j in range(20) if j != i)
        assert service.store.owner_of(v.draft_id) == f"user{i}"


def test_store_on_any_sqlalchemy_url(tmp_path):
    store = DraftStore(f"sqlite:///{tmp_path / 'x.db'}")
    from assistant.core.model import Draft

    did, rev = store.create("o", Draft())
    assert rev == 1 and store.save(did, Draft(), "second") == 2
    assert store.move(did, -1)[0] == 1 and store.save(did, Draft(), "branch") == 2  # the redo branch is dropped
    assert [r for r, _, _ in store.history(did)] == [1, 2]


# --- the launched app, driven through gradio_client ---------------------------------------------------

@pytest.fixture
def launched(tmp_path):
    from assistant.app.ui import launch

    service = create_service(load_settings(), data_dir=tmp_path / "data")
    _, demo = launch(service, port=0 if False else _free_port(), prevent_thread_lock=True, quiet=True)
    yield demo, service
    demo.close()


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_gradio_client_draft_revise_export(launched):
    from gradio_client import Client

    demo, service = launched
    client = Client(demo.local_url, verbose=False)
    def grid(out):
        tables = [x.get("value", x) for x in out if isinstance(x, dict)]
        return next(t for t in tables if isinstance(t, dict) and "目标" in t.get("headers", []))["data"]

    out = client.predict(PROSE, [], api_name="/chat")
    assert any("≥47000人" in r for r in grid(out))
    out = client.predict("满意度改成≥95%", out[0], api_name="/chat")
    assert any("≥95%" in r for r in grid(out))
    result = client.predict(api_name="/export_xlsx")
    path = result.get("value", result) if isinstance(result, dict) else result
    path = path.get("path", path) if isinstance(path, dict) else path
    assert Path(path).exists() and load_draft(Path(path)).indicators
    assert "ASSISTANT_LLM_API_KEY" not in json.dumps(client.view_api(print_info=False, return_format="dict"))


def test_upload_several_forms_gives_the_summary_and_a_draft_each(service, tmp_path):
    forms = ROOT / "tests" / "fixtures" / "forms"
    paths = []
    for name in ("xl-proj-2020.xlsx", "doc-proj-2020.docx", "pdf-selfeval.pdf"):
        (tmp_path / name).write_bytes((forms / name).read_bytes())
        paths.append(str(tmp_path / name))
    (tmp_path / "bad.xlsx").write_bytes(b"nope")
    paths.append(str(tmp_path / "bad.xlsx"))
    v = service.upload("a", None, paths)
    assert "已审核 4 份表格，读取 3 份" in v.reply
    assert len(v.batch) == 4 and v.batch_ids[3] is None and all(v.batch_ids[:3])
    assert v.batch[2][2] == "项目自评表" and v.batch[0][1] == "武汉市青山区教育局"
    assert service.open(v.batch_ids[0], "a").draft.header.project_name.startswith("教育系统")
    from openpyxl import load_workbook

    assert load_workbook(v.batch_file).sheetnames[:2] == ["表格一览", "全部问题"]
    lines = [line for line in v.reply.splitlines() if line[:1].isdigit()]
    assert len(lines) == 4 and "武汉市青山区教育局" in lines[0] and "未能读取" in lines[3]
    assert "项目自评表" in lines[2]
    assert v.draft is not None and len(v.draft.indicators) == 10  # the last form read is shown
    assert len(service.store.recent("a")) == 3  # one draft per form read, each openable from 选择草稿


def test_a_filled_word_form_is_read_as_a_form(service, tmp_path):
    p = tmp_path / "form.docx"
    p.write_bytes((ROOT / "tests" / "fixtures" / "forms" / "doc-proj-2020.docx").read_bytes())
    v = service.upload("a", None, str(p))
    assert v.draft is not None and len(v.draft.indicators) == 12 and "已读取 form.docx" in v.reply


def test_fix_list_offers_only_fixes_for_findings_it_shows(service, seed_path):
    from assistant.core.findings import Severity

    v = service.upload("a", None, str(seed_path))
    offered = [v.report.findings[i] for _, i in v.fix_choices()]
    assert offered and all(f.severity is not Severity.INFO and f.applicable for f in offered)
    assert all(not label.startswith("[") for label, _ in v.fix_choices())  # no rule codes in the UI
    assert f"可一键修正 {len(offered)} 项" in v.findings_markdown()


def test_pdf_upload_reads_the_form(service, tmp_path):
    p = tmp_path / "f.pdf"
    p.write_bytes((ROOT / "tests" / "fixtures" / "forms" / "pdf-proj-2020.pdf").read_bytes())
    v = service.upload("a", None, str(p))
    assert v.draft is not None and len(v.draft.indicators) == 12 and "已读取 f.pdf" in v.reply


def test_export_name_and_one_block_per_tier(service):
    from assistant.app.service import export_name
    from assistant.core.io import render
    from openpyxl import load_workbook
    import io

    v = service.chat("a", None, PROSE, [])
    v = service.chat("a", v.draft_id, "在数量指标下添加：政策宣传场次 ≥12场", [])
    d = v.draft
    assert d.indicators[-1].name == "政策宣传场次" or any(r.name == "政策宣传场次" for r in d.indicators)
    name = export_name(d)
    assert name.count("绩效目标申报表") == 1 and str(d.header.year) in name
    from assistant.core.io.layout import indicator_tables

    for table in indicator_tables(d):  # each 一级 and each 二级 one contiguous block
        keys = [(r.tier1, r.tier2) for r in table.rows]
        runs = [k for i, k in enumerate(keys) if i == 0 or keys[i - 1] != k]
        assert len(runs) == len(set(runs)), runs
    ws = load_workbook(io.BytesIO(render(d, "xlsx"))).active
    assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4 and ws.print_title_rows and "规则版本" not in str([c.value for row in ws.iter_rows() for c in row])
    path = service.export(v.draft_id, "docx")
    assert path.endswith(f"{name}.docx")


def test_funding_lines_are_editable_and_shares_computed(service, seed_path):
    v = service.upload("a", None, str(seed_path))
    rows = v.funding_rows()
    assert rows[0][:2] == ["收入", "财政拨款"] or any(r[0] == "收入" for r in rows)
    edited = [r[:] for r in rows]
    for r in edited:
        if r[0] == "支出" and r[1] == "基本支出":
            r[2] = "346.80"
        if r[0] == "支出" and r[1] == "项目支出":
            r[2] = "20"
    v2 = service.save_funding("a", v.draft_id, edited)
    assert v2.error is None and "占比" in v2.reply
    exp = {ln.name: ln for ln in v2.draft.funding.expense}
    assert exp["基本支出"].amount == 346.8 and exp["项目支出"].share == "5.45%"
    assert exp["基本支出"].history == {ln.name: ln for ln in v.draft.funding.expense}["基本支出"].history
    bad = service.save_funding("a", v.draft_id, [["支出", "基本支出", "三百万", ""]])
    assert bad.error and "不是数字" in bad.error and bad.draft.funding == v2.draft.funding  # nothing lost
    back = service.undo("a", v.draft_id)
    assert {ln.name: ln.amount for ln in back.draft.funding.expense}["基本支出"] == 356.8


def test_browser_secret_is_stable_private_and_overridable(tmp_path, monkeypatch):
    import os
    import stat

    from assistant.config import browser_secret, load_settings

    monkeypatch.delenv("ASSISTANT_SECRET", raising=False)
    s = load_settings()
    first = browser_secret(s, tmp_path)
    assert len(first) >= 32 and browser_secret(s, tmp_path) == first  # the same key after a restart
    mode = stat.S_IMODE(os.stat(tmp_path / "browser-secret.key").st_mode)
    assert mode == 0o600
    monkeypatch.setenv("ASSISTANT_SECRET", "office-wide-secret")
    assert browser_secret(load_settings(), tmp_path / "other") == "office-wide-secret"
    assert not (tmp_path / "other" / "browser-secret.key").exists()


def test_start_from_last_years_form(service, tmp_path):
    import json as _json

    from assistant.core.io import render

    filed = ROOT / "evals" / "cases" / "filed"
    last = load_draft(filed / "xiangtan_huanwei_2023_wupaoche.json")
    p = tmp_path / "上年.xlsx"
    p.write_bytes(render(last, "xlsx"))
    text = _json.loads((filed / "xiangtan_huanwei_2024_wupaoche.json").read_text(encoding="utf-8"))["prose"]
    v = service.start_from_last_year("a", str(p), text)
    assert v.error is None and "从上年表格开始" in v.reply and v.draft.header.year == 2024
    assert v.layout.columns[5:7] == ["上年→本年", "变动原因"]
    by = {row[3]: row for row in v.rows}
    assert by["服务周期"][5] == "2023.07-2024.01 → 2024.07-2025.01 改"
    assert any("未提及" in row[8] for row in v.rows) and any("→" in row[5] for row in v.rows)
    bad = service.start_from_last_year("a", str(tmp_path / "none.xlsx"))
    assert bad.error


def _rolled(service, tmp_path):
    import json as _json

    from assistant.core.io import render

    filed = ROOT / "evals" / "cases" / "filed"
    p = tmp_path / "上年.xlsx"
    p.write_bytes(render(load_draft(filed / "xiangtan_huanwei_2023_wupaoche.json"), "xlsx"))
    text = _json.loads((filed / "xiangtan_huanwei_2024_wupaoche.json").read_text(encoding="utf-8"))["prose"]
    return service.start_from_last_year("a", str(p), text)


def test_only_changed_rows_and_edits_through_the_filter(service, tmp_path):
    """The filtered grid shows changed rows only; an edit on its line N edits that row, not the draft's Nth."""
    v = _rolled(service, tmp_path)
    d = v.draft
    all_rows, all_ids = v.table()
    rows, ids = v.table(only_changed=True)
    assert len(all_rows) == len(d.indicators) and 0 < len(rows) < len(all_rows)
    assert all(row[5] == "本年新增" or "→" in row[5] for row in rows)
    assert ids != all_ids[:len(ids)]  # the filter really skips rows, so positions differ
    target = ids[-1]
    v2 = service.edit_cell("a", v.draft_id, len(ids) - 1, 6, "环卫作业面积调整", row_ids=ids)
    assert v2.error is None
    edited = v2.draft.indicators[v2.draft.row_index(target)]
    assert edited.change_reason == "环卫作业面积调整"
    assert [r.change_reason for r in v2.draft.indicators if r.id != target] == [None] * (len(d.indicators) - 1)
    # the change column is made, not typed
    v3 = service.edit_cell("a", v.draft_id, 0, 5, "随便", row_ids=ids)
    assert "自动生成" in v3.reply and v3.draft.indicators == v2.draft.indicators
    # saving the filtered grid leaves the rows it doesn't show alone
    rows2, ids2 = v3.table(only_changed=True)
    rows2[0][4] = "≥99%" if "%" in rows2[0][4] else rows2[0][4]
    v4 = service.save_table("a", v.draft_id, rows2, row_ids=ids2)
    assert len(v4.draft.indicators) == len(d.indicators)
    # a stale line (the row is gone) is refused, never applied to another row
    all4, ids4 = v4.table()
    gone = service.save_table("a", v.draft_id, all4[:-1])  # the whole grid minus its last line
    assert len(gone.draft.indicators) == len(d.indicators) - 1 and gone.draft.row_index(ids4[-1]) is None
    stale = service.edit_cell("a", v.draft_id, 0, 4, "≥1次", row_ids=[ids4[-1]])
    assert stale.error and "不在草稿" in stale.error


def test_change_reason_clears_the_change_warning(service, tmp_path):
    v = _rolled(service, tmp_path)
    rows, ids = v.table()
    lowered = [i for i, row in enumerate(rows) if row[5].endswith("↓")]
    if not lowered:  # make one: a ≥ target lowered
        i = next(i for i, r in enumerate(v.draft.indicators) if r.value.startswith("≥") and r.previous)
        v = service.edit_cell("a", v.draft_id, i, 4, "≥1", row_ids=ids)
        lowered = [i]
    codes = [f.message for f in v.report.findings if "没有写变动原因" in f.message]
    assert codes
    v = service.edit_cell("a", v.draft_id, lowered[0], 6, "作业范围缩小", row_ids=ids)
    assert not [f for f in v.report.findings if "没有写变动原因" in f.message and f.row == lowered[0]]


def test_old_downloads_are_removed_and_the_folder_goes_with_the_service(tmp_path):
    import gc
    import os
    import time as _time

    svc = create_service(load_settings(), data_dir=tmp_path / "data")
    v = svc.chat("a", None, (ROOT / "examples" / "prose-teacher-training-2025.txt").read_text(encoding="utf-8"), [])
    first = Path(svc.export(v.draft_id, "json"))
    day_ago = _time.time() - 2 * 24 * 3600
    os.utime(first.parent, (day_ago, day_ago))
    second = Path(svc.export(v.draft_id, "csv"))
    assert second.exists() and not first.parent.exists()
    folder = svc.export_dir
    del svc, v
    gc.collect()
    assert not folder.exists()


@pytest.mark.parametrize("message", ["第{n}行变动原因：作业范围调整", "第{n}行的变动原因写成作业范围调整",
                                     "把第{n}行调整原因改为作业范围调整"])
def test_change_reason_by_message(service, tmp_path, message):
    v = _rolled(service, tmp_path)
    n = next(i for i, r in enumerate(v.draft.indicators, 1) if r.previous is not None)
    before = v.draft.indicators[n - 1]
    v2 = service.chat("a", v.draft_id, message.format(n=n), [])
    after = v2.draft.indicators[n - 1]
    assert after.change_reason == "作业范围调整" and after.value == before.value
    assert after.origin is before.origin  # a reason doesn't confirm a carried value
    assert len(v2.draft.indicators) == len(v.draft.indicators)
