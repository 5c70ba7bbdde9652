"""The validator on real filed tables, against an independent defect annotation (evals/review/README.md)."""

from __future__ import annotations

from assistant.evaluation import review_scores

from .conftest import ROOT


def test_flags_known_defects_without_false_errors():
    s = review_scores(ROOT / "evals" / "cases" / "filed", ROOT / "evals" / "review" / "defects.json")
    assert s["defective_rows"] >= 80 and s["clean_rows"] >= 50
    assert s["recall"] >= 0.90, s["missed"]
    assert s["false_errors"] == 0, s["false"]
