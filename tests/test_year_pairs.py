"""Roll-forward on consecutive-year pairs: last year's filed form (xlsx, docx or json, in several templates) and
this year's prose, against expectations typed by hand from the prose (tests/fixtures/year-pairs*/README.md).

`year-pairs` was written first and used while building; `year-pairs-holdout`, `year-pairs-blind` and
`year-pairs-final` were written afterwards, one after another, by people who saw neither the code nor the other sets, and each was first measured untouched
(figures in its README).
The gates are the figures measured when committed, rounded down; raise them as the tool improves."""

from __future__ import annotations

import json

import pytest

from assistant.evaluation import rollforward_scores, same_target

from .conftest import ROOT

SETS = {
    "year-pairs": {"updated_recall": 0.95, "added_recall": 0.9, "kept": 0.95, "precision": 0.93, "funding": 1.0,
                   "year": 1.0},
    "year-pairs-holdout": {"updated_recall": 0.95, "added_recall": 0.9, "kept": 0.95, "precision": 0.9,
                           "funding": 1.0, "year": 1.0},
    "year-pairs-blind": {"updated_recall": 0.85, "added_recall": 0.95, "kept": 0.95, "precision": 0.85,
                         "funding": 1.0, "year": 1.0},
    "year-pairs-final": {"updated_recall": 0.9, "added_recall": 0.9, "kept": 0.95, "precision": 0.8,
                         "funding": 1.0, "year": 1.0},
}


@pytest.mark.parametrize("name", SETS)
def test_roll_forward_on_year_pairs(name):
    scores = rollforward_scores(ROOT / "tests" / "fixtures" / name)
    figures = {k: scores[k] for k in SETS[name]}
    print(name, figures, scores["totals"])
    assert scores["totals"]["pairs"] >= 6
    low = {k: (v, SETS[name][k]) for k, v in figures.items() if v < SETS[name][k]}
    assert not low, (low, [p for p in scores["pairs"] if p["issues"]])


@pytest.mark.parametrize("name", SETS)
def test_every_last_year_row_is_expected_once(name):
    """The expectations themselves: every row of last year's form is either restated or left unmentioned."""
    from assistant.core.io import load_draft_bytes

    folder = ROOT / "tests" / "fixtures" / name
    for exp_path in sorted(folder.glob("*-expected.json")):
        exp = json.loads(exp_path.read_text(encoding="utf-8"))
        last = load_draft_bytes((folder / exp["last"]).read_bytes(), exp["last"])
        listed = [u["last_name"] for u in exp["updated"]] + exp["unmentioned"]
        assert sorted(listed) == sorted(r.name for r in last.indicators), exp_path.name
        assert last.header.year == exp["last_year"], exp_path.name


@pytest.mark.parametrize("a, b, same", [
    ("≥1000人次", "=1000人次", True), ("≥1000人次", "1000人次", True), ("≥3.2万人", "≥32000人", True),
    ("≤96万元", "≤960000元", True), ("=99元/人", "=99元/人·年", True), ("≥1000人次", "≥1000人", False),
    ("≥95%", "≤95%", False), ("2024年11月底前", "2024年11月30日前", False), ("2024年11月底前", "2024年11月底前", True),
    ("≥12次", "≥10次", False)])
def test_same_target(a, b, same):
    assert same_target(a, b) is same
