"""The command line, run as a user runs it: exit codes, messages, files written."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, SHARED_CASES


def run(*args: str, input: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    e = {k: v for k, v in os.environ.items() if not k.startswith(("ASSISTANT_", "OPENAI_"))}
    e.update(env or {})
    return subprocess.run([sys.executable, "-m", "assistant", *args], capture_output=True, text=True, input=input,
                          cwd=ROOT, env=e, timeout=120)


def test_validate_seed_json_format(seed_path):
    p = run("validate", str(seed_path), "--format", "json")
    assert p.returncode == 1, p.stderr  # the filed seed form has errors
    out = json.loads(p.stdout)
    assert set(out) == {"issues", "summary"}
    assert out["summary"]["profile"] == "2020-department"
    first = out["issues"][0]
    assert set(first) >= {"code", "severity", "row", "field", "message", "fix"}
    rows = {i["row"] for i in out["issues"] if i["code"] == "R12"}
    assert {0, 2} <= rows  # 47000 and 32500 lack units


def test_validate_text_says_which_profile(seed_path):
    p = run("validate", str(seed_path))
    assert "规则版本：2020-department" in p.stdout and "错误" in p.stdout


def test_validate_clean_file_exits_zero(tmp_path):
    good = {"kind": "project", "profile": "2020-project",
            "header": {"unit": "某县教师发展中心", "department": "某县教育局", "year": 2024, "project_name": "教师培训",
                       "period": "2024年1月-2024年12月", "attribute": "延续"},
            "goals": [{"text": "全年培训教师600人次，参训教师满意度不低于90%。"}],
            "funding": {"total": 20, "sources": [{"name": "财政拨款", "amount": 20}]},
            "indicators": [
                {"tier1": "产出指标", "tier2": "数量指标", "name": "教师培训人次", "value": "≥600人次", "standard": "计划标准"},
                {"tier1": "产出指标", "tier2": "质量指标", "name": "培训合格率", "value": "≥95%", "standard": "计划标准"},
                {"tier1": "产出指标", "tier2": "时效指标", "name": "培训完成时间", "value": "2024年11月底前", "standard": "计划标准"},
                {"tier1": "产出指标", "tier2": "成本指标", "name": "人均培训成本", "value": "≤330元/人", "standard": "预算支出标准"},
                {"tier1": "效益指标", "tier2": "社会效益指标", "name": "参训教师教学能力提升率", "value": "≥90%", "standard": "计划标准"},
                {"tier1": "满意度指标", "tier2": "服务对象满意度指标", "name": "参训教师满意度", "value": "≥90%", "standard": "历史标准"}]}
    f = tmp_path / "good.json"
    f.write_text(json.dumps(good, ensure_ascii=False), encoding="utf-8")
    p = run("validate", str(f))
    assert p.returncode == 0, p.stdout + p.stderr
    assert "错误 0 项" in p.stdout


@pytest.mark.parametrize("content,name", [
    (b'{"indicators": [', "cut.json"), (b"", "empty.json"), (b"not a workbook", "fake.xlsx"),
    (b"[1]", "list.json"), (bytes(range(256)) * 900, "junk.json")], ids=["cut", "empty", "fake", "list", "junk"])
def test_bad_input_exit_2_no_traceback(tmp_path, content, name):
    f = tmp_path / name
    f.write_bytes(content)
    p = run("validate", str(f))
    assert p.returncode == 2
    assert "Traceback" not in p.stderr and name in p.stderr


def test_missing_file(tmp_path):
    p = run("validate", str(tmp_path / "nope.json"))
    assert p.returncode == 2 and "不存在" in p.stderr


def test_unknown_profile(seed_path):
    p = run("validate", str(seed_path), "--profile", "nowhere")
    assert p.returncode == 2 and "未知的规则版本" in p.stderr


def test_every_real_case_validates_without_crash():
    for f in sorted(SHARED_CASES.glob("*.json")):
        p = run("validate", str(f), "--format", "json")
        assert p.returncode in (0, 1), (f.name, p.stderr)


def test_export_import_round_trip(seed_path, tmp_path):
    x = tmp_path / "seed.xlsx"
    assert run("export", str(seed_path), "--to", "xlsx", "-o", str(x)).returncode == 0
    j = tmp_path / "seed.json"
    p = run("import", str(x), "-o", str(j))
    assert p.returncode == 0, p.stderr
    data = json.loads(j.read_text(encoding="utf-8"))
    assert data["indicators"][0]["value"] == "47000" and data["profile"] == "2020-department"
    for fmt in ("docx", "csv", "md", "json"):
        out = tmp_path / f"seed.{fmt}"
        assert run("export", str(j), "--to", fmt, "-o", str(out)).returncode == 0
        assert out.stat().st_size > 0


def test_export_to_unwritable_place_leaves_nothing(seed_path, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    p = run("export", str(seed_path), "--to", "xlsx", "-o", str(blocker / "out.xlsx"))
    assert p.returncode == 2 and "无法写入" in p.stderr and "Traceback" not in p.stderr


def test_fix_command(seed_path, tmp_path):
    out = tmp_path / "fixed.json"
    p = run("fix", str(seed_path), "-o", str(out))
    assert p.returncode == 0, p.stderr
    rows = json.loads(out.read_text(encoding="utf-8"))["indicators"]
    assert rows[0]["value"] == "≥47000人"


def test_profiles_lists_the_four_required():
    out = run("profiles").stdout
    for pid in ("2020-department", "2020-project", "2021-central", "hunan"):
        assert pid in out
    assert "可持续发展" in out and "经济成本指标" in out and "社会公众或服务对象满意度指标" in out
