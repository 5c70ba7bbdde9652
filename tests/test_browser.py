"""The app in a real browser (Debian chromium + Playwright): draft, edit a cell, export, reload."""

from __future__ import annotations

import os
import re
import shutil
import socket
import time
from pathlib import Path

import pytest

from .conftest import ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(os.environ.get("BROWSER_ARTIFACTS", ROOT / "tests" / "artifacts"))
PROSE = (ROOT / "examples" / "prose-guangshui-2020.txt").read_text(encoding="utf-8")

pytestmark = pytest.mark.browser


def _require_browser():
    try:
        import playwright  # noqa: F401
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("playwright is not installed")
        pytest.skip("playwright is not installed")
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed (.ci/run installs it with apt-get)")
        pytest.skip("chromium is not installed")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def app_url(tmp_path):
    _require_browser()
    from assistant.app import create_service
    from assistant.app.ui import launch
    from assistant.config import load_settings

    service = create_service(load_settings(), data_dir=tmp_path / "data")
    _, demo = launch(service, port=_free_port(), prevent_thread_lock=True, quiet=True)
    yield demo.local_url
    demo.close()


@pytest.fixture
def page():
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                                          "--disable-component-update", "--no-first-run", "--disable-sync"])
        context = browser.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True, locale="zh-CN")
        yield context.new_page()
        context.close()
        browser.close()


def _errors(page) -> int:
    m = re.search(r"错误 (\d+) 项", page.locator("#findings").inner_text())
    return int(m.group(1)) if m else -1


def test_draft_edit_export_reload(app_url, page, tmp_path):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.goto(app_url)
    page.wait_for_selector("#message textarea", timeout=30000)
    page.fill("#message textarea", PROSE)
    t0 = time.perf_counter()
    page.click("#send")
    page.wait_for_function("(document.querySelector('#draft-table')||{innerText:''}).innerText.includes('47000')", timeout=30000)
    shown_after = time.perf_counter() - t0
    table_text = page.locator("#draft-table").inner_text()
    assert "≥47000人" in table_text and "≥32500人" in table_text and "建议，待确认" in table_text
    page.wait_for_function("(document.querySelector('#findings')||{innerText:''}).innerText.includes('错误')", timeout=10000)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(ARTIFACTS / "app-drafted.png"))
    before = _errors(page)

    # edit the first placeholder value: the findings update at once
    cells = page.locator('#draft-table [data-col="4"]')
    idx = next(i for i in range(cells.count()) if "待填" in cells.nth(i).inner_text())
    cells.nth(idx).dblclick()
    editor = page.locator("#draft-table textarea, #draft-table input").first
    editor.fill("2020年12月底前")
    editor.press("Enter")
    page.wait_for_function(f"!(document.querySelector('#findings')||{{innerText:''}}).innerText.includes('错误 {before} 项')",
                           timeout=15000)
    assert _errors(page) == before - 1
    assert "2020年12月底前" in page.locator("#draft-table").inner_text()

    # export Excel: one click downloads the file
    with page.expect_download(timeout=30000) as dl:
        page.click("#export-xlsx")
    assert dl.value.suggested_filename.endswith("部门整体支出绩效目标申报表.xlsx")
    saved = tmp_path / "download.xlsx"
    dl.value.save_as(str(saved))
    from openpyxl import load_workbook

    cells_text = {str(c.value) for row in load_workbook(saved).active.iter_rows() for c in row if c.value}
    assert "≥47000人" in cells_text and "2020年12月底前" in cells_text

    # reload: the draft and the conversation are still there
    page.reload()
    page.wait_for_function("(document.querySelector('#draft-table')||{innerText:''}).innerText.includes('2020年12月底前')", timeout=30000)
    assert "已起草" in page.locator("#chat, .chatbot, [data-testid='bot']").first.inner_text() or \
        "已起草" in page.content()
    page.screenshot(path=str(ARTIFACTS / "app-reloaded.png"), full_page=True)
    print(f"offline draft shown {shown_after:.2f}s after the click")


