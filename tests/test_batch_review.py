"""The reviewer's desk: review a folder or a zip of filed forms into a summary workbook and one 审核意见 each."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile

from docx import Document
from openpyxl import load_workbook

from assistant.core.batch import collect, opinion_docx, review_one, summary_workbook

from .conftest import ROOT

FORMS = ROOT / "tests" / "fixtures" / "forms"
MIXED = ["xl-proj-2020.xlsx", "xl-selfeval-dept.xls", "doc-proj-2020.docx", "pdf-dept-2020.pdf",
         "xl-proj-blank-template.xlsx"]


def _folder(tmp_path):
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    for name in MIXED[:3]:
        shutil.copy(FORMS / name, src / name)
    for name in MIXED[3:]:
        shutil.copy(FORMS / name, src / "sub" / name)
    (src / "broken.xlsx").write_bytes(b"not a workbook")
    (src / "notes.txt").write_text("说明", encoding="utf-8")
    return src


def run(*args):
    return subprocess.run([sys.executable, "-m", "assistant", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=300)


def test_review_folder_writes_summary_and_opinions(tmp_path):
    src, out = _folder(tmp_path), tmp_path / "out"
    p = run("review", str(src), "--out", str(out))
    assert p.returncode == 0, p.stderr
    assert "审核 6 份：读取 4 份，未能读取 2 份" in p.stdout and "broken.xlsx" in p.stdout
    wb = load_workbook(out / "审核汇总.xlsx")
    assert wb.sheetnames == ["表格一览", "全部问题", "未审核的文件"]
    ws = wb["表格一览"]
    rows = {r[1]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert set(rows) == {"broken.xlsx", *MIXED[:3], *(f"sub/{n}" for n in MIXED[3:])}
    proj = rows["xl-proj-2020.xlsx"]
    assert proj[2] == "武汉市青山区教育局" and proj[4] == "项目目标申报表" and proj[5] == 2020 and proj[6] == 8
    assert rows["xl-selfeval-dept.xls"][4] == "部门整体自评表" and rows["xl-selfeval-dept.xls"][6] == 18
    assert rows["sub/pdf-dept-2020.pdf"][6] == 20
    assert rows["broken.xlsx"][4] == "未能读取" and "Excel" in rows["broken.xlsx"][9]
    assert "没有填写指标名称" in rows["sub/xl-proj-blank-template.xlsx"][9]
    assert ws.auto_filter.ref and ws.freeze_panes == "C2"  # sortable, header kept in view
    findings = list(wb["全部问题"].iter_rows(min_row=2, values_only=True))
    errors = sum(r[7] or 0 for r in rows.values() if isinstance(r[7], int))
    assert sum(1 for f in findings if f[2] == "错误") == errors
    docs = sorted(p.name for p in out.glob("审核意见_*.docx"))
    assert len(docs) == 6 and any("武汉市青山区教育局" in d for d in docs)
    assert not list(out.glob("*.tmp"))


class _GbkName(zipfile.ZipInfo):
    """A name stored as GBK bytes without the UTF-8 flag, as Chinese Windows zip tools write it."""

    def _encodeFilenameFlags(self):
        return self.filename.encode("gbk"), self.flag_bits


def test_review_zip_with_gbk_names(tmp_path):
    z = tmp_path / "forms.zip"
    with zipfile.ZipFile(z, "w") as zf:
        info = _GbkName("项目表/青山.xlsx")
        zf.writestr(info, (FORMS / "xl-proj-2020.xlsx").read_bytes())
        zf.writestr("a.docx", (FORMS / "doc-proj-2020.docx").read_bytes())
    items, skipped = collect(z)
    assert sorted(n for n, _ in items) == ["a.docx", "项目表/青山.xlsx"] and skipped == []
    p = run("review", str(z), "--out", str(tmp_path / "o"))
    assert p.returncode == 0 and "读取 2 份" in p.stdout


def test_review_batch_needs_out_and_forms(tmp_path):
    (tmp_path / "empty").mkdir()
    p = run("review", str(tmp_path / "empty"))
    assert p.returncode != 0 and "--out" in p.stderr
    p = run("review", str(tmp_path / "empty"), "--out", str(tmp_path / "o"))
    assert p.returncode != 0 and "没有表格文件" in p.stderr
    assert not (tmp_path / "o" / "审核汇总.xlsx").exists()


def test_opinion_groups_findings_by_severity():
    r = review_one("xl-selfeval-dept.xls", (FORMS / "xl-selfeval-dept.xls").read_bytes())
    doc = Document(__import__("io").BytesIO(opinion_docx(r)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "绩效目标审核意见" in text and "南昌县黄马乡蚕茶卫生院" in text
    assert "一、必须修改的问题" in text and text.index("一、必须修改的问题") < text.index("二、建议完善的问题")
    rows = [[c.text for c in row.cells] for t in doc.tables for row in t.rows[1:]]
    assert len(rows) == sum(1 for f in r.report.findings if f.severity.value != "info")
    bad = review_one("x.xlsx", b"garbage")
    assert "未能读取" in "\n".join(p.text for p in Document(__import__("io").BytesIO(opinion_docx(bad))).paragraphs)
    assert summary_workbook([r, bad])[:2] == b"PK"
