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
EXPECTED = sorted((FORMS / "expected").glob("*.json"))


def nv(s) -> str:
    """Compare as a reader sees it: no whitespace, one spelling of the operators."""
    if s is None:
        return ""
    return re.sub(r"\s+", "", str(s)).replace(">=", "≥").replace("<=", "≤").replace("＝", "=")


def test_there_are_enough_layouts():
    files = {json.loads(p.read_text(encoding="utf-8"))["file"] for p in EXPECTED}
    assert len(files) >= 15
    assert {f.rsplit(".", 1)[1] for f in files} >= {"xlsx", "xls", "docx", "pdf"}


@pytest.mark.parametrize("exp_path", EXPECTED, ids=[p.name.removesuffix(".json") for p in EXPECTED])
def test_fixture_reads_as_expected(exp_path):
    exp = json.loads(exp_path.read_text(encoding="utf-8"))
    data = (FORMS / exp["file"]).read_bytes()
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
    if exp.get("funding_total") is not None:
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
