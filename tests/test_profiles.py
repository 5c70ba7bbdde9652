"""Form profiles (data/profiles/*.yaml) and tier-label resolution (data/tiers.yaml)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

import assistant.core.profiles as profiles
from assistant.core.model import Kind
from assistant.core.profiles import (
    Match,
    Profile,
    UnknownProfile,
    all_profiles,
    concept_name,
    get_profile,
    guess_profile,
    norm_label,
    resolve,
    tier2_concept_of,
)
from assistant.core.validator import rules_table, validate
from .rulekit import (
    C_ECON,
    COST,
    HN_SAT,
    SEED,
    complete_rows,
    draft,
    load_case,
    only,
    row,
)

PROFILE_FILES = sorted(profiles.PROFILE_DIR.glob("*.yaml"))
RULE_CODES = {r["code"] for r in rules_table()}
KNOWN_CONCEPTS = set(yaml.safe_load((profiles.DATA_DIR / "tiers.yaml").read_text(encoding="utf-8"))["names"])


# --------------------------------------------------------------------------------------------
# loading
# --------------------------------------------------------------------------------------------
def test_profile_files_exist():
    ids = {p.stem for p in PROFILE_FILES}
    assert {"2020-department", "2020-project", "2021-central", "hunan", "hunan-department", "old-2011",
            "sichuan", "jiangxi-dept-eval"} <= ids


@pytest.mark.parametrize("path", PROFILE_FILES, ids=[p.stem for p in PROFILE_FILES])
def test_every_profile_file_loads(path: Path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    prof = Profile.model_validate(data)
    assert prof.id == path.stem, "file name and id should agree"
    assert prof.title and prof.tiers
    assert prof.kind() in (Kind.PROJECT, Kind.DEPARTMENT)
    # every concept the profile uses is either a shared concept (tiers.yaml) or a profile-local one
    for t1, spec in prof.tiers.items():
        assert norm_label(t1) == t1
        assert spec.children, f"{t1} has no 二级"
        for t2, concept in spec.children.items():
            assert norm_label(t2) == t2
            assert concept in KNOWN_CONCEPTS or concept.startswith("mgmt_"), (t2, concept)
    # coverage keys are concepts the profile has
    have = {spec.concept for spec in prof.tiers.values()} | prof.concepts2()
    assert set(prof.coverage) <= have
    # rule switches name registered rules
    assert set(prof.rules) <= RULE_CODES
    for code in prof.rules:
        assert prof.rule_setting(code) in ("off", "error", "warning", "info")
    if prof.standards is not None:
        assert "计划标准" in prof.standards


def test_all_profiles_keyed_by_id():
    profs = all_profiles()
    assert set(profs) == {p.stem for p in PROFILE_FILES}
    for pid, prof in profs.items():
        assert prof.id == pid
        assert get_profile(pid) is prof


def test_unknown_profile():
    with pytest.raises(UnknownProfile) as ei:
        get_profile("no-such-profile")
    assert "no-such-profile" in str(ei.value)
    assert "2020-project" in str(ei.value)  # lists what is available


def test_c2021_has_cost_as_tier1_and_p2015_under_output():
    c = get_profile("2021-central")
    p = get_profile("2020-project")
    assert c.tier1_label("cost") == "成本指标"
    assert c.tier2_location("cost") == ("成本指标", "经济成本指标")
    assert c.tier2_location("cost_social") == ("成本指标", "社会成本指标")
    assert p.tier1_label("cost") is None
    assert p.tier2_location("cost") == ("产出指标", "成本指标")
    assert ("产出指标", "成本指标") not in c.pairs()
    assert c.coverage["cost"] == "error" and p.coverage["cost"] == "warning"


def test_concept_names():
    assert concept_name("ecological") == "生态效益"
    assert concept_name("cost_social") == "社会成本"
    assert concept_name(None) == ""
    assert concept_name("mgmt_budgeting") == "mgmt_budgeting"


@pytest.mark.parametrize("label,concept", [("实效指标", "timeliness"), ("进度指标", "timeliness"),
                                           ("环境效益", "ecological"), ("可持续发展", "sustainable"),
                                           ("社会公众或服务对象满意度指标", "satisfaction"), ("群众满意度", "satisfaction"),
                                           ("经济成本指标", "cost"), ("2、数量指标：", "quantity"), ("其他指标", None)])
def test_tier2_concept_of(label, concept):
    assert tier2_concept_of(label) == concept


@pytest.mark.parametrize("raw,clean", [("1、产出指标", "产出指标"), ("3.数量指标", "数量指标"), (" 数量 指标 ", "数量指标"),
                                       ("★数量指标：", "数量指标"), ("二、效益指标", "效益指标"), ("ＡＢ", "AB"), (None, "")])
def test_norm_label(raw, clean):
    assert norm_label(raw) == clean


# --------------------------------------------------------------------------------------------
# resolve(): aliases, typos, misplaced and foreign tiers
# --------------------------------------------------------------------------------------------
RESOLVE = [
    # profile, 一级 written, 二级 written, (一级, 二级) in the profile's spelling, match1, match2
    ("2020-project", "效益指标", "社会效益", ("效益指标", "社会效益指标"), Match.EXACT, Match.ALIAS),
    ("2020-project", "效益", "社会效益", ("效益指标", "社会效益指标"), Match.ALIAS, Match.ALIAS),
    ("2020-project", "效益指标", "社会效益指标", ("效益指标", "社会效益指标"), Match.EXACT, Match.EXACT),
    ("2020-project", "效益指标", "环境效益", ("效益指标", "生态效益指标"), Match.EXACT, Match.ALIAS),
    ("2020-project", "效益指标", "环境效益指标", ("效益指标", "生态效益指标"), Match.EXACT, Match.ALIAS),
    ("old-2011", "效益指标", "环境效益指标", ("效益指标", "环境效益指标"), Match.EXACT, Match.EXACT),
    ("old-2011", "效益指标", "生态效益指标", ("效益指标", "环境效益指标"), Match.EXACT, Match.ALIAS),
    ("2020-project", "效益指标", "可持续发展", ("效益指标", "可持续影响指标"), Match.EXACT, Match.ALIAS),
    ("2020-department", "效益指标", "可持续影响指标", ("效益指标", "可持续发展"), Match.EXACT, Match.ALIAS),
    ("2020-department", "效益指标", "可持续发展", ("效益指标", "可持续发展"), Match.EXACT, Match.EXACT),
    ("2020-department", "效益指标", "社会效益", ("效益指标", "社会效益"), Match.EXACT, Match.EXACT),
    ("2020-project", "产出指标", "实效指标", ("产出指标", "时效指标"), Match.EXACT, Match.TYPO),
    ("2020-project", "产出指标", "进度指标", ("产出指标", "时效指标"), Match.EXACT, Match.ALIAS),
    ("2020-project", "效果指标", "社会效益指标", ("效益指标", "社会效益指标"), Match.ALIAS, Match.EXACT),
    ("sichuan", "项目完成指标", "数量指标", ("项目完成指标", "数量指标"), Match.EXACT, Match.EXACT),
    ("sichuan", "产出指标", "数量指标", ("项目完成指标", "数量指标"), Match.ALIAS, Match.EXACT),
    ("sichuan", "项目效益指标", "服务对象满意度指标", ("项目效益指标", "服务对象满意度指标"), Match.EXACT, Match.EXACT),
    ("hunan", "满意度指标", "社会公众或服务对象满意度指标", ("满意度指标", "社会公众或服务对象满意度指标"),
     Match.EXACT, Match.EXACT),
    ("hunan", "满意度指标", "服务对象满意度指标", ("满意度指标", "社会公众或服务对象满意度指标"), Match.EXACT, Match.ALIAS),
    # Hunan forms print the 二级 label in the 一级 cell too
    ("hunan", "社会公众或服务对象满意度指标", "社会公众或服务对象满意度指标",
     ("满意度指标", "社会公众或服务对象满意度指标"), Match.ALIAS, Match.EXACT),
    ("2020-project", "满意度指标", "社会公众或服务对象满意度指标", ("满意度指标", "服务对象满意度指标"),
     Match.EXACT, Match.ALIAS),
    ("2020-project", "1、产出指标", " 数量指标 ", ("产出指标", "数量指标"), Match.EXACT, Match.EXACT),
]


@pytest.mark.parametrize("pid,t1,t2,pair,m1,m2", RESOLVE, ids=[f"{r[0]}:{r[1]}/{r[2]}" for r in RESOLVE])
def test_resolve_valid(pid, t1, t2, pair, m1, m2):
    res = resolve(get_profile(pid), t1, t2)
    assert res.canonical_pair == pair
    assert (res.match1, res.match2) == (m1, m2)
    assert res.valid
    assert (res.tier1_written, res.tier2_written) == (t1, t2)


def test_c2021_output_cost_is_misplaced():
    res = resolve(get_profile("2021-central"), "产出指标", "成本指标")
    assert res.match1 is Match.MISPLACED
    assert not res.valid
    assert res.canonical_pair == ("成本指标", "经济成本指标")
    assert res.tier2_concept == "cost"


def test_p2015_cost_as_tier1_is_foreign():
    res = resolve(get_profile("2020-project"), "成本指标", "成本指标")
    assert res.match1 is Match.FOREIGN and res.match2 is Match.EXACT
    assert not res.valid
    assert res.canonical_pair == ("产出指标", "成本指标")


def test_social_cost_does_not_exist_in_p2015():
    res = resolve(get_profile("2020-project"), "成本指标", "社会成本指标")
    assert res.match2 is Match.FOREIGN and res.tier2_concept == "cost_social"
    assert res.canonical_pair is None and not res.valid


def test_quantity_under_benefit_is_misplaced():
    res = resolve(get_profile("2021-central"), "效益指标", "数量指标")
    assert res.match1 is Match.MISPLACED
    assert res.canonical_pair == ("产出指标", "数量指标")


@pytest.mark.parametrize("t1,t2,m1,m2,pair", [
    ("", "数量指标", Match.EMPTY, Match.EXACT, ("产出指标", "数量指标")),
    ("产出指标", "", Match.EXACT, Match.EMPTY, None),
    ("投入指标", "数量指标", Match.UNKNOWN, Match.EXACT, ("产出指标", "数量指标")),
    ("产出指标", "其他指标", Match.EXACT, Match.UNKNOWN, None),
])
def test_resolve_incomplete(t1, t2, m1, m2, pair):
    res = resolve(get_profile("2020-project"), t1, t2)
    assert (res.match1, res.match2) == (m1, m2)
    assert res.canonical_pair == pair
    assert not res.valid


def test_profile_local_concepts():
    res = resolve(get_profile("jiangxi-dept-eval"), "管理指标", "预算编审管理")
    assert res.valid and res.tier2_concept == "mgmt_budgeting"
    # the same label means nothing in a drafting profile
    res = resolve(get_profile("2020-department"), "管理指标", "预算编审管理")
    assert not res.valid


# --------------------------------------------------------------------------------------------
# what the validator says about these spellings
# --------------------------------------------------------------------------------------------
def test_c2021_output_cost_row_gets_r01_fix_to_economic_cost():
    rows = [r for r in complete_rows() if r.tier2 != "成本指标"]
    d = draft(*rows, row(COST, "项目总成本", "≤90万元", standard="预算支出标准"), budget=90, profile="2021-central")
    [f] = only(d, "R01", row=len(rows))
    assert f.severity == "error"
    assert "成本指标" in f.fix and "经济成本指标" in f.fix
    assert f.ops == [{"op": "update_row", "row_id": d.indicators[-1].id,
                      "fields": {"tier1": "成本指标", "tier2": "经济成本指标"}}]


def test_hunan_satisfaction_spelling_is_exact_in_hunan_and_alias_elsewhere():
    rows = [r for r in complete_rows() if r.tier1 != "满意度指标"]
    d = draft(*rows, row(HN_SAT, "受益群众满意度", "≥90%"), budget=90, profile="hunan")
    rep = validate(d)
    assert not [f for f in rep.findings if f.code in ("R01", "R01A")]
    rep = validate(d, "2020-project")
    [f] = [f for f in rep.findings if f.code == "R01A"]
    assert f.row == len(rows) and "服务对象满意度指标" in f.fix


# --------------------------------------------------------------------------------------------
# guess_profile()
# --------------------------------------------------------------------------------------------
def _unpinned(d):
    d.profile = None
    return d


def test_guess_c2021_from_cost_tier1():
    rows = [r for r in complete_rows() if r.tier2 != "成本指标"]
    d = _unpinned(draft(*rows, row(C_ECON, "项目总成本", "≤90万元")))
    prof, reason = guess_profile(d)
    assert prof.id == "2021-central"
    assert reason == "按指标层级写法推断"


def test_guess_hunan_from_satisfaction_spelling():
    rows = [r for r in complete_rows() if r.tier1 != "满意度指标"]
    d = _unpinned(draft(*rows, row(HN_SAT, "受益群众满意度", "≥90%")))
    assert guess_profile(d)[0].id == "hunan"
    d = _unpinned(draft(*rows, row(("社会公众或服务对象满意度指标", "社会公众或服务对象满意度指标"), "受益群众满意度", "≥90%")))
    assert guess_profile(d)[0].id == "hunan"


def test_guess_hunan_department_for_department_forms():
    rows = [r for r in complete_rows() if r.tier1 != "满意度指标"]
    d = _unpinned(draft(*rows, row(HN_SAT, "办事群众满意度", "≥90%"), kind="department", goals=["g"]))
    assert guess_profile(d)[0].id == "hunan-department"


def test_guess_seed_is_2020_department():
    d = _unpinned(load_case(SEED))
    prof, reason = guess_profile(d)
    assert prof.id == "2020-department"
    assert reason == "按指标层级写法推断"


def test_guess_respects_pinned_profile():
    d = load_case(SEED)
    assert d.profile == "2020-department"
    prof, reason = guess_profile(d)
    assert prof.id == "2020-department" and reason == "文件指定"
    d.profile = "hunan"
    assert guess_profile(d)[0].id == "hunan"


def test_guess_plain_p2015_project():
    d = _unpinned(draft(*complete_rows()))
    assert guess_profile(d)[0].id == "2020-project"


@pytest.mark.parametrize("kind,pid", [("project", "2020-project"), ("department", "2020-department")])
def test_guess_empty_table_defaults_by_kind(kind, pid):
    d = _unpinned(draft(kind=kind))
    prof, reason = guess_profile(d)
    assert prof.id == pid and reason == "按表格类型默认"


def test_guess_sichuan_and_old_2011():
    rows = [row(("项目完成指标" if r.tier1 == "产出指标" else "项目效益指标", r.tier2), r.name, r.value)
            for r in complete_rows()]
    assert guess_profile(_unpinned(draft(*rows)))[0].id == "sichuan"
    d = _unpinned(draft(*complete_rows(), row(("效益指标", "环境效益指标"), "节水量", "≥30吨")))
    assert guess_profile(d)[0].id == "old-2011"


def test_guess_jiangxi_eval_from_management_tier():
    d = _unpinned(draft(row(("管理指标", "预算编审管理"), "预算编制准确率", "=100%"),
                        row(("效果指标", "社会效益指标"), "签约服务覆盖率", "≥80%"), kind="department"))
    assert guess_profile(d)[0].id == "jiangxi-dept-eval"


def test_validate_reports_the_guessed_profile():
    rows = [r for r in complete_rows() if r.tier2 != "成本指标"]
    rep = validate(_unpinned(draft(*rows, row(C_ECON, "项目总成本", "≤90万元", standard="预算支出标准"))))
    assert rep.profile == "2021-central"
    assert rep.profile_reason == "按指标层级写法推断"
    assert validate(draft(*complete_rows()), "hunan").profile_reason == "命令行指定"
    assert validate(draft(*complete_rows()), get_profile("hunan")).profile_reason == "已选定"


# --------------------------------------------------------------------------------------------
# a new profile is data only
# --------------------------------------------------------------------------------------------
NEW_PROFILE = {
    "id": "test-shanxi",
    "title": "测试省项目绩效目标表（产出/效果/满意度）",
    "family": "project",
    "summary": "测试用：一级写作“产出”“效果”“满意”，效益二级只有社会效益和生态效益。",
    "tiers": {
        "产出": {"concept": "output", "children": {"数量": "quantity", "质量": "quality", "时效": "timeliness",
                                                    "成本": "cost"}},
        "效果": {"concept": "benefit", "children": {"社会效果": "social", "生态效果": "ecological"}},
        "满意": {"concept": "satisfaction", "children": {"服务对象满意": "satisfaction"}},
    },
    "coverage": {"output": "error", "benefit": "error", "satisfaction": "error"},
    "standards": None,
    "rules": {"R29": "off", "R22": "error"},
}


@pytest.fixture
def profile_dir(tmp_path, monkeypatch):
    """A copy of the shipped profiles plus one new YAML, swapped in for PROFILE_DIR."""
    d = tmp_path / "profiles"
    shutil.copytree(profiles.PROFILE_DIR, d)
    (d / "test-shanxi.yaml").write_text(yaml.safe_dump(NEW_PROFILE, allow_unicode=True, sort_keys=False),
                                        encoding="utf-8")
    monkeypatch.setattr(profiles, "PROFILE_DIR", d)
    profiles._load.cache_clear()
    yield d
    profiles._load.cache_clear()


def test_new_profile_yaml_needs_no_code(profile_dir):
    profs = all_profiles()
    assert "test-shanxi" in profs and "2020-project" in profs
    p = get_profile("test-shanxi")
    assert p.tier2_location("social") == ("效果", "社会效果")
    assert p.rule_setting("R29") == "off" and p.rule_setting("R22") == "error"

    # its own spellings are exact; the common spellings resolve to them as aliases
    res = resolve(p, "效果", "社会效果")
    assert res.valid and (res.match1, res.match2) == (Match.EXACT, Match.EXACT)
    res = resolve(p, "效益指标", "社会效益指标")
    assert res.valid and res.canonical_pair == ("效果", "社会效果") and res.match2 is Match.ALIAS
    # a concept the profile leaves out is foreign
    res = resolve(p, "效益指标", "可持续影响指标")
    assert res.match2 is Match.FOREIGN and not res.valid

    rows = [
        row(("产出", "数量"), "保洁道路里程", "≥120公里"),
        row(("产出", "质量"), "道路保洁达标率", "≥95%"),
        row(("产出", "成本"), "项目总成本", "≤90万元"),
        row(("效果", "社会效果"), "做好城区道路保洁", "≥95%"),  # R29 would flag this name; the profile switches R29 off
        row(("满意", "服务对象满意"), "沿街居民满意度", "=100%"),  # R22 raised to error by the profile
    ]
    d = draft(*rows, budget=90, profile="test-shanxi")
    rep = validate(d)
    assert rep.profile == "test-shanxi"
    assert not [f for f in rep.findings if f.code in ("R01", "R01A", "R29")]
    [r22] = [f for f in rep.findings if f.code == "R22"]
    assert r22.severity == "error" and r22.row == 4
    # guessing picks it for a table written in its spellings
    d.profile = None
    assert guess_profile(d)[0].id == "test-shanxi"
    # the same table read as 2020-project needs alias/membership fixes
    rep = validate(d, "2020-project")
    assert [f for f in rep.findings if f.code in ("R01", "R01A")]


def test_new_profile_missing_coverage_is_reported(profile_dir):
    d = draft(row(("产出", "数量"), "保洁道路里程", "≥120公里"), budget=90, profile="test-shanxi")
    rep = validate(d)
    missing = {f.field for f in rep.findings if f.code == "R04"}
    assert {"tier:benefit", "tier:satisfaction"} <= missing
    assert all(f.severity == "error" for f in rep.findings if f.code == "R04")


def test_profile_dir_change_is_undone():
    assert "test-shanxi" not in all_profiles()
