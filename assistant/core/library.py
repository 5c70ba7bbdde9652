"""The indicator library (data/library/indicators.yaml) and an offline search over it.

Search works on Chinese without a tokenizer: character bigrams weighted by IDF over the library,
plus a rapidfuzz partial match on the name. Used by the offline drafter, the LLM prompt (retrieved
examples) and the app's search-and-insert.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, Field
from rapidfuzz import fuzz

from .profiles import DATA_DIR, Profile, load_yaml
from .values import placeholder

LIBRARY_FILE = DATA_DIR / "library" / "indicators.yaml"
SECTORS = ("社保人社", "教育", "卫生健康", "农业农村", "民政", "住建城管", "生态环境", "文化旅游", "科技", "公安",
           "市场监管", "水利", "交通", "党建培训", "部门管理", "通用")


class Entry(BaseModel):
    id: str
    name: str
    dimension: str  # a 二级 concept: quantity, quality, …, satisfaction, cost_social, cost_ecological
    op: Literal["≥", "≤", "=", "deadline", "period", "grade"]
    unit: str = ""
    conventional: str | None = None
    standard: str = "计划标准"
    sectors: list[str] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list)
    direction: Literal["positive", "negative"] = "positive"
    cost_basis: str | None = None
    note: str | None = None  # advice shown to the user, in words
    source: str | None = None  # where the entry was seen (DOMAIN.md source ids); never shown to users

    def placement(self, profile: Profile) -> tuple[str, str] | None:
        """(一级, 二级) of this entry in a profile; cost entries land under 经济成本 in 2021-central."""
        return profile.tier2_location(self.dimension) or (
            profile.tier2_location("cost") if self.dimension.startswith("cost") else None)

    def value_form(self) -> str:
        """A placeholder in the entry's value form, e.g. ≥（待填）人次 or （待填）(YYYY年M月底前)."""
        if self.op == "deadline":
            return "（待填）年（待填）月底前"
        if self.op == "period":
            return "（待填）"
        if self.op == "grade":
            return "（待填）"
        return placeholder(self.op, self.unit)


@dataclass(frozen=True)
class Hit:
    entry: Entry
    score: float


_CJK = re.compile(r"[\u4e00-\u9fff]+")


def bigrams(text: str) -> list[str]:
    out: list[str] = []
    for run in _CJK.findall(text or ""):
        if len(run) == 1:
            out.append(run)
        out.extend(run[i:i + 2] for i in range(len(run) - 1))
    return out


def char_bigrams(text: str) -> set[str]:
    """The two-character windows of a text's letters and digits (a one-character text is its own window)."""
    t = re.sub(r"[^\u4e00-\u9fffA-Za-z0-9]", "", text or "")
    return {t[i:i + 2] for i in range(len(t) - 1)} or ({t} if t else set())


def dice(a: str, b: str) -> float:
    """How alike two short names are: the Dice coefficient of their character bigrams (0–1)."""
    x, y = char_bigrams(a), char_bigrams(b)
    return 2 * len(x & y) / (len(x) + len(y)) if x and y else 0.0


class Library:
    def __init__(self, entries: list[Entry]):
        self.entries = entries
        self.by_id = {e.id: e for e in entries}
        self._docs: list[Counter[str]] = []
        df: Counter[str] = Counter()
        for e in entries:
            grams = Counter(bigrams(e.name) * 3 + bigrams(" ".join(e.keywords)) * 2 + bigrams(" ".join(e.sectors)))
            self._docs.append(grams)
            df.update(set(grams))
        n = len(entries)
        self._idf = {g: math.log(1 + n / c) for g, c in df.items()}
        self._sector_grams: dict[str, Counter[str]] = defaultdict(Counter)
        for e, doc in zip(entries, self._docs):
            for s in e.sectors:
                self._sector_grams[s].update({g: 1 for g in doc})

    def search(self, query: str, *, sector: str | None = None, dimension: str | set[str] | None = None,
               limit: int = 10, min_score: float = 0.0) -> list[Hit]:
        q = Counter(bigrams(query))
        if not q:
            return []
        dims = {dimension} if isinstance(dimension, str) else dimension
        qnorm = math.sqrt(sum((self._idf.get(g, 0) * c) ** 2 for g, c in q.items())) or 1.0
        hits: list[Hit] = []
        for e, doc in zip(self.entries, self._docs):
            if dims and e.dimension not in dims:
                continue
            dot = sum(self._idf.get(g, 0) ** 2 * min(c, doc[g]) for g, c in q.items() if g in doc)
            if not dot:
                continue
            score = dot / qnorm / (math.sqrt(sum((self._idf.get(g, 0) * c) ** 2 for g, c in doc.items())) or 1)
            score += 0.25 * fuzz.partial_ratio(e.name, query) / 100
            if sector and sector in e.sectors:
                score *= 1.35
            elif sector and "通用" in e.sectors:
                score *= 1.1
            if score >= min_score:
                hits.append(Hit(e, round(score, 4)))
        hits.sort(key=lambda h: -h.score)
        return hits[:limit]

    def sectors_for(self, text: str, top: int = 2) -> list[tuple[str, float]]:
        """The sectors a text is most likely about (by shared bigrams with each sector's entries)."""
        grams = set(bigrams(text))
        scores = []
        for s, counter in self._sector_grams.items():
            if s in ("通用", "部门管理"):
                continue
            hit = sum(self._idf.get(g, 0) for g in grams if g in counter)
            scores.append((s, hit))
        scores.sort(key=lambda x: -x[1])
        return [x for x in scores[:top] if x[1] > 0]


@lru_cache(maxsize=1)
def load_library() -> Library:
    data = load_yaml(LIBRARY_FILE)
    return Library([Entry.model_validate(x) for x in data])
