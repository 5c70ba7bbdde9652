"""Start from last year's form: the year moves on, carried values are marked, this year's text updates rows."""

from __future__ import annotations

import json
import subprocess

import pytest
import sys
from io import BytesIO

from openpyxl import load_workbook

from assistant.core.io import load_draft, render
from assistant.core.model import Origin
from assistant.core.validator import validate
from assistant.engines.rollforward import CARRIED, NOT_MENTIONED, roll_forward
from assistant.core.change import change_label

from .conftest import ROOT

FILED = ROOT / "evals" / "cases" / "filed"


def test_department_form_rolls_forward():
    last = load_draft(ROOT / "examples" / "filed-form-guangshui-2020.json")
    out = roll_forward(last)
    d = out.draft
    assert d.header.year == 2021
    assert all(r.origin is Origin.SUGGESTED and r.note == CARRIED and r.previous is not None for r in d.indicators)
    assert [r.previous for r in d.indicators] == [r.value for r in last.indicators]
    assert len(out.carried) == len(last.indicators) and "沿用上年" in out.summary()
    assert last.header.year == 2020 and last.indicators[0].origin is not Origin.SUGGESTED  # last year's untouched


def test_deadlines_and_periods_move_with_the_year():
    last = load_draft(FILED / "xiangtan_huanwei_2023_wupaoche.json")
    d = roll_forward(last).draft
    by = {r.name: r for r in d.indicators}
    assert by["服务周期"].value == "2024.07-2025.01" and by["服务周期"].previous == "2023.07-2024.01"


def test_project_form_updated_from_this_years_text():
    last = load_draft(FILED / "xiangtan_huanwei_2023_wupaoche.json")
    text = json.loads((FILED / "xiangtan_huanwei_2024_wupaoche.json").read_text(encoding="utf-8"))["prose"]
    out = roll_forward(last, text)
    d = out.draft
    updated = [r for r in d.indicators if r.origin is Origin.EXTRACTED]
    assert {r.name for r in updated} == set(out.replaced) and len(updated) >= 2
    assert all(r.previous is not None for r in updated)  # matched to last year's row by meaning
    kept = [r for r in d.indicators if r.note == NOT_MENTIONED]
    assert kept and all(r.origin is Origin.SUGGESTED for r in kept) and set(out.unmentioned) == {r.name for r in kept}
    assert d.header.year == 2024


def test_change_sheet_in_the_export():
    last = load_draft(FILED / "xiangtan_huanwei_2023_wupaoche.json")
    text = json.loads((FILED / "xiangtan_huanwei_2024_wupaoche.json").read_text(encoding="utf-8"))["prose"]
    d = roll_forward(last, text).draft
    wb = load_workbook(BytesIO(render(d, "xlsx", validate(d))))
    ws = wb["指标值变动情况"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=3)]
    assert len(rows) == len(d.indicators)
    assert [r[3] for r in rows] == [r.previous if r.previous is not None else "（上年无）" for r in d.indicators]
    assert all(r[5] in ("↑", "↓", "=", "改", "新增") for r in rows)


def test_change_labels():
    assert change_label("≥1000人", "≥1200人") == "↑" and change_label("≥95%", "≥90%") == "↓"
    assert change_label("≥95%", "≥95%") == "=" and change_label(None, "≥1人") == "新增"


def test_cli_draft_from_last_year(tmp_path):
    last = tmp_path / "last.xlsx"
    d = load_draft(FILED / "xiangtan_huanwei_2023_wupaoche.json")
    last.write_bytes(render(d, "xlsx"))
    text = tmp_path / "this.txt"
    text.write_text(json.loads((FILED / "xiangtan_huanwei_2024_wupaoche.json").read_text(encoding="utf-8"))["prose"],
                    encoding="utf-8")
    out = tmp_path / "this.xlsx"
    p = subprocess.run([sys.executable, "-m", "assistant", "draft", "--from", str(last), str(text), "-o", str(out)],
                       capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert p.returncode == 0, p.stdout + p.stderr
    assert "从上年表格开始" in p.stdout and "指标值变动情况" in p.stdout
    assert "指标值变动情况" in load_workbook(out).sheetnames


def test_rolled_forward_from_last_years_self_evaluation():
    """Last year's 自评表 → this year's 申报表: targets carried, actuals kept beside them, scores dropped."""
    from assistant.core.io.forms import read_form_bytes
    from assistant.core.model import FormType

    forms = ROOT / "tests" / "fixtures" / "forms"
    last = read_form_bytes((forms / "xl-selfeval-chongqing.xlsx").read_bytes(), "x.xlsx").draft
    d = roll_forward(last).draft
    assert d.form is FormType.TARGET and d.execution is None and d.total_score is None
    assert d.header.year == last.header.year + 1
    assert all(r.score is None and r.weight is None for r in d.indicators)
    assert [r.previous_actual for r in d.indicators] == [r.actual for r in last.indicators]
    assert [x.name for x in d.last_year_rows] == [r.name for r in last.indicators]


@pytest.mark.parametrize("fmt", ["xlsx", "docx", "json"])
def test_the_same_roll_forward_from_each_layout(fmt, tmp_path):
    """Last year's form saved as Excel, Word or JSON rolls forward to the same rows."""
    from assistant.core.io import load_draft_bytes

    last = load_draft(FILED / "xiangtan_huanwei_2023_wupaoche.json")
    back = load_draft_bytes(render(last, fmt), f"last.{fmt}")
    text = json.loads((FILED / "xiangtan_huanwei_2024_wupaoche.json").read_text(encoding="utf-8"))["prose"]
    a, b = roll_forward(last, text).draft, roll_forward(back, text).draft
    key = lambda d: sorted((r.name, r.value, r.previous) for r in d.indicators)  # noqa: E731
    assert key(a) == key(b)


def test_change_page_in_word():
    from docx import Document

    last = load_draft(FILED / "xiangtan_huanwei_2023_wupaoche.json")
    d = roll_forward(last).draft
    doc = Document(BytesIO(render(d, "docx")))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "指标值变动情况" in text
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "上年指标值" in cells and "2023.07-2024.01" in cells and "2024.07-2025.01" in cells