def test_several_forms_uploaded_at_once(app_url, page):
    """A reviewer drops four files on the app: the summary table lists them, a row opens that form."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    forms = ROOT / "tests" / "fixtures" / "forms"
    files = [str(forms / n) for n in ("xl-proj-2020.xlsx", "doc-proj-central-2021.docx", "pdf-selfeval.pdf",
                                      "xl-dept-province-a.xlsx")]
    page.goto(app_url)
    page.wait_for_selector("#upload", timeout=30000)
    with page.expect_file_chooser() as fc:
        page.click("#upload")
    fc.value.set_files(files)
    page.wait_for_function("document.querySelector('#batch') && "
                           "document.querySelector('#batch').innerText.includes('xl-dept-province-a.xlsx')",
                           timeout=60000)
    text = page.locator("#batch").inner_text()
    assert "武汉市青山区教育局" in text and "项目自评表" in text and "部门整体目标申报表" in text
    page.screenshot(path=str(ARTIFACTS / "batch-review.png"), full_page=True)
    # the last form is shown; clicking the first row opens the first
    page.locator("#batch").get_by_text("xl-proj-2020.xlsx", exact=True).click()
    page.wait_for_function("document.querySelector('#draft-table').innerText.includes('重点建设工程安排数量')",
                           timeout=30000)
    assert page.locator("#batch-file").count() == 1


def test_second_draft_and_routing_buttons(app_url, page):
    """A new description with a draft open starts a second draft; an unclear message offers two buttons."""
    page.goto(app_url)
    page.wait_for_selector("#message textarea", timeout=30000)
    page.fill("#message textarea", PROSE)
    page.click("#send")
    page.wait_for_function("(document.querySelector('#draft-table')||{innerText:''}).innerText.includes('47000')",
                           timeout=30000)
    second = ("项目名称：2025年农村公路养护项目。主管部门：某县交通运输局；实施单位：某县公路事业发展中心。"
              "年度预算300万元，全年养护农村公路1200公里，路面技术状况指数保持在75以上，群众满意度不低于90%。")
    page.fill("#message textarea", second)
    page.click("#send")
    page.wait_for_function("document.querySelector('#draft-table').innerText.includes('1200')", timeout=30000)
    assert "47000" not in page.locator("#draft-table").inner_text()
    # a short text of targets is unclear: the assistant asks, the button decides
    page.fill("#message textarea", "养护桥梁15座，合格率95%")
    page.click("#send")
    page.wait_for_selector("#ask-revise", state="visible", timeout=30000)
    page.click("#ask-new")
    page.wait_for_function("document.querySelector('#draft-table').innerText.includes('15')"
                           " && !document.querySelector('#draft-table').innerText.includes('1200')", timeout=30000)
    # 新建草稿 empties the form; the earlier drafts stay in 最近的草稿
    page.click("#new-draft")
    page.wait_for_function("!document.querySelector('#draft-table').innerText.includes('15座')", timeout=30000)
    # an empty message gets a Chinese notice, not silence
    page.click("#send")
    page.wait_for_function("document.body.innerText.includes('请先输入内容')", timeout=10000)


def test_from_last_year_change_column_and_filter(app_url, page, tmp_path):
    """从上年表格开始 with this year's text: the 上年→本年 column, the changed-rows filter, an edit through it."""
    import json

    from assistant.core.io import load_draft, render

    filed = ROOT / "evals" / "cases" / "filed"
    last = tmp_path / "上年申报表.xlsx"
    last.write_bytes(render(load_draft(filed / "xiangtan_huanwei_2023_wupaoche.json"), "xlsx"))
    text = json.loads((filed / "xiangtan_huanwei_2024_wupaoche.json").read_text(encoding="utf-8"))["prose"]
    page.goto(app_url)
    page.wait_for_selector("#message textarea", timeout=30000)
    page.fill("#message textarea", text)
    with page.expect_file_chooser() as fc:
        page.click("#from-last-year")
    fc.value.set_files(str(last))
    page.wait_for_function("document.querySelector('#draft-table').innerText.includes('上年→本年')", timeout=60000)
    grid = page.locator("#draft-table").inner_text()
    assert "2023.07-2024.01 → 2024.07-2025.01" in grid and "未提及" in grid
    names = page.locator('#draft-table [data-col="3"]')
    total = names.count()
    page.locator("#only-changed input").check()
    page.wait_for_function(f"document.querySelectorAll('#draft-table [data-col=\"3\"]').length < {total}",
                           timeout=30000)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(ARTIFACTS / "from-last-year-filtered.png"), full_page=True)
    changes = page.locator('#draft-table [data-col="5"]')
    assert changes.count() >= 1 and all("（未变）" not in changes.nth(i).inner_text() for i in range(changes.count()))
    # write a 变动原因 on the last line shown: it lands on that row, whatever its place in the whole table
    last_line = names.count() - 1
    name = names.nth(last_line).inner_text().strip()
    page.locator('#draft-table [data-col="6"]').nth(last_line).dblclick()
    editor = page.locator("#draft-table textarea, #draft-table input").first
    editor.fill("作业范围调整")
    editor.press("Enter")
    page.wait_for_function("document.querySelector('#draft-table').innerText.includes('作业范围调整')", timeout=15000)
    page.locator("#only-changed input").uncheck()
    page.wait_for_function(f"document.querySelectorAll('#draft-table [data-col=\"3\"]').length === {total}",
                           timeout=30000)
    reasons = page.locator('#draft-table [data-col="6"]')
    with_reason = [names.nth(i).inner_text().strip() for i in range(total)
                   if "作业范围调整" in reasons.nth(i).inner_text()]
    assert with_reason == [name]


def _serve(port: int, data_dir: Path):
    import subprocess
    import sys
    import urllib.request

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("ASSISTANT_SECRET", None)  # the key file in the data directory must be enough
    proc = subprocess.Popen([sys.executable, "-m", "assistant", "serve", "--port", str(port), "--data-dir",
                             str(data_dir)], cwd=str(ROOT), env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
            return proc
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError("the server exited")
            time.sleep(0.5)
    proc.kill()
    raise RuntimeError("the server did not start")


def test_draft_survives_kill_and_restart(page, tmp_path):
    """Draft in the browser, kill -9 the server, start it again on the same data directory, reload."""
    import signal

    port = _free_port()
    data = tmp_path / "data"
    proc = _serve(port, data)
    try:
        page.goto(f"http://127.0.0.1:{port}/")
        page.wait_for_selector("#message textarea", timeout=30000)
        page.fill("#message textarea", PROSE)
        page.click("#send")
        page.wait_for_function("(document.querySelector('#draft-table')||{innerText:''}).innerText.includes('47000')",
                               timeout=60000)
        page.fill("#message textarea", "删除第三行")
        page.click("#send")
        page.wait_for_function("document.body.innerText.includes('删除原第3行')", timeout=30000)
        time.sleep(1.0)  # the browser writes its state after the reply
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    assert (data / "browser-secret.key").exists()
    proc = _serve(port, data)
    try:
        page.reload()
        page.wait_for_function("(document.querySelector('#draft-table')||{innerText:''}).innerText.includes('47000')",
                               timeout=60000)
        page.wait_for_function("document.body.innerText.includes('删除原第3行')", timeout=30000)  # the chat too
        assert "还没有草稿" not in page.locator("#findings").inner_text()
    finally:
        proc.kill()
        proc.wait(timeout=10)
