"""Export/import: layout, round trips, formula injection, bad files, atomic writes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from assistant.core.io import load_draft, load_draft_bytes, render, save_draft, write_atomic
from assistant.core.io.errors import FormatError
from assistant.core.io.jsonio import draft_to_json
from assistant.core.io.layout import csv_cell, spans, tier_spans
from assistant.core.io.forms.grid import Grid
from assistant.core.io.forms.reader import read_form
from assistant.core.model import Draft, Funding, FundingLine, Goal, Header, Indicator, Kind, Origin
from assistant.core.validator import validate

from .conftest import EVAL_CASES, SHARED_CASES

SHOWN = {"indicators": {"__all__": {"id", "evidence", "parsed", "extra"}}, "source_text": True, "notes": True}


def _shown(d: Draft) -> dict:
    return d.model_dump(mode="json", exclude=SHOWN)


def all_case_files() -> list[Path]:
    return sorted(SHARED_CASES.glob("*.json")) + sorted(EVAL_CASES.glob("*.json"))


def test_json_round_trip_is_lossless(seed_path):
    d = load_draft(seed_path)
    d.indicators[0].origin = Origin.SUGGESTED
    d.indicators[0].evidence = "目标1:扩大养老保险覆盖面,在职参保人员达47000人。"
    d.indicators[0].extra = {"指标解释": "年末参保人数"}
    back = load_draft_bytes(draft_to_json(d).encode(), "x.json")
    assert back.model_dump() == d.model_dump()


@pytest.mark.parametrize("path", all_case_files(), ids=lambda p: p.stem)
def test_xlsx_round_trip_keeps_every_shown_field(path, tmp_path):
    d = load_draft(path)
    d.profile = d.profile or validate(d).profile
    out = tmp_path / "form.xlsx"
    save_draft(d, out, report=validate(d))
    back = load_draft(out)
    from assistant.core.io.layout import indicator_tables

    d.indicators = [r for t in indicator_tables(d) for r in t.rows]  # the form prints one block per 一级/二级
    a, b = _shown(d), _shown(back)
    for key in a:
        assert a[key] == b[key], key


def test_xlsx_layout_merges_tiers_and_marks_suggestions(seed_path, tmp_path):
    d = load_draft(seed_path)
    d.indicators[1].origin = Origin.SUGGESTED
    out = tmp_path / "seed.xlsx"
    save_draft(d, out, report=validate(d))
    wb = load_workbook(out)
    ws = wb["绩效目标申报表"]
    assert "部门整体支出绩效目标申报表" in ws["A1"].value
    merged = [str(m) for m in ws.merged_cells.ranges]
    # the 一级 cell of goal 1's 13 rows is merged over them
    header_rows = [c.row for c in ws["A"] if c.value == "一级指标"]
    assert len(header_rows) == 2  # one table per 年度目标
    first = header_rows[0] + 1
    assert f"A{first}:A{first + 10}" in merged  # 11 产出 rows of goal 1
    assert ws[f"C{first + 1}"].fill.fgColor.rgb.endswith("FFF2CC")  # the suggested row is shaded
    assert "建议，待确认" in ws[f"F{first + 1}"].value
    assert ws[f"C{first}"].font.name == "宋体"
    assert "审核意见" in wb.sheetnames
    assert wb["审核意见"].max_row > 5


def test_funding_and_goals_in_xlsx(seed_path, tmp_path):
    d = load_draft(seed_path)
    out = tmp_path / "seed.xlsx"
    save_draft(d, out)
    texts = [c.value for row in load_workbook(out).active.iter_rows() for c in row if c.value is not None]
    for expected in ("收入构成", "支出构成", "财政拨款", 366.8, "97.27%", "2018年", 482.93, "年度目标1：提高养老、工伤保险覆盖面。"):
        assert expected in texts


def test_docx_sets_east_asian_font_and_merges(seed_path, tmp_path):
    d = load_draft(seed_path)
    out = tmp_path / "seed.docx"
    save_draft(d, out, report=validate(d))
    doc = Document(str(out))
    fonts = doc.styles["Normal"].element.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == "宋体"
    run = doc.tables[-2].rows[1].cells[2].paragraphs[0].runs[0]
    assert run._element.rPr.rFonts.get(qn("w:eastAsia")) == "宋体"
    all_text = "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    assert "养老保险在职参保人数" in all_text and "47000" in all_text
    # a vertically merged 一级 cell: word stores vMerge on the continued cells
    xml = doc.tables[-3]._element.xml if len(doc.tables) >= 3 else ""
    assert "w:vMerge" in "".join(t._element.xml for t in doc.tables)


def test_span_plan():
    rows = [Indicator(tier1=a, tier2=b, name=str(i), value="1") for i, (a, b) in
            enumerate([("产出", "数量"), ("产出", "数量"), ("产出", "质量"), ("效益", "质量"), ("效益", "社会")])]
    t1, t2 = tier_spans(rows)
    assert t1 == [(0, 2), (3, 4)]
    assert t2 == [(0, 1), (2, 2), (3, 3), (4, 4)]  # 二级 never merges across a 一级 boundary
    assert spans([], lambda r: r) == []


INJECTIONS = ["=HYPERLINK(\"http://evil\",\"x\")", "+cmd|' /C calc'!A0", "-2+3", "@SUM(1,1)", "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("payload", INJECTIONS)
def test_no_formula_in_xlsx_and_value_kept(payload, tmp_path):
    d = Draft(indicators=[Indicator(tier1="产出指标", tier2="数量指标", name=payload, value=payload,
                                    standard=payload)], goals=[Goal(text=payload)], header=Header(unit=payload))
    out = tmp_path / "inj.xlsx"
    save_draft(d, out)
    wb = load_workbook(out)
    for row in wb.active.iter_rows():
        for c in row:
            assert c.data_type != "f", c.coordinate
    cells = [c for row in wb.active.iter_rows() for c in row if c.value == payload.replace("\r", "\n")]
    assert cells, "the user's text is kept as written"


@pytest.mark.parametrize("payload", INJECTIONS)
def test_csv_guard_and_round_trip(payload, tmp_path):
    d = Draft(indicators=[Indicator(tier1="产出指标", tier2="数量指标", name=payload.strip() or "x", value="≥1人")])
    data = render(d, "csv")
    assert data.startswith("\ufeff".encode("utf-8"))
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    name_cell = rows[1][4]
    assert name_cell.startswith("'") or not name_cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert csv_cell("-5%") == "'-5%"
    assert csv_cell("≥95%") == "≥95%"


def test_control_characters_removed(tmp_path):
    d = Draft(indicators=[Indicator(tier1="产出指标", tier2="数量指标", name="培训\x07人次\x1b", value="≥10人次")])
    for fmt in ("xlsx", "docx"):
        out = tmp_path / f"c.{fmt}"
        save_draft(d, out)
        assert out.stat().st_size > 0
    back = load_draft(tmp_path / "c.xlsx")
    assert back.indicators[0].name == "培训人次"


def test_export_never_changes_values(tmp_path):
    values = ["47000", ">=21933人", "250万", "定性:高中低", "≥100%", "2023.07-2024.01", "调整率100%,调整待遇额当月发放"]
    d = Draft(indicators=[Indicator(tier1="产出指标", tier2="数量指标", name=f"指标{i}", value=v)
                          for i, v in enumerate(values)])
    save_draft(d, tmp_path / "v.xlsx")
    assert [r.value for r in load_draft(tmp_path / "v.xlsx").indicators] == values
    text = render(d, "csv").decode("utf-8-sig")
    for v in values:
        assert v in text
    doc = Document(io.BytesIO(render(d, "docx")))
    cells = {c.text for t in doc.tables for r in t.rows for c in r.cells}
    assert set(values) <= cells


def test_flat_table_import_with_merged_tiers_and_unit_columns():
    rows = [["项目名称", "村组干部报酬"],
            ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "权重"],
            ["产出指标", "数量指标", "村组干部人数", "≥", "230", "人", "10"],
            ["", "", "发放月数", "=", "12", "月", "10"],
            ["", "时效指标", "按月发放率", "=", "100", "%", "10"],
            ["满意度指标", "服务对象满意度指标", "村民满意度", "≥", "90", "%", "10"]]
    d = read_form([Grid("flat", rows)], "flat.xlsx").draft
    assert [(r.tier1, r.tier2, r.name, r.value) for r in d.indicators] == [
        ("产出指标", "数量指标", "村组干部人数", "≥230人"), ("产出指标", "数量指标", "发放月数", "=12月"),
        ("产出指标", "时效指标", "按月发放率", "=100%"), ("满意度指标", "服务对象满意度指标", "村民满意度", "≥90%")]


def test_flat_csv_import_gbk(tmp_path):
    text = "一级指标,二级指标,指标名称,指标值,绩效标准\n产出指标,数量指标,培训人次,≥1200人次,计划标准\n"
    p = tmp_path / "flat.csv"
    p.write_bytes(text.encode("gb18030"))
    d = load_draft(p)
    assert d.indicators[0].value == "≥1200人次" and d.indicators[0].standard == "计划标准"


def test_own_csv_round_trip(seed_path, tmp_path):
    d = load_draft(seed_path)
    d.indicators[2].origin = Origin.SUGGESTED
    save_draft(d, tmp_path / "s.csv")
    back = load_draft(tmp_path / "s.csv")
    assert [(r.goal, r.tier1, r.tier2, r.name, r.value, r.standard) for r in back.indicators] == [
        (r.goal, r.tier1, r.tier2, r.name, r.value, r.standard) for r in d.indicators]
    assert back.indicators[2].origin is Origin.SUGGESTED


BAD = {
    "truncated.json": b'{"indicators": [{"tier1": "\xe4\xba\xa7',
    "wrong_shape.json": b'[1, 2, 3]',
    "no_rows.json": b'{"unit": "x"}',
    "row_not_object.json": b'{"indicators": ["a"]}',
    "bad_kind.json": b'{"indicators": [{"tier1":"a","tier2":"b","name":"c","value":"1"}], "kind": "x", "prose": "p"}',
    "empty.json": b"",
    "fake.xlsx": b"this is not a workbook",
    "truncated.xlsx": None,
    "junk.csv": bytes(range(256)) * 800,
    "no_header.csv": "甲,乙\n1,2\n".encode(),
    "document.pdf": b"%PDF-1.4",
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_files_give_a_clear_message(name, tmp_path, seed_path):
    data = BAD[name]
    if data is None:
        full = render(load_draft(seed_path), "xlsx")
        data = full[: len(full) // 2]
    p = tmp_path / name
    p.write_bytes(data)
    with pytest.raises(FormatError) as exc:
        load_draft(p)
    assert name in str(exc.value)
    assert "无法读取文件" in str(exc.value)


def test_junk_binary_200kb(tmp_path):
    import random

    rnd = random.Random(7)
    for suffix in ("json", "xlsx", "csv"):
        p = tmp_path / f"junk.{suffix}"
        p.write_bytes(bytes(rnd.getrandbits(8) for _ in range(200_000)))
        with pytest.raises(FormatError):
            load_draft(p)


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(FormatError, match="不存在"):
        load_draft(tmp_path / "nope.json")
    with pytest.raises(FormatError, match="文件夹"):
        load_draft(tmp_path)


def test_atomic_write_leaves_no_partial_file(tmp_path, monkeypatch):
    target = tmp_path / "out.xlsx"
    target.write_bytes(b"old content")

    class Boom(Exception):
        pass

    import os as _os

    def failing_fsync(fd):
        raise Boom()

    monkeypatch.setattr(_os, "fsync", failing_fsync)
    with pytest.raises(Boom):
        write_atomic(target, b"new content that never lands")
    assert target.read_bytes() == b"old content"
    assert [p.name for p in tmp_path.iterdir()] == ["out.xlsx"]


def test_failed_render_writes_nothing(tmp_path):
    out = tmp_path / "x.pdf"
    with pytest.raises(ValueError):
        save_draft(Draft(), out)
    assert not out.exists()


def test_case_funding_shapes():
    seed = json.loads((SHARED_CASES / "seed-guangshui-labor-insurance-2020.json").read_text())
    from assistant.core.io.cases import case_to_draft

    d = case_to_draft(seed)
    assert d.kind is Kind.DEPARTMENT
    assert [(x.name, x.amount, x.role) for x in d.funding.expense] == [
        ("基本支出", 356.8, "item"), ("项目支出", 10, "item"), ("合计", 366.8, "total")]
    assert d.funding.income[-1].history == {"2018": 367.85, "2019": 482.93}
    assert d.projects[0].name == "工伤保险专项办公经费" and d.projects[0].annual_budget == 10
    jy = case_to_draft(json.loads((SHARED_CASES / "jingyan_mata_2023_cunzuganbu.json").read_text()))
    assert jy.funding.total == pytest.approx(330.984)  # 3,309,840.00元 in 万元
    yy = case_to_draft(json.loads((SHARED_CASES / "yueyangxian_2022_gaobiaozhunnongtian.json").read_text()))
    assert [x.amount for x in yy.funding.breakdown] == [400, 295, 159]


def test_markdown_marks_suggestions_and_escapes_pipes():
    d = Draft(indicators=[Indicator(tier1="满意度指标", tier2="服务对象满意度指标", name="受益群众|满意度", value="≥90%",
                                    origin=Origin.SUGGESTED)],
              funding=Funding(total=10, sources=[FundingLine(name="财政拨款", amount=10)]))
    md = render(d, "md").decode()
    assert "**建议，待确认**" in md and "受益群众｜满意度" in md and "10万元" in md
