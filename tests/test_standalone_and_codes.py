"""The repository stands alone, and no internal code reaches a user (issue #9, item 5; issue #12, item 1).

Internal codes: the library's source tags (S21, S33c), its ids (sb-pension-insured), “定性:” scheme codes and
rule ids on the form itself. Rule ids may stand beside a finding's words in findings lists, never on the form.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import zipfile

import pytest

from assistant.core.io import render
from assistant.core.library import load_library
from assistant.core.model import Kind
from assistant.engines.offline import OfflineEngine

from .conftest import FILED_CASES, ROOT, TYPED_CASES

CODE = re.compile(r"(?<![A-Za-z0-9])S\d{1,2}[a-c]?(?![A-Za-z0-9])|定性[:：]|(?<![A-Za-z])[a-z]{2,5}-[a-z]+(?:-[a-z]+)+")
RULE_ID = re.compile(r"(?<![A-Za-z0-9])(R\d{2}[A-Z]?|F\d|H01|G01)(?![A-Za-z0-9])")
EXAMPLE = ("社区家庭医生签约服务项目：全年签约居民约2.6万人，重点人群签约率不低于75%，签约居民健康档案建档率达到95%以上，"
           "履约投诉控制在15件以内，项目经费86万元，每签约一人补助约33元，11月底前完成年度考核，居民满意度90%以上。")


def test_nothing_reads_outside_the_repository():
    pattern = re.compile(r"\.\./shared|parent\s*/\s*[\"']shared[\"']|ROOT\.parent|parents\[2\]\s*/\s*[\"']shared")
    offenders = []
    for folder in ("assistant", "tests", "benchmarks", "evals", "examples", "prompts"):
        for p in (ROOT / folder).rglob("*"):
            if p.suffix in (".py", ".md", ".yaml", ".toml", ".txt") and p.is_file() and p.name != __file__.split("/")[-1]:
                if pattern.search(p.read_text(encoding="utf-8", errors="ignore")):
                    offenders.append(str(p.relative_to(ROOT)))
    for name in ("README.md", "pyproject.toml", ".ci/run"):
        if pattern.search((ROOT / name).read_text(encoding="utf-8")):
            offenders.append(name)
    assert not offenders, offenders
    assert len(list(FILED_CASES.glob("*.json"))) == 16 and len(list(TYPED_CASES.glob("*.json"))) >= 30


def test_library_notes_are_words_not_codes():
    lib = load_library()
    assert not [e.id for e in lib.entries if e.note and CODE.search(e.note)]
    assert not [e.id for e in lib.entries if e.conventional and CODE.search(e.conventional)]


def _visible(out) -> list[str]:
    fields = list(out.notes) + [u.text + u.reason for u in out.unused]
    for r in out.draft.indicators:
        fields += [r.tier1, r.tier2, r.name, r.value, r.note or "", r.standard or ""]
    return fields


@pytest.mark.parametrize("folder", [FILED_CASES, TYPED_CASES])
def test_drafts_show_no_internal_code(folder):
    engine = OfflineEngine()
    for p in sorted(folder.glob("*.json")):
        case = json.loads(p.read_text(encoding="utf-8"))
        out = engine.draft(case["prose"], kind=Kind(case.get("kind") or "project"))
        leaks = [f for f in _visible(out) if CODE.search(f) or RULE_ID.search(f)]
        assert not leaks, (p.name, leaks)


def test_exports_show_no_internal_code_on_the_form(tmp_path):
    out = OfflineEngine().draft(EXAMPLE)
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(render(out.draft, "xlsx", out.report)))
    form = wb.worksheets[0]  # the form; findings (with rule ids beside their words) are on the next sheet
    cells = [str(c.value) for row in form.iter_rows() for c in row if c.value is not None]
    assert "签约居民人数" in cells and not [c for c in cells if CODE.search(c) or RULE_ID.search(c)]
    form_rows = list(csv.reader(io.StringIO(render(out.draft, "csv").decode("utf-8-sig"))))
    assert not [c for row in form_rows for c in row if CODE.search(c) or RULE_ID.search(c)]
    with zipfile.ZipFile(io.BytesIO(render(out.draft, "docx", out.report))) as z:
        body = z.read("word/document.xml").decode("utf-8")
    form_part = body.split("检查结果")[0]  # the findings page may name rule ids beside their words
    assert "签约居民人数" in form_part and not CODE.search(form_part)


def test_cli_draft_of_the_issue_example(tmp_path):
    src = tmp_path / "example.txt"
    src.write_text(EXAMPLE, encoding="utf-8")
    p = subprocess.run([sys.executable, "-m", "assistant", "draft", str(src), "-o", str(tmp_path / "out.json")],
                       capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert p.returncode in (0, 1), p.stderr
    draft = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    values = {r["value"] for r in draft["indicators"] if r["origin"] == "extracted"}
    assert {"≥2.6万人", "≥75%", "≥95%", "≤15件", "=33元/人", "≤86万元", "≥90%"} <= values
    assert any(v.endswith("11月底前") for v in values)
    assert draft["header"]["project_name"] == "社区家庭医生签约服务项目"
    # nothing asks for a number the text states; no suggestion repeats a drafted row
    assert not any("（待填）" in r["value"] and ("签约" in r["name"] or "服务费" in r["name"])
                   for r in draft["indicators"])
    assert not CODE.search(p.stdout)
