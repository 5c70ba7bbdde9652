"""Scenarios mirroring an open-source reviewer's rigid checks (tests/fixtures/peer_scenarios.md), plus clean controls."""

from __future__ import annotations

import copy
import json

import pytest

from assistant.core.findings import Severity
from assistant.core.model import Draft
from assistant.core.validator import validate

from .conftest import ROOT

DATA = json.loads((ROOT / "tests" / "fixtures" / "peer_scenarios.json").read_text(encoding="utf-8"))


def _apply(base: dict, changes: list[dict]) -> dict:
    d = copy.deepcopy(base)
    for ch in changes:
        *parents, last = ch["path"].split(".")
        node = d
        for p in parents:
            node = node[int(p)] if isinstance(node, list) else node[p]
        if isinstance(node, list):
            node[int(last)] = ch["value"]
        else:
            node[last] = ch["value"]
    return d


def located(f, where: str) -> bool:
    """Does a finding sit where the scenario says the problem is?"""
    if where.startswith("indicators."):
        return f.row == int(where.split(".")[1])
    field = f.field or ""
    if where == "indicators":
        return f.row is None and (not field or field.startswith(("indicators", "tier:")))
    if where == "goals":
        return f.row is None and field.startswith("goal")
    return f.row is None and (field == where or field.startswith(where + ".") or field.startswith(where + "["))


def _draft(sc: dict) -> Draft:
    return Draft.model_validate(_apply(DATA[sc["base"]], sc.get("changes", [])))


@pytest.mark.parametrize("base", ["control", "control_self_eval"])
def test_controls_are_clean(base):
    report = validate(Draft.model_validate(DATA[base]))
    assert [(f.code, f.row, f.message) for f in report.findings if f.severity is Severity.ERROR] == []


@pytest.mark.parametrize("sc", DATA["scenarios"], ids=[s["id"] for s in DATA["scenarios"]])
def test_scenario(sc):
    report = validate(_draft(sc))
    exp = sc["expect"]
    found = [(f.code, f.severity.value, f.row, f.field, f.message) for f in report.findings]
    if exp.get("no_errors"):
        assert [x for x in found if x[1] == "error"] == []
    elif "none_at" in exp:
        assert [x for x, f in zip(found, report.findings) if located(f, exp["none_at"])
                and f.severity is not Severity.INFO] == []
    else:
        sev = Severity(exp["severity"])
        hits = [f for f in report.findings if f.severity is sev and located(f, exp["where"])
                and (not exp.get("keywords") or any(k in f.message for k in exp["keywords"]))]
        assert hits, found
