"""Filed forms in their own layouts (tests/fixtures/forms, hand-built after published templates; README there).

Each fixture's expectation was typed by hand from the printed form, separately from the builder."""

from __future__ import annotations

import json
import re

import pytest

from assistant.core.io import FormatError, load_form_bytes
from assistant.core.io.forms import read_form_bytes
from assistant.core.io.forms.grid import Grid, display
from assistant.core.io.forms.reader import compose_value, read_form, split_goals
from assistant.core.model import FormType, Kind

from .conftest import ROOT

FORMS = ROOT / "tests" / "fixtures" / "forms"
HOLDOUT = ROOT / "tests" / "fixtures" / "forms-holdout"  # built apart, measured after the reader was written
EXPECTED = sorted((FORMS / "expected").glob("*.json")) + sorted((HOLDOUT / "expected").glob("*.json"))


def nv(s) -> str:
    """Compare as a reader sees it: no whitespace, one spelling of the operators."""
    if s is None:
        return ""
    return re.sub(r"\s+", "", str(s)).replace(">=", "≥").replace("<=", "≤").replace("＝", "=")


def test_there_are_enough_layouts():
    files = {json.loads(p.read_text(encoding="utf-8"))["file"] for p in EXPECTED}
    assert len(files) >= 35
    assert {f.rsplit(".", 1)[1] for f in files} >= {"xlsx", "xls", "docx", "pdf"}


@pytest.mark.parametrize("exp_path", EXPECTED, ids=[p.name.removesuffix(".json") for p in EXPECTED])
def test_fixture_reads_as_expected(exp_path):
    exp = json.loads(exp_path.read_text(encoding="utf-8"))
    data = (exp_path.parent.parent / exp["file"]).read_bytes()
    if not exp["indicators"]:  # a template with nothing filled in: refused, saying what was found
        with pytest.raises(FormatError) as e:
            read_form_bytes(data, exp["file"])
        assert "没有填写指标名称" in str(e.value) and "读到了" in str(e.value)
        return
    d = read_form_bytes(data, exp["file"]).draft
    assert d.kind is Kind(exp["kind"]) and d.form is FormType(exp["form"])
    h = exp["header"]
    for key in ("unit", "department", "year", "period", "attribute"):
        assert nv(getattr(d.header, key)) == nv(h.get(key)), key
    if d.kind is Kind.PROJECT:
        assert nv(d.header.project_name) == nv(h.get("project_name"))
    elif h.get("project_name"):
        assert [p.name for p in d.projects] == [h["project_name"]]
    assert [nv(g.text) for g in d.goals] == [nv(g) for g in exp.get("goals") or []]
    if exp.get("funding_total") is not None and exp_path.parent.parent == FORMS:
        assert d.budget_wan() == pytest.approx(exp["funding_total"], abs=0.01)
    got = d.indicators
    assert len(got) == len(exp["indicators"]), [r.name for r in got]
    for i, (r, e) in enumerate(zip(got, exp["indicators"])):
        for key in ("tier1", "tier2", "name", "value"):
            assert nv(getattr(r, key)) == nv(e.get(key)), (i, key)
        if "standard" in e:  # 绩效标准 / 取值依据, or a 评分标准 column (kept apart from 绩效标准)
            assert nv(r.standard or r.extra.get("评(扣)分标准")) == nv(e["standard"]), i
        for key in ("actual", "deviation"):
            if key in e:
                assert nv(getattr(r, key)) == nv(e[key]), (i, key)
        for key in ("weight", "score"):
            if e.get(key) is not None:
                assert getattr(r, key) == pytest.approx(e[key]), (i, key)
        if e.get("goal"):
            assert r.goal == e["goal"], i
        assert r.scope.value == e.get("scope", "annual"), i
    ex = exp.get("execution")
    if ex:
        for key in ("initial", "full_year", "executed", "weight", "score"):
            assert getattr(d.execution, key) == pytest.approx(ex[key]), key
        assert nv(d.execution.rate) == nv(ex["rate"])
    if exp.get("total_score") is not None:
        assert d.total_score == pytest.approx(exp["total_score"])


