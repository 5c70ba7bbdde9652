"""App speed: time to ready, offline draft shown in the browser, and 20 concurrent browser sessions.

    python benchmarks/app.py [--sessions 20]

Needs Debian chromium (/usr/bin/chromium) and the playwright package.
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROSE = (ROOT / "examples" / "prose-guangshui-2020.txt").read_text(encoding="utf-8")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, data: str) -> tuple[subprocess.Popen, float]:
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "assistant", "serve", "--port", str(port), "--data-dir", data],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while time.perf_counter() - t0 < 60:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
            return proc, time.perf_counter() - t0
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise SystemExit("server did not start")


async def open_session(browser, url: str):
    ctx = await browser.new_context(viewport={"width": 1366, "height": 768})
    page = await ctx.new_page()
    await page.goto(url)
    await page.wait_for_selector("#message textarea", timeout=120000)
    return ctx, page


async def draft_in(page, i: int) -> tuple[float, bool]:
    text = f"项目名称:第{i}号培训项目。年度目标:全年培训学员{1000 + i}人次,培训合格率不低于95%。"
    await page.fill("#message textarea", text)
    t0 = time.perf_counter()
    await page.click("#send")
    js = "(document.querySelector('#draft-table')||{innerText:''}).innerText.includes('%s')"
    await page.wait_for_function(js % f"≥{1000 + i}人次", timeout=60000)
    dt = time.perf_counter() - t0
    body = await page.locator("#draft-table").inner_text()
    clean = not any(f"≥{1000 + j}人次" in body for j in range(100) if j != i)
    return dt, clean


async def one_session(browser, url: str, i: int) -> tuple[float, bool]:
    ctx, page = await open_session(browser, url)
    try:
        return await draft_in(page, i)
    finally:
        await ctx.close()


async def run(url: str, sessions: int) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                          args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        single = [await one_session(browser, url, 90 + k) for k in range(3)]
        print(f"offline draft shown after the click (1 session): median {statistics.median(t for t, _ in single):.2f} s")
        # open the pages one after another (2 cores render them), then draft in all of them at once
        opened = [await open_session(browser, url) for _ in range(sessions)]
        t0 = time.perf_counter()
        results = await asyncio.gather(*(draft_in(page, i) for i, (_, page) in enumerate(opened)),
                                       return_exceptions=True)
        errors = [r for r in results if isinstance(r, BaseException)]
        for e in errors[:3]:
            print("error:", type(e).__name__, str(e)[:200])
        ok = [r for r in results if not isinstance(r, BaseException)]
        print(f"{sessions} concurrent sessions: {len(ok)} drafted, {len(errors)} errors, "
              f"{sum(1 for _, c in ok if not c)} with another session's rows; "
              f"median {statistics.median([t for t, _ in ok] or [0]):.2f} s, max {max([t for t, _ in ok] or [0]):.2f} s, "
              f"wall {time.perf_counter() - t0:.1f} s")
        for ctx, _ in opened:
            await ctx.close()
        await browser.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sessions", type=int, default=20)
    args = ap.parse_args()
    port = free_port()
    with tempfile.TemporaryDirectory() as data:
        proc, ready = start_server(port, data)
        print(f"app ready {ready:.2f} s after start")
        try:
            asyncio.run(run(f"http://127.0.0.1:{port}/", args.sessions))
        finally:
            proc.terminate()
            proc.wait(10)


if __name__ == "__main__":
    main()
