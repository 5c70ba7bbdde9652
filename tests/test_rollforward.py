"""Start from last year's form: the year moves on, carried values are marked, this year's text updates rows."""

from __future__ import annotations

import json
import subprocess

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
import sys
from io import BytesIO

from openpyxl import load_workbook

from assistant.core.io import load_draft, render
from assistant.core.model import Origin
from assistant.core.values import parse
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


# --- generated year pairs -----------------------------------------------------------------------------------------
# last year's row (name on the form, tier2, unit, operator) and the words this year's prose uses for it
SUBJECTS = [
    ("培训中小学教师人次", "数量指标", "人次", "≥", "培训中小学教师"),
    ("新建农村公路里程", "数量指标", "公里", "≥", "新建农村公路"),
    ("送戏下乡演出场次", "数量指标", "场", "≥", "送戏下乡演出"),
    ("免费体检老年人数", "数量指标", "人", "≥", "为老年人免费体检"),
    ("河道保洁面积", "数量指标", "万平方米", "≥", "河道保洁面积"),
    ("法律援助案件办理数量", "数量指标", "件", "≥", "办理法律援助案件"),
    ("疫苗接种剂次", "数量指标", "剂次", "≥", "完成疫苗接种"),
    ("食品安全抽检批次", "数量指标", "批次", "≥", "开展食品安全抽检"),
    ("学生营养餐供餐天数", "质量指标", "天", "≥", "学生营养餐供餐天数"),
    ("人均培训成本", "成本指标", "元/人", "≤", "人均培训成本"),
]
TIER1 = {"数量指标": "产出指标", "质量指标": "产出指标", "成本指标": "成本指标"}


def _last_year(rows: list[tuple[int, tuple]]):
    from assistant.core.model import Draft, Header, Indicator, Kind

    return Draft(kind=Kind.PROJECT, header=Header(year=2024, project_name="某县民生综合项目", attribute="延续"),
                 indicators=[Indicator(tier1=TIER1[t2], tier2=t2, name=name, value=f"{op}{n}{unit}", standard="计划标准")
                             for n, (name, t2, unit, op, _) in rows])


def _sentence(kind: str, words: str, unit: str, op: str, old: int, new: int) -> str:
    cmp = "不少于" if op == "≥" else "控制在"
    tail = "以内" if op == "≤" else ""
    return {
        "plain": f"今年{words}{cmp}{new}{unit}{tail}",
        "from_to": f"{words}由上年的{old}{unit}调整为{new}{unit}",
        "delta": f"{words}比上年{'增加' if new > old else '减少'}{abs(new - old)}{unit}",
        "filler": f"{words}还是按{new}{unit}{tail or '以上'}",
    }[kind]


@settings(max_examples=int(__import__("os").environ.get("PAIRS_EXAMPLES", "40")), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_generated_year_pairs(data):
    """Rows restated in any of four ways are updated by meaning, in any order; the others are kept and marked."""
    picked = data.draw(st.lists(st.sampled_from(range(len(SUBJECTS))), min_size=3, max_size=7, unique=True))
    olds = data.draw(st.lists(st.integers(10, 900), min_size=len(picked), max_size=len(picked), unique=True))
    rows = [(n, SUBJECTS[i]) for n, i in zip(olds, picked)]
    last = _last_year(rows)
    said = data.draw(st.lists(st.sampled_from(range(len(rows))), min_size=1, max_size=len(rows), unique=True))
    sentences, expected, used = [], {}, set()
    for k in said:
        old, (name, _, unit, op, words) = rows[k]
        new = data.draw(st.integers(11, 999).filter(lambda x: x not in olds and x not in used))
        used.add(new)
        how = data.draw(st.sampled_from(["plain", "from_to", "delta", "filler"] if op == "≥" else ["plain", "from_to"]))
        sentences.append(_sentence(how, words, unit, op, old, new))
        expected[name] = parse(f"{new}{unit}").magnitude
    text = "项目名称：2025年某县民生综合项目。" + "；".join(sentences) + "。"
    d = roll_forward(last, text).draft
    by = {r.name: r for r in d.indicators}
    for name, new in expected.items():
        assert by[name].origin is Origin.EXTRACTED and parse(by[name].value).magnitude == new, (text, by[name])
    for old, (name, *_rest) in rows:
        if name not in expected:
            assert by[name].note == NOT_MENTIONED and by[name].origin is Origin.SUGGESTED, (text, by[name])
    assert len(d.indicators) == len(rows), (text, [(r.name, r.value) for r in d.indicators])


def test_a_change_alone_and_a_changed_verb_keep_last_years_kind_of_target():
    from assistant.core.model import Draft, Header, Indicator

    last = Draft(header=Header(year=2023), indicators=[
        Indicator(tier1="产出指标", tier2="数量指标", name="宣传活动场次", value="≥24场"),
        Indicator(tier1="成本指标", tier2="成本指标", name="人均慰问标准", value="≤500元/人"),
        Indicator(tier1="产出指标", tier2="时效指标", name="慰问完成时间", value="2023年2月底前")])
    out = roll_forward(last, "宣传活动场次比上年减少4场。人均慰问标准由500元提高到600元。慰问于2月底前完成。")
    by = {r.name: r.value for r in out.draft.indicators}
    assert by == {"宣传活动场次": "≥20场", "人均慰问标准": "≤600元/人", "慰问完成时间": "2024年2月底前"}
    assert "资金情况仍是上年的数" not in out.summary()  # last year's form had no funding to carry


def test_the_change_sheet_is_read_back_with_the_reasons_written_in_excel(tmp_path):
    """Exported, 变动原因 typed into the Excel sheet, uploaded again: last year's values, reasons and dropped rows."""
    from assistant.core.io import load_draft_bytes

    last = load_draft(FILED / "xiangtan_huanwei_2023_wupaoche.json")
    text = json.loads((FILED / "xiangtan_huanwei_2024_wupaoche.json").read_text(encoding="utf-8"))["prose"]
    d = roll_forward(last, text).draft
    gone = d.indicators.pop(1)  # the unit deletes a row
    wb = load_workbook(BytesIO(render(d, "xlsx")))
    ws = wb["指标值变动情况"]
    ws.cell(row=3, column=7, value="车辆型号调整")
    buf = BytesIO()
    wb.save(buf)
    back = load_draft_bytes(buf.getvalue(), "本年.xlsx")
    assert [r.previous for r in back.indicators] == [r.previous for r in d.indicators]
    assert back.indicators[0].change_reason == "车辆型号调整"
    assert [x.name for x in back.dropped_since_last_year()] == [gone.name]