def test_holdout_funding_totals():
    """The held-out expectations give the 中期 total on three forms whose README says the 年度 one is meant
    (annual indicators, annual money); the reader takes the 年度 column. Everything else must agree."""
    agree, differ = [], []
    for p in sorted((HOLDOUT / "expected").glob("*.json")):
        exp = json.loads(p.read_text(encoding="utf-8"))
        if exp.get("funding_total") is None:
            continue
        d = read_form_bytes((HOLDOUT / exp["file"]).read_bytes(), exp["file"]).draft
        same = d.budget_wan() is not None and abs(d.budget_wan() - exp["funding_total"]) <= 0.01
        (agree if same else differ).append(exp["file"])
    assert len(agree) >= 10, differ
    for name in differ:  # each difference is a form printing 中期 and 年度 side by side
        data = (HOLDOUT / name).read_bytes()
        from assistant.core.io.forms.sources import grids_from_bytes

        text = " ".join(t for g in grids_from_bytes(data, name) for row in g.rows for t in row)
        assert "中期" in text or "实施期" in text, name


def test_load_form_bytes_reports_what_was_read():
    exp = "xl-proj-2020.xlsx"
    d, summary = load_form_bytes((FORMS / exp).read_bytes(), exp)
    assert d.indicators and "8 行指标" in summary and "项目名称" in summary


def test_no_header_is_refused_in_chinese():
    with pytest.raises(FormatError) as e:
        read_form([Grid("表1", [["项目名称", "某项目"], ["说明", "没有指标"]])], "a.xlsx")
    assert "没有找到指标表的表头" in str(e.value) and "“表1”" in str(e.value)


@pytest.mark.parametrize("value,fmt,shown", [
    (0.95, "0%", "95%"), (0.9567, "0.00%", "95.67%"), (1, "0%", "100%"), (366.8, "#,##0.00", "366.80"),
    (47000.0, "General", "47000"), (0.1 + 0.2, "General", "0.3"), (None, "General", ""),
])
def test_cells_display_as_formatted(value, fmt, shown):
    assert display(value, fmt) == shown


@pytest.mark.parametrize("value,op,unit,out", [
    ("95", "≥", "%", "≥95%"), ("100", "＝", "%", "=100%"), ("好", "定性", "", "好"), ("≤5", "≤", "天", "≤5天"),
    ("95%", ">=", "%", "≥95%"), ("12", "正向", "个", "≥12个"), ("3", "反向指标", "次", "≤3次"),
])
def test_split_target_columns_compose(value, op, unit, out):
    assert compose_value(value, op, unit) == out


def test_goals_in_one_cell():
    assert split_goals("目标1：扩大覆盖面。目标2：提高准确率。") == ["扩大覆盖面。", "提高准确率。"]
    assert split_goals("1.完成培训\n2.提高就业") == ["完成培训", "提高就业"]
    assert split_goals("……") == []


@pytest.mark.parametrize("fmt", ["xlsx", "docx", "csv"])
@pytest.mark.parametrize("name", ["xl-selfeval-chongqing.xlsx", "xl-selfeval-dept.xls", "doc-selfeval.docx"])
def test_self_evaluation_exports_in_its_layout_and_reads_back(name, fmt):
    from assistant.core.io import render
    from assistant.core.validator import validate

    d = read_form_bytes((FORMS / name).read_bytes(), name).draft
    back = read_form_bytes(render(d, fmt, validate(d)), f"out.{fmt}").draft
    assert back.form is FormType.SELF_EVAL and (fmt == "csv" or back.kind is d.kind)
    key = lambda r: (nv(r.tier1), nv(r.tier2), nv(r.name), nv(r.value), nv(r.actual), r.weight, r.score, nv(r.deviation))  # noqa: E731
    assert [key(r) for r in back.indicators] == [key(r) for r in d.indicators]
    if fmt != "csv":  # the flat file carries the rows only
        assert back.execution == d.execution and back.total_score == d.total_score
        assert back.header.unit == d.header.unit and back.header.year == d.header.year
        assert [g.text for g in back.goals] == [g.text for g in d.goals]


def test_pdf_without_ruled_tables_says_so(tmp_path):
    """A PDF whose text has no table lines (the seed as a text PDF) is refused with what to do instead."""
    import asyncio

    pytest.importorskip("playwright")
    from playwright.async_api import async_playwright

    if not __import__("shutil").which("chromium"):
        pytest.skip("chromium not installed")
    text = (ROOT / "tests" / "fixtures" / "seed-raw-pdf.txt").read_text(encoding="utf-8")[:1500]

    async def make() -> bytes:
        async with async_playwright() as p:
            b = await p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            page = await b.new_page()
            await page.set_content(f"<p style='font-family:Noto Sans CJK SC'>{text}</p>")
            data = await page.pdf(format="A4")
            await b.close()
            return data

    data = asyncio.run(make())
    with pytest.raises(FormatError) as e:
        read_form_bytes(data, "seed.pdf")
    assert "没有带表格线的表格" in str(e.value) and "按文字起草" in str(e.value)
