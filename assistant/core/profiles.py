"""Form profiles (tier maps, coverage, columns, rule switches) loaded from data/profiles/*.yaml.

A profile spells each 一级/二级 its own way; data/tiers.yaml maps every spelling seen on real
forms to a profile-independent concept, so a label can be resolved against any profile.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, Field, PrivateAttr

from .model import Draft, Kind

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
PROFILE_DIR = DATA_DIR / "profiles"


class Tier1Spec(BaseModel):
    concept: str
    children: dict[str, str]  # 二级 label -> concept


class Profile(BaseModel):
    id: str
    title: str
    family: Literal["department", "project"]
    summary: str = ""
    sources: list[str] = Field(default_factory=list)
    drafting: bool = True  # offered for new drafts (evaluation-only forms say false)
    tiers: dict[str, Tier1Spec]
    coverage: dict[str, Literal["error", "warning", "info"]] = Field(default_factory=dict)
    columns: list[str] = Field(default_factory=lambda: ["一级指标", "二级指标", "指标名称", "指标值", "绩效标准"])
    standards: list[str] | None = None
    rules: dict[str, str | dict] = Field(default_factory=dict)
    _resolutions: dict = PrivateAttr(default_factory=dict)

    # --- lookups -------------------------------------------------------------------------
    def tier1_label(self, concept: str) -> str | None:
        for label, spec in self.tiers.items():
            if spec.concept == concept:
                return label
        return None

    def tier2_location(self, concept: str) -> tuple[str, str] | None:
        """(tier1 label, tier2 label) of a 二级 concept in this profile."""
        for t1, spec in self.tiers.items():
            for t2, c in spec.children.items():
                if c == concept:
                    return t1, t2
        return None

    def pairs(self) -> list[tuple[str, str]]:
        return [(t1, t2) for t1, spec in self.tiers.items() for t2 in spec.children]

    def concepts2(self) -> set[str]:
        return {c for spec in self.tiers.values() for c in spec.children.values()}

    def rule_setting(self, code: str) -> str | None:
        """'off', a severity override, or None (the rule's default)."""
        v = self.rules.get(code)
        if isinstance(v, dict):
            return v.get("severity")
        return v

    def kind(self) -> Kind:
        return Kind(self.family)


class Match(StrEnum):
    EXACT = "exact"  # the profile's own spelling
    ALIAS = "alias"  # another accepted spelling (社会效益 for 社会效益指标)
    TYPO = "typo"  # a known misspelling (实效指标)
    MISPLACED = "misplaced"  # a valid 二级 of this profile, under the wrong 一级
    FOREIGN = "foreign"  # a tier that exists, but not in this profile (成本 一级 in a 2020 form)
    UNKNOWN = "unknown"
    EMPTY = "empty"


@dataclass(frozen=True)
class Resolution:
    tier1_written: str
    tier2_written: str
    tier1_concept: str | None
    tier2_concept: str | None
    tier1: str | None  # the profile's label for the row's 一级 (after resolving aliases / placement)
    tier2: str | None
    match1: Match
    match2: Match

    @property
    def valid(self) -> bool:
        return self.match1 in (Match.EXACT, Match.ALIAS, Match.TYPO) and self.match2 in (
            Match.EXACT, Match.ALIAS, Match.TYPO)

    @property
    def canonical_pair(self) -> tuple[str, str] | None:
        if self.tier1 and self.tier2:
            return self.tier1, self.tier2
        return None


@lru_cache(maxsize=4096)
def norm_label(label: str | None) -> str:
    s = unicodedata.normalize("NFKC", label or "")
    s = re.sub(r"\s+", "", s)
    s = re.sub(r"^[\d一二三四五六七八九十]+[、.．)）]", "", s)
    return s.strip("：:*★☆ ")


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(path) -> object:
    with open(path, encoding="utf-8") as fh:
        return yaml.load(fh, Loader=_Loader)


@lru_cache(maxsize=1)
def _tier_data() -> dict:
    return load_yaml(DATA_DIR / "tiers.yaml")


@lru_cache(maxsize=1)
def _alias_tables() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    d = _tier_data()
    t1 = {norm_label(a): c for c, spec in d["tier1"].items() for a in spec.get("aliases", [])}
    t2 = {norm_label(a): c for c, spec in d["tier2"].items() for a in spec.get("aliases", [])}
    typos = {norm_label(a): c for c, spec in d["tier2"].items() for a in spec.get("typos", [])}
    return t1, t2, typos


def concept_name(concept: str | None) -> str:
    if not concept:
        return ""
    return _tier_data().get("names", {}).get(concept, concept)


def tier2_concept_of(label: str) -> str | None:
    """The concept of a 二级 label regardless of profile (for classifiers)."""
    _, t2, typos = _alias_tables()
    n = norm_label(label)
    return t2.get(n) or typos.get(n)


@lru_cache(maxsize=None)
def _load(path: str) -> Profile:
    return Profile.model_validate(load_yaml(path))


def all_profiles() -> dict[str, Profile]:
    out: dict[str, Profile] = {}
    for p in sorted(PROFILE_DIR.glob("*.yaml")):
        prof = _load(str(p))
        out[prof.id] = prof
    return out


class UnknownProfile(KeyError):
    def __init__(self, pid: str):
        super().__init__(pid)
        self.pid = pid

    def __str__(self) -> str:
        return f"未知的规则版本 '{self.pid}'。可用：{', '.join(all_profiles())}"


def get_profile(pid: str) -> Profile:
    profiles = all_profiles()
    if pid in profiles:
        return profiles[pid]
    raise UnknownProfile(pid)


DEFAULT_BY_KIND = {Kind.DEPARTMENT: "2020-department", Kind.PROJECT: "2020-project"}


def resolve(profile: Profile, tier1: str, tier2: str) -> Resolution:
    key = (tier1, tier2)
    cache = profile._resolutions
    if key not in cache:
        if len(cache) > 4096:
            cache.clear()
        cache[key] = _resolve_uncached(profile, tier1, tier2)
    return cache[key]


def _resolve_uncached(profile: Profile, tier1: str, tier2: str) -> Resolution:
    t1_alias, t2_alias, t2_typos = _alias_tables()
    w1, w2 = norm_label(tier1), norm_label(tier2)

    # 一级
    c1: str | None = None
    if not w1:
        m1 = Match.EMPTY
    elif w1 in profile.tiers:
        c1, m1 = profile.tiers[w1].concept, Match.EXACT
    else:
        c1 = t1_alias.get(w1)
        if c1 and profile.tier1_label(c1):
            m1 = Match.ALIAS
        elif c1:
            m1 = Match.FOREIGN
        else:
            m1 = Match.UNKNOWN
    # 二级: a form may write a 二级 label in the 一级 cell (社会公众或服务对象满意度指标 twice)
    c2: str | None = None
    own2 = {t2: (t1, c) for t1, spec in profile.tiers.items() for t2, c in spec.children.items()}
    if not w2:
        m2 = Match.EMPTY
    elif w2 in own2:
        c2, m2 = own2[w2][1], Match.EXACT
    elif w2 in t2_typos:
        c2, m2 = t2_typos[w2], Match.TYPO
    elif w2 in t2_alias:
        c2, m2 = t2_alias[w2], Match.ALIAS
    else:
        # profile-local concepts (管理指标's 预算编审管理 …) have no alias entry
        m2 = Match.UNKNOWN

    loc = profile.tier2_location(c2) if c2 else None
    if c2 and loc is None:
        # the concept doesn't exist in this profile (社会成本 in a 2020 form)
        m2 = Match.FOREIGN if m2 is not Match.TYPO else m2
        return Resolution(tier1, tier2, c1, c2, profile.tier1_label(c1) if c1 else None, None,
                          m1 if m1 is not Match.FOREIGN else Match.FOREIGN, Match.FOREIGN)
    t1_label = profile.tier1_label(c1) if c1 else None
    t2_label = loc[1] if loc else None
    if loc and m1 in (Match.EXACT, Match.ALIAS) and loc[0] != t1_label:
        return Resolution(tier1, tier2, c1, c2, loc[0], t2_label, Match.MISPLACED, m2)
    if loc and m1 in (Match.FOREIGN, Match.UNKNOWN, Match.EMPTY):
        return Resolution(tier1, tier2, c1, c2, loc[0], t2_label, m1, m2)
    return Resolution(tier1, tier2, c1, c2, t1_label, t2_label, m1, m2)


def guess_profile(draft: Draft) -> tuple[Profile, str]:
    """The profile a form most likely follows, and why (in Chinese)."""
    profiles = all_profiles()
    if draft.profile:
        return get_profile(draft.profile), "文件指定"
    rows = [(r.tier1, r.tier2) for r in draft.indicators if r.tier1 or r.tier2]
    default = profiles[DEFAULT_BY_KIND[draft.kind]]
    if not rows:
        return default, "按表格类型默认"
    order = list(profiles)
    best, best_score = default, None
    # a department form is judged by a department profile, a project form by a project one
    same = {pid: p for pid, p in profiles.items() if p.family == draft.kind.value} or profiles
    for pid, prof in same.items():
        score = 0.0
        for t1, t2 in rows:
            r = resolve(prof, t1, t2)
            score += {Match.EXACT: 2, Match.ALIAS: 1, Match.TYPO: 1}.get(r.match1, -2)
            score += {Match.EXACT: 2, Match.ALIAS: 1, Match.TYPO: 1}.get(r.match2, -2)
        if prof.family == draft.kind.value:
            score += 0.5
        if prof.id == default.id:
            score += 0.25
        key = (score, -order.index(pid))
        if best_score is None or key > best_score:
            best, best_score = prof, key
    return best, "按指标层级写法推断"
