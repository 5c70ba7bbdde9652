"""A generator of Chinese staff prose that states performance targets, written from the grammar table.

The grammar is the docstring of ``assistant/engines/offline/prose/__init__.py`` (patterns T1–T22, the
comparator table, numbers, and the "Not targets" table) and evals/README.md § "Stated targets". This
module knows nothing about how the offline engine is implemented: it writes prose the way staff write it,
records what every clause commits to, and scores an engine's draft against that record.

API
---
``generate(rng, *, kind="project", style=None, n_targets=None, n_decoys=None, force=None) -> Generated``
  kind: "project" | "department" | "mixed"; style: one of PROJECT_STYLES (comma, semicolon, bullets, yishi,
  runon, chat, oneline) for projects, "sections" for departments; force: template ids to include first.
  Deterministic per rng state. ``Generated.to_json()`` / ``Generated.from_json()`` keep an example stable.

``Generated``: ``text``, ``kind`` ("project" / "department"), ``style``, ``sector``, ``year`` (budget year or
None), ``targets`` (list[Expected]), ``decoys`` (list[Decoy]), ``sentence_count`` (clauses that carry a
target or a decoy; headings and qualitative filler are not counted), ``numbers`` (every number the text
uses, for the uniqueness check).

``Expected`` (one stated target):
  ``template`` ("T1".."T22"), ``variant`` (which surface form: lead, comparator, numeral style…),
  ``quote`` (verbatim substring of the text), ``sentence`` (the clause the target sits in; names are checked
  against its jieba words), ``value`` (the 指标值 as README writes it: "≥2.6万人", "=500元/人·月",
  "11月底前", "=0起"), ``number`` (the figure as written, *before* 万/亿: 2.6 for 2.6万人; 86 for 86万元,
  whose unit is 万元; None for deadlines), ``mult`` (10000 for 2.6万人, else 1), ``magnitude`` (number × mult,
  what ``assistant.core.values.parse(row.value).magnitude`` gives), ``unit`` ("人", "%", "个百分点",
  "元/人·月", "万元", "个工作日"…), ``directions`` (frozenset of "up" / "down" / "exact" / "deadline"; more than
  one only where reviewers genuinely differ), ``tier2`` (frozenset of acceptable 二级 labels, 2020 spelling),
  ``heads`` (the name must contain one of these), ``name_numbers`` (numbers that legitimately belong to the
  name, e.g. 2.5 in PM2.5), ``deadline`` ((year|None, month, day|None, month_end, month_only) for deadlines),
  ``subject`` (the subject as written; words of it may appear in the name). Properties: ``magnitude``,
  ``concepts`` (the 二级 as profile concepts: quantity, quality, timeliness, cost, economic, social,
  ecological, sustainable, satisfaction).

``Decoy`` (a number that must not become a row):
  ``quote`` (the clause), ``text`` (the figure as written: "〔2022〕35号", "32人"), ``number`` (the value as
  read, before 万), ``category`` (year, date, period, doc_number, staff, population, baseline, in_name,
  definition, funding, list_marker, other), ``why`` (Chinese), ``must_report`` (False only for numerals that
  are not figures on their own: 三级甲等, 一级A, 最多跑一次, section headings 一、二、).

``evaluate(gen, outcome) -> Evaluation`` matches the engine's extracted rows (Origin.EXTRACTED) to the expected
targets: a target is "ok" when a row has its number (by magnitude), a direction in ``directions``, a 二级
whose concept is acceptable and a unit of the same family (% / 个百分点 / count / money / time; per-unit money
must stay per unit); otherwise the status says what was wrong (missing / direction / tier2 / unit).
``Evaluation`` also lists decoys whose number is in a row's value, decoys missing from ``out.unused``,
extracted targets also listed there, internal codes in visible fields and name problems
(``name_problems(name, expected)``). The property tests and the report share it. ``run_report`` is the CLI:

    python tests/textgen.py --seed 7 --sentences 5000 --report [--show 5] [--kind mixed|project|department]

Decisions the grammar leaves open (documented so the extractor can align)
-------------------------------------------------------------------------
* Numbers are compared by magnitude (2.6万人 == 26000人; money by 万元: 1.2亿元 == 12000万元), never by text.
* A value without an operator reads as "=" (exact), as on the filed forms.
* 100%: a neutral wording (为 / 百分之百 / no comparator) is "=" only; "达到100%" may be ≥ or =.
* Zero targets (不发生/杜绝/零/清零/为零) expect =0 but ≤0 is accepted (same commitment).
* Explicit comparators win over defaults (补助不低于500元 → ≥; 采购不少于120台 → ≥).
* 下降/降低/减少 N% (T15) is a decrease rate: ≥N% (up), as in the grammar row.
* 第N季度末(前) → month 3N; 上半年 → 6月底前; 年内/年底前/年末前/当年 → 12月底前 (of the budget year when
  the text states one). "第N季度前" and "下半年" are not generated (ambiguous).
* M月中旬/下旬前 only the month is checked.
* Ranges give the lower bound for up and the upper bound for down; the other bound is neither target nor
  decoy. 余 / 多 right after a number → ≥; 约 / 近 / 左右 → the default direction.
* Numbers are unique within one text (targets, decoys, implied months such as 年内 → 12, 第二季度 → 2 and 6),
  with two deliberate exceptions: T19 (A、B均达到95%) shares one number, and list markers may repeat a small
  number in department texts (section heading 一、 and a task marker （一）).
* Numbers inside a target clause's own name (PM2.5, 12345热线, 65岁以上老年人) are not decoys (decoys sit in
  clauses that state no target, or are the 由A of a from–to); they are reserved so no other number equals
  them, and a row's name may contain them (``name_numbers``).
* Past-year baselines ("2022年造林3000亩") are only written when the text states its budget year; a project
  text with a budget year always states it (header or "2024年XX项目：").
* 二级 sets are generous where reviewers differ (覆盖率/普及率: 质量 or 社会; …及时率: 时效 or 质量; accidents /
  上访: 质量 or 社会; grain output growth: 经济 or 社会) and strict where they don't (满意度 → 服务对象满意度;
  deadlines and time limits → 时效; costs, standards, budgets → 成本; 投诉/差错/纠纷 counts → 质量, as the
  grammar's T6 row; 抽检批次 → 数量; 增收/产值/销售额 → 经济效益).
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repo importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.core.values import ParsedValue, ValueKind, arabize, cn_to_int, normalize_text, parse

# =============================================================================================
# 二级 labels
# =============================================================================================

L_QTY, L_QUAL, L_TIME, L_COST = "数量指标", "质量指标", "时效指标", "成本指标"
L_ECON, L_SOC, L_ECO, L_SUS, L_SAT = "经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标", "服务对象满意度指标"
T2CODE = {"Q": L_QTY, "L": L_QUAL, "T": L_TIME, "C": L_COST, "E": L_ECON, "S": L_SOC, "G": L_ECO, "U": L_SUS,
          "M": L_SAT}
CONCEPT = {L_QTY: "quantity", L_QUAL: "quality", L_TIME: "timeliness", L_COST: "cost", L_ECON: "economic",
           L_SOC: "social", L_ECO: "ecological", L_SUS: "sustainable", L_SAT: "satisfaction"}
# in a 2021 central form cost is its own 一级 with 经济成本; a cost row there is still "cost"
CONCEPT_ALIASES = {"cost": {"cost", "cost_social", "cost_ecological"}}


def t2(codes: str) -> frozenset[str]:
    return frozenset(T2CODE[c] for c in codes if c != " ")


# =============================================================================================
# Comparators (the grammar's table) and lead words
# =============================================================================================

LEADS = ["全年", "共", "共计", "累计", "约", "计划", "力争", "确保", "争取", "预计", "年内", "本年度", "其中", "同时", "并"]
LEADS_RATE = ["力争", "确保", "争取", "预计", "全年", "同时", "其中"]
COMPLETION_VERBS = ("完成", "建成", "办结")

UP_BEFORE_CNT = ["不少于", "不低于", "不小于", "至少", "达到", "达"]
UP_BEFORE_PCT = ["不低于", "不小于", "至少", "达到", "达"]
UP_TO = ["提高到", "提升到", "增至", "增加到"]
GT_CNT = ["超过", "多于", "大于", "高于"]
GT_PCT = ["超过", "高于", "大于"]
DOWN_BEFORE_CNT = ["不超过", "不多于", "不大于", "不高于", "控制在", "最多"]
DOWN_BEFORE_PCT = ["不超过", "不高于", "不大于", "控制在"]
DOWN_TO = ["降至", "降低到", "下降到", "压减到"]
LT_ANY = ["低于", "少于", "小于"]
LT_PCT = ["低于", "小于"]
UP_AFTER = ["以上", "及以上"]
UP_NUM_AFTER = ["余", "多"]
DOWN_AFTER = ["以内", "之内", "以下", "及以下"]
NEUTRAL_BEFORE = ["为", "是", "保持", "保持在", "约", "近"]
NEUTRAL_AFTER = ["左右"]

OP_DIR = {"≥": "up", ">": "up", "≤": "down", "<": "down", "=": "exact", None: "exact"}


@dataclass(frozen=True)
class Cmp:
    before: str = ""
    num_after: str = ""  # 余 / 多, between the number and the unit
    after: str = ""
    op: str = "≥"
    dirs: frozenset = frozenset({"up"})
    tag: str = "none"


def choose_cmp(rng: random.Random, pol: str, *, pct: bool = False, hundred: bool = False, allow_to: bool = True,
               integer: bool = True, lead: str = "", verbal: bool = False) -> Cmp:
    """A comparator for a measure whose neutral default is `pol` (up / down / exact).

    verbal: the number follows a verb (培训乡村医生…200人次), where 为/是/保持 would not be written."""
    if lead == "约":  # 约 as the lead already makes the wording neutral
        return Cmp(op=_default_op(pol), dirs=frozenset({pol}), tag="lead约")
    if hundred:
        c = rng.choice(["none", "为", "达到", "保持"])
        if c == "达到":
            return Cmp(before="达到", op="≥", dirs=frozenset({"up", "exact"}), tag="达到100")
        return Cmp(before="" if c == "none" else c, op="=", dirs=frozenset({"exact"}), tag=f"neutral100:{c}")
    d = frozenset({pol})
    if pol == "up":
        opts = ["none", "before", "gt", "after", "both", "neutral", "neutral_after", "keep_after"]
        if not pct and integer:
            opts.append("num_after")
        if allow_to:
            opts.append("to")
        c = rng.choice(opts)
        if c == "none":
            return Cmp(op="≥", dirs=d, tag="none")
        if c == "before":
            w = rng.choice(UP_BEFORE_PCT if pct else UP_BEFORE_CNT)
            return Cmp(before=w, op="≥", dirs=d, tag=f"before:{w}")
        if c == "gt":
            w = rng.choice(GT_PCT if pct else GT_CNT)
            return Cmp(before=w, op=">", dirs=d, tag=f"gt:{w}")
        if c == "after":
            w = rng.choice(UP_AFTER)
            return Cmp(after=w, op="≥", dirs=d, tag=f"after:{w}")
        if c == "both":
            w = rng.choice(["不低于", "不少于"] if not pct else ["不低于", "达到"])
            return Cmp(before=w, after="以上", op="≥", dirs=d, tag=f"both:{w}…以上")
        if c == "num_after":
            w = rng.choice(UP_NUM_AFTER)
            return Cmp(num_after=w, op="≥", dirs=d, tag=f"num_after:{w}")
        if c == "to":
            w = rng.choice(UP_TO)
            return Cmp(before=w, op="≥", dirs=d, tag=f"to:{w}")
        if c == "neutral":
            w = rng.choice(["约", "近"] if verbal else NEUTRAL_BEFORE if pct else ["为", "约", "近"])
            return Cmp(before=w, op="≥", dirs=d, tag=f"neutral:{w}")
        if c == "keep_after":
            if verbal or not pct:
                return Cmp(after="以上", op="≥", dirs=d, tag="after:以上")
            return Cmp(before="保持在", after="以上", op="≥", dirs=d, tag="both:保持在…以上")
        return Cmp(after="左右", op="≥", dirs=d, tag="neutral:左右")
    if pol == "down":
        opts = ["none", "before", "lt", "after", "both", "neutral", "neutral_after"]
        if allow_to:
            opts.append("to")
        c = rng.choice(opts)
        if c == "none":
            return Cmp(op="≤", dirs=d, tag="none")
        if c == "before":
            w = rng.choice(DOWN_BEFORE_PCT if pct else DOWN_BEFORE_CNT)
            return Cmp(before=w, op="≤", dirs=d, tag=f"before:{w}")
        if c == "lt":
            w = rng.choice(LT_PCT if pct else LT_ANY)
            return Cmp(before=w, op="<", dirs=d, tag=f"lt:{w}")
        if c == "after":
            w = rng.choice(DOWN_AFTER)
            return Cmp(after=w, op="≤", dirs=d, tag=f"after:{w}")
        if c == "both":
            w = rng.choice(["以内", "以下"])
            return Cmp(before="控制在", after=w, op="≤", dirs=d, tag=f"both:控制在…{w}")
        if c == "to":
            w = rng.choice(DOWN_TO)
            return Cmp(before=w, op="≤", dirs=d, tag=f"to:{w}")
        if c == "neutral":
            w = rng.choice(["约"] if verbal else ["为", "约", "保持在"] if pct else ["为", "约"])
            return Cmp(before=w, op="≤", dirs=d, tag=f"neutral:{w}")
        return Cmp(after="左右", op="≤", dirs=d, tag="neutral:左右")
    # exact: subsidy standards, things bought
    c = rng.choice(["none", "none", "约", "up", "down"] + ([] if verbal else ["为"]))
    if c == "up":
        w = rng.choice(["不少于", "不低于"])
        return Cmp(before=w, op="≥", dirs=frozenset({"up"}), tag=f"before:{w}")
    if c == "down":
        w = rng.choice(["不超过", "不高于"])
        return Cmp(before=w, op="≤", dirs=frozenset({"down"}), tag=f"before:{w}")
    return Cmp(before="" if c == "none" else c, op="=", dirs=frozenset({"exact"}), tag=f"neutral:{c}")


def _default_op(pol: str) -> str:
    return {"up": "≥", "down": "≤", "exact": "="}[pol]


# =============================================================================================
# Numbers: unique within a text, written as people write them
# =============================================================================================

CN_DIGITS = "零一二三四五六七八九"
FULLWIDTH = str.maketrans("0123456789.%,", "０１２３４５６７８９．％，")


def to_cn(n: int, liang: bool = False) -> str:
    """An integer in Chinese numerals (十二, 一百零五, 一千五百, 三万五千); 两 for a leading 2 when asked."""
    if n == 0:
        return "零"

    def section(m: int) -> str:
        out, zero = "", False
        for p, u in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
            d = m // p % 10
            if d:
                if zero and out:
                    out += "零"
                out += CN_DIGITS[d] + u
                zero = False
            elif out:
                zero = True
        return out

    wan, rest = divmod(n, 10000)
    s = ""
    if wan:
        s = section(wan) + "万"
        if rest and rest < 1000:
            s += "零"
    s += section(rest)
    if s.startswith("一十"):
        s = s[1:]
    if liang and s[0] == "二" and len(s) > 1 and s[1] in "千百万":
        s = "两" + s[1:]
    return s


def fmt(x: float) -> str:
    if float(x).is_integer():
        return str(int(x))
    return f"{x:.4f}".rstrip("0").rstrip(".")


def _key(x: float) -> float:
    return round(float(x), 6)


class Pool:
    """The numbers a text uses. Every draw is new; targets avoid the year range."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[float] = set()

    def free(self, *xs: float) -> bool:
        return all(_key(x) not in self.used for x in xs)

    def add(self, *xs: float) -> None:
        for x in xs:
            self.used.add(_key(x))

    def pick_int(self, lo: int, hi: int, *, year_ok: bool = False, tries: int = 80) -> int | None:
        for _ in range(tries):
            n = self.rng.randint(lo, hi)
            if not year_ok and 1990 <= n <= 2100:
                continue
            if self.free(n):
                self.add(n)
                return n
        return None


@dataclass(frozen=True)
class Num:
    text: str  # as written in the prose (may be full width / Chinese / 百分之…)
    number: float  # as written, before the multiplier
    mult: int = 1
    style: str = "ar"
    has_pct_sign: bool = False  # True when the text already carries the % (百分之… or ％)

    @property
    def magnitude(self) -> float:
        return self.number * self.mult

    @property
    def value_text(self) -> str:
        return fmt(self.number) + {1000: "千", 10_000: "万", 100_000_000: "亿"}.get(self.mult, "")


def _nice_values(lo: float, hi: float) -> list[int]:
    out = []
    for a in range(2, 100):
        for k in range(7):
            v = a * 10**k
            if lo <= v <= hi and (a < 10 or a % 10 or k == 0):
                out.append(v)
    return sorted(set(out))


def draw_num(ctx: Ctx, lo: float, hi: float, *, decimals: int = 0, pct: bool = False, wan_ok: bool = True,
             cn_ok: bool = True, money: bool = False, styles: tuple[str, ...] | None = None) -> Num | None:
    """A fresh number in [lo, hi] written in a random style. None when nothing free is left."""
    rng, pool = ctx.rng, ctx.pool
    choices = list(styles) if styles else ["ar", "ar", "ar", "fw", "cn", "comma", "wan", "dec", "qian"]
    for _ in range(60):
        style = rng.choice(choices)
        if style == "wan" and (not wan_ok or hi < 20000 or pct):
            style = "ar"
        if style == "comma" and (hi < 1000 or pct):
            style = "ar"
        if style == "dec" and decimals == 0:
            style = "ar"
        if style == "cn" and not cn_ok:
            style = "ar"
        if style == "qian":  # 1.2千人 (rare, but in the grammar's number list)
            if pct or money or hi < 1500 or lo > 9900:
                style = "ar"
            else:
                q = round(rng.uniform(max(lo, 1000) / 1e3, min(hi, 9900) / 1e3), 1)
                if float(q).is_integer() or not pool.free(q, q * 1e3):
                    continue
                pool.add(q, q * 1e3)
                return Num(fmt(q) + "千", q, 1000, "qian")
        if style == "wan":
            w = round(rng.uniform(max(lo, 10000) / 1e4, hi / 1e4), rng.choice([0, 1, 1, 2]))
            if w <= 0 or not pool.free(w, w * 1e4):
                continue
            pool.add(w, w * 1e4)
            t = fmt(w) + "万"
            if rng.random() < 0.15:
                t = t.translate(FULLWIDTH)
            return Num(t, w, 10_000, "wan")
        if style == "cn":
            vals = [v for v in _nice_values(lo, hi) if len(to_cn(v)) >= 2 and pool.free(v)
                    and not 1990 <= v <= 2100]
            if pct:
                vals = [v for v in range(max(int(lo), 10), int(hi) + 1) if pool.free(v)]
            if not vals:
                continue
            v = rng.choice(vals)
            pool.add(v)
            if pct:
                return Num("百分之" + to_cn(v), v, 1, "cn", has_pct_sign=True)
            if v >= 10000 and v % 10000 == 0 and rng.random() < 0.5 and pool.free(v // 10000):
                pool.add(v // 10000)
                return Num(to_cn(v // 10000) + "万", v // 10000, 10_000, "cn-wan")
            return Num(to_cn(v, liang=rng.random() < 0.5), v, 1, "cn")
        if style == "dec":
            x = round(rng.uniform(lo, hi), decimals)
            if float(x).is_integer() or not pool.free(x):
                continue
            pool.add(x)
            return Num(fmt(x), x, 1, "dec")
        # ar / fw / comma: integers, or one decimal where the range is narrow
        if decimals and (hi - lo < 5 or rng.random() < 0.3):
            x = round(rng.uniform(lo, min(hi, 99.9) if pct else hi), decimals)
        else:
            x = rng.randint(max(1, int(lo)), int(hi))
        if x <= 0 or (not pct and float(x).is_integer() and 1990 <= x <= 2100) or not pool.free(x):
            continue
        if float(x).is_integer():
            x = int(x)
        pool.add(x)
        if style == "comma" and x >= 1000 and float(x).is_integer():
            return Num(f"{int(x):,}", x, 1, "comma")
        if style == "fw":
            t = fmt(x) + ("%" if pct else "")
            return Num(t.translate(FULLWIDTH), x, 1, "fw", has_pct_sign=pct)
        return Num(fmt(x), x, 1, "ar")
    return None


def num_text(n: Num, pct: bool) -> str:
    """The number as it stands before the unit; percentages get their % sign here."""
    if pct and not n.has_pct_sign:
        return n.text + "%"
    return n.text


# =============================================================================================
# Subjects (per concept type), as data
# =============================================================================================


@dataclass(frozen=True)
class Subj:
    sector: str
    text: str  # subject / object as written
    heads: tuple[str, ...]  # the row's name must contain one of these
    unit: str = ""
    lo: float = 10
    hi: float = 1000
    tier2: str = "Q"
    pol: str = "up"
    verb: str = ""
    dec: int = 0
    name_nums: tuple[float, ...] = ()
    key: str = ""  # measurable name for T5 key–value lines
    wan_ok: bool = True


def S(sector, text, heads, unit="", lo=10, hi=1000, tier2="Q", pol="up", verb="", dec=0, name_nums=(), key="",
      wan_ok=True) -> Subj:
    if isinstance(heads, str):
        heads = (heads,)
    return Subj(sector, text, tuple(heads), unit, lo, hi, tier2, pol, verb, dec, tuple(name_nums), key, wan_ok)


# T1: [LEAD] SUBJECT [CMP<] NUM UNIT [CMP>]
COUNT_SUBJECTS = [
    S("卫生", "签约居民", "签约居民", "人", 8000, 60000, "Q", key="签约居民人数"),
    S("卫生", "家庭医生签约服务人数", "签约", "人", 5000, 50000, "Q"),
    S("卫生", "免费体检65岁以上老年人", ("体检", "老年人"), "人", 3000, 20000, "QS", name_nums=(65,)),
    S("医保", "城乡居民医保参保人数", "参保", "人", 50000, 600000, "QS", key="城乡居民医保参保人数"),
    S("民政", "城乡低保对象", "低保", "人", 1500, 12000, "QS", key="低保保障人数"),
    S("民政", "特困供养人员", "特困", "人", 300, 3000, "QS"),
    S("民政", "临时救助", "临时救助", "人次", 200, 3000, "QS"),
    S("残联", "辅助器具适配残疾人", "辅助器具", "人", 200, 2000, "Q"),
    S("妇联", "参加巾帼家政培训妇女", "家政培训", "人", 100, 900, "Q"),
    S("教育", "受资助家庭经济困难学生", "资助", "人次", 800, 9000, "QS", key="资助学生人次"),
    S("教育", "营养改善计划受益学生", "营养改善", "人", 3000, 30000, "QS"),
    S("农业", "受益农户", "受益农户", "户", 300, 6000, "QSE", key="受益农户数"),
    S("人社", "城镇新增就业", "就业", "人", 1500, 9000, "QS", key="城镇新增就业人数"),
    S("人社", "农村劳动力转移就业", "转移就业", "人", 2000, 30000, "QSE"),
    S("统计", "住户调查样本户", "样本户", "户", 200, 2000, "Q", key="住户调查样本户数"),
    S("统计", "联网直报单位", "联网直报", "家", 120, 900, "Q"),
    S("信访", "接待群众来访", "来访", "人次", 300, 5000, "Q", key="接待来访人次"),
    S("体育", "全民健身活动参与群众", "全民健身", "人次", 5000, 80000, "QS"),
    S("司法", "法律援助案件", "法律援助", "件", 150, 900, "Q", key="法律援助案件数"),
    S("司法", "人民调解案件", "调解", "件", 400, 3000, "QS"),
    S("文旅", "景区接待游客", "游客", "人次", 200000, 3000000, "QSE"),
    S("文旅", "公共图书馆接待读者", "读者", "人次", 20000, 200000, "QS"),
    S("应急", "应急演练参演人员", "演练", "人次", 500, 6000, "Q"),
    S("交通", "农村客运班线", "客运班线", "条", 20, 120, "Q", wan_ok=False),
    S("城管", "生活垃圾清运量", "垃圾清运", "吨", 20000, 90000, "QG"),
    S("商务", "新增限额以上企业", "限额以上企业", "家", 12, 80, "QE", wan_ok=False),
    S("林业", "生态护林员", "护林员", "名", 80, 600, "QS", wan_ok=False),
    S("环保", "空气自动监测站点", "监测站", "个", 6, 40, "Q", wan_ok=False),
    S("水利", "农村饮水安全受益人口", "饮水安全", "人", 10000, 150000, "QS"),
    S("市场", "食品安全抽检", "抽检", "批次", 300, 3000, "Q", key="食品抽检批次"),
    S("农业", "高标准农田建设面积", "高标准农田", "亩", 3000, 50000, "Q", key="高标准农田建设面积"),
    S("城管", "新增绿化面积", "绿化", "平方米", 20000, 300000, "QG"),
    S("水利", "水土流失治理面积", "水土流失", "平方公里", 5, 60, "QG", dec=1, wan_ok=False),
    S("交通", "农村公路提质改造里程", "农村公路", "公里", 20, 300, "Q", dec=1, wan_ok=False, key="农村公路改造里程"),
    S("水利", "河道清淤长度", "河道清淤", "公里", 8, 90, "Q", dec=1, wan_ok=False),
    S("林业", "森林抚育面积", "森林抚育", "亩", 2000, 40000, "QG"),
    S("水利", "工程设计使用年限", "使用年限", "年", 15, 50, "U", wan_ok=False),
    S("城管", "设施正常使用年限", "使用年限", "年", 8, 30, "U", wan_ok=False),
    S("卫生", "培养基层卫生人才", "卫生人才", "名", 20, 150, "QUS", wan_ok=False),
]

# T3: [LEAD] VERB OBJECT [CMP<] NUM UNIT
VERB_OBJECTS = [
    S("卫生", "乡村医生", "乡村医生", "人次", 120, 900, "Q", verb="培训", key="乡村医生培训人次"),
    S("卫生", "高血压患者", "高血压", "人", 2000, 20000, "QS", verb="规范管理"),
    S("教育", "家庭经济困难学生", "困难学生", "人次", 500, 8000, "QS", verb="资助"),
    S("教育", "中小学教师", "教师", "人次", 300, 3000, "Q", verb="培训"),
    S("农业", "高素质农民", "高素质农民", "人", 100, 900, "Q", verb="培育"),
    S("农业", "水稻新品种", "水稻", "亩", 2000, 30000, "QE", verb="推广"),
    S("民政", "困难群众", "困难群众", "人次", 500, 6000, "QS", verb="救助"),
    S("残联", "残疾人", "残疾人", "人次", 150, 1500, "QS", verb="培训"),
    S("妇联", "农村妇女", "妇女", "人次", 300, 3000, "Q", verb="培训"),
    S("人社", "职业技能培训", "职业技能培训", "人次", 800, 9000, "Q", verb="开展"),
    S("司法", "法律援助案件", "法律援助", "件", 150, 900, "Q", verb="办理"),
    S("司法", "矛盾纠纷", "矛盾纠纷", "件", 300, 3000, "QS", verb="调处"),
    S("信访", "信访积案", "积案", "件", 15, 120, "QS", verb="化解", wan_ok=False),
    S("应急", "生产经营单位", "生产经营单位", "家", 200, 2000, "Q", verb="检查"),
    S("应急", "安全隐患", "隐患", "处", 300, 3000, "QL", verb="排查整治"),
    S("市场", "食品", "食品", "批次", 300, 3000, "Q", verb="抽检"),
    S("市场", "特种设备", "特种设备", "台", 200, 2000, "Q", verb="检验"),
    S("林业", "人工造林", "造林", "亩", 2000, 30000, "QG", verb="完成"),
    S("林业", "森林抚育", "森林抚育", "亩", 2000, 30000, "QG", verb="完成"),
    S("环保", "化学需氧量", "化学需氧量", "吨", 50, 900, "G", verb="削减", dec=1),
    S("水利", "河道", "河道", "公里", 8, 90, "Q", verb="清淤", dec=1, wan_ok=False),
    S("交通", "农村公路", "农村公路", "公里", 20, 300, "Q", verb="改造", dec=1, wan_ok=False),
    S("城管", "生活垃圾", "生活垃圾", "吨", 20000, 90000, "QG", verb="清运"),
    S("城管", "占道经营", "占道经营", "处", 150, 900, "QL", verb="整治"),
    S("文旅", "送戏下乡演出", "送戏下乡", "场", 40, 300, "QS", verb="开展", wan_ok=False),
    S("文旅", "游客", "游客", "人次", 200000, 3000000, "QSE", verb="接待"),
    S("体育", "全民健身赛事活动", "赛事", "场次", 20, 150, "QS", verb="举办", wan_ok=False),
    S("统计", "统计执法检查", "执法检查", "次", 12, 60, "Q", verb="开展", wan_ok=False),
    S("统计", "统计人员", "统计人员", "人次", 150, 900, "Q", verb="培训"),
    S("商务", "电商从业人员", "电商", "人次", 200, 2000, "Q", verb="培训"),
    S("医保", "定点医药机构", "医药机构", "家", 50, 400, "Q", verb="检查", wan_ok=False),
]

# T4: [LEAD] VERB [CMP<] NUM UNIT OBJECT  (unit = classifier)
VERB_UNIT_OBJECTS = [
    S("卫生", "村级服务站", "服务站", "个", 3, 40, "Q", verb="新建", wan_ok=False),
    S("民政", "日间照料中心", "日间照料", "个", 3, 30, "Q", verb="建成", wan_ok=False),
    S("教育", "薄弱学校", "薄弱学校", "所", 3, 30, "Q", verb="改造", wan_ok=False),
    S("城管", "公厕", "公厕", "座", 5, 60, "Q", verb="新建", wan_ok=False),
    S("农业", "美丽乡村示范村", "示范村", "个", 3, 30, "Q", verb="打造", wan_ok=False),
    S("体育", "社区体育公园", "体育公园", "个", 3, 20, "Q", verb="新建", wan_ok=False),
    S("文旅", "送戏下乡演出", "送戏下乡", "场", 20, 300, "QS", verb="开展", wan_ok=False),
    S("人社", "技能培训班", "培训班", "期", 6, 60, "Q", verb="举办", wan_ok=False),
    S("应急", "综合应急演练", "应急演练", "次", 4, 40, "Q", verb="组织", wan_ok=False),
    S("交通", "公共停车泊位", "停车泊位", "个", 200, 3000, "Q", verb="新增", wan_ok=False),
    S("司法", "法律服务工作站", "法律服务工作站", "个", 8, 60, "Q", verb="设立", wan_ok=False),
    S("城管", "执法记录仪", "执法记录仪", "台", 30, 300, "Q", pol="exact", verb="配备", wan_ok=False),
    S("卫生", "负压救护车", "救护车", "辆", 2, 9, "Q", pol="exact", verb="采购", wan_ok=False),
    S("统计", "数据采集终端", "采集终端", "台", 20, 200, "Q", pol="exact", verb="购置", wan_ok=False),
    S("残联", "宣传资料", "宣传资料", "份", 2000, 20000, "Q", verb="发放"),
    S("农业", "村庄规划", "村庄规划", "个", 8, 60, "Q", verb="完成", wan_ok=False),
    S("环保", "农村污水处理站", "污水处理站", "座", 3, 30, "QG", verb="建设", wan_ok=False),
    S("交通", "农村公路", "农村公路", "公里", 20, 300, "Q", verb="新建", dec=1, wan_ok=False),
    S("农业", "油茶", "油茶", "亩", 500, 9000, "QE", verb="种植", wan_ok=False),
    S("林业", "人工造林", "造林", "亩", 2000, 30000, "QG", verb="完成"),
    S("住建", "农村危房", "危房", "户", 50, 900, "QS", verb="改造", wan_ok=False),
    S("城管", "路灯", "路灯", "盏", 100, 2000, "Q", verb="安装", wan_ok=False),
    S("民政", "养老床位", "养老床位", "张", 50, 600, "Q", verb="新增", wan_ok=False),
    S("商务", "电商服务站点", "电商服务站", "个", 10, 120, "Q", verb="建设", wan_ok=False),
    S("水利", "山塘", "山塘", "口", 10, 120, "Q", verb="整治", wan_ok=False),
    S("妇联", "儿童之家", "儿童之家", "个", 5, 60, "Q", verb="建成", wan_ok=False),
]

# T2: SUBJECT(率) [CMP<] NUM % [CMP>]
RATES_UP = [
    S("卫生", "重点人群签约率", "签约率", "%", 60, 90, "LS", key="重点人群签约率"),
    S("卫生", "适龄儿童免疫规划疫苗接种率", "接种率", "%", 90, 99, "LS", dec=1),
    S("卫生", "孕产妇系统管理率", "系统管理率", "%", 85, 96, "LS"),
    S("教育", "义务教育巩固率", "巩固率", "%", 94, 99.5, "LS", dec=1),
    S("统计", "统计数据上报及时率", "及时率", "%", 95, 99.5, "TL", dec=1),
    S("信访", "信访事项按期办结率", "办结率", "%", 90, 99, "TL", key="信访事项按期办结率"),
    S("司法", "法律援助案件结案率", "结案率", "%", 85, 98, "L"),
    S("林业", "造林成活率", "成活率", "%", 80, 95, "LG"),
    S("农业", "农作物病虫害统防统治覆盖率", "统防统治", "%", 40, 70, "LSG"),
    S("医保", "城乡居民医保参保率", "参保率", "%", 92, 99, "LS", dec=1),
    S("残联", "残疾人基本康复服务覆盖率", "康复服务覆盖率", "%", 80, 95, "LS"),
    S("民政", "救助政策知晓率", "知晓率", "%", 80, 95, "SL"),
    S("城管", "生活垃圾无害化处理率", "无害化处理率", "%", 90, 99, "GL", key="生活垃圾无害化处理率"),
    S("环保", "城镇污水集中处理率", "污水集中处理率", "%", 85, 98, "GL"),
    S("环保", "空气质量优良天数比例", "优良天数", "%", 80, 95, "GL", dec=1),
    S("水利", "农村自来水普及率", "自来水普及率", "%", 85, 98, "SL"),
    S("体育", "公共体育场馆开放率", "开放率", "%", 80, 98, "LS"),
    S("商务", "电商服务站点行政村覆盖率", "覆盖率", "%", 60, 95, "LS"),
    S("应急", "应急物资储备达标率", "达标率", "%", 85, 99, "L"),
    S("市场", "食品安全抽检合格率", "抽检合格率", "%", 95, 99.5, "L", dec=1),
    S("交通", "农村公路优良路率", "优良路率", "%", 60, 85, "L"),
    S("妇联", "适龄妇女宫颈癌筛查率", "宫颈癌筛查", "%", 60, 90, "LS"),
]
RATES_100 = [
    S("通用", "项目验收合格率", "验收合格率", "%", 100, 100, "L", key="项目验收合格率"),
    S("教育", "补助资金按时发放率", "按时发放率", "%", 100, 100, "TL"),
    S("教育", "建档立卡学生资助覆盖率", "资助覆盖率", "%", 100, 100, "LS"),
    S("统计", "设备安装调试合格率", "调试合格率", "%", 100, 100, "L"),
    S("信访", "信访事项受理率", "受理率", "%", 100, 100, "L"),
    S("民政", "特困人员救助供养覆盖率", "供养覆盖率", "%", 100, 100, "LS"),
]
RATES_DOWN = [
    S("统计", "统计数据差错率", "差错率", "%", 0.5, 3, "L", pol="down", dec=1, key="统计数据差错率"),
    S("信访", "重复信访率", "重复信访率", "%", 2, 10, "LS", pol="down", dec=1),
    S("医保", "医保基金违规支付率", "违规支付率", "%", 0.5, 3, "L", pol="down", dec=1),
    S("卫生", "院内感染发生率", "感染发生率", "%", 1, 5, "L", pol="down", dec=1),
    S("市场", "产品质量抽检不合格率", "不合格率", "%", 2, 8, "L", pol="down", dec=1),
    S("水利", "供水管网漏损率", "漏损率", "%", 8, 15, "L", pol="down", dec=1),
    S("交通", "公交车辆故障率", "故障率", "%", 1, 6, "L", pol="down", dec=1),
]

# T7: satisfaction (group, service) — strict: 服务对象满意度指标
SATISFACTION = [
    S("卫生", "签约居民", "签约居民", key="家庭医生服务"), S("医保", "参保群众", "参保群众", key="医保经办服务"),
    S("教育", "受助学生", "受助学生", key="资助工作"), S("残联", "残疾人及其家属", "残疾人", key="康复服务"),
    S("妇联", "参训妇女", "参训妇女", key="培训"), S("信访", "来访群众", "来访群众", key="信访接待"),
    S("司法", "受援群众", "受援群众", key="法律援助服务"), S("文旅", "游客", "游客", key="景区服务"),
    S("体育", "参赛群众", "参赛群众", key="赛事组织"), S("民政", "救助对象", "救助对象", key="救助服务"),
    S("农业", "受益农户", "受益农户", key="项目实施"), S("商务", "参训学员", "参训学员", key="电商培训"),
    S("城管", "市民", "市民", key="市容环境"), S("统计", "调查对象", "调查对象", key="统计调查"),
    S("应急", "企业", "企业", key="安全生产执法"), S("交通", "沿线群众", "沿线群众", key="农村公路建设"),
    S("水利", "受益群众", "受益群众", key="供水服务"), S("人社", "服务对象", "服务对象", key="就业服务"),
    S("林业", "林农", "林农", key="林业技术服务"), S("环保", "周边群众", "周边群众", key="环境治理"),
    S("市场", "消费者", "消费者", key="市场监管"),
]

# T6: negative events, ≤ by default
EVENTS = [
    S("应急", "一般生产安全事故", "事故", "起", 3, 30, "LS", pol="down", wan_ok=False, key="一般生产安全事故起数"),
    S("交通", "道路交通事故死亡人数", "交通事故", "人", 5, 30, "SL", pol="down", wan_ok=False),
    S("信访", "越级上访", "越级上访", "批次", 3, 20, "SL", pol="down", wan_ok=False),
    S("卫生", "医疗纠纷", "医疗纠纷", "起", 3, 30, "L", pol="down", wan_ok=False),
    S("司法", "行政复议被纠错案件", "纠错", "件", 2, 15, "L", pol="down", wan_ok=False),
    S("城管", "城市管理类有效投诉", "投诉", "件", 20, 90, "L", pol="down", wan_ok=False, key="有效投诉件数"),
    S("通用", "履约投诉", "投诉", "件", 5, 40, "L", pol="down", wan_ok=False),
    S("林业", "森林火灾", "森林火灾", "起", 2, 20, "LGS", pol="down", wan_ok=False),
    S("统计", "统计数据质量差错", "差错", "次", 3, 20, "L", pol="down", wan_ok=False),
    S("市场", "消费者投诉", "投诉", "件", 30, 300, "L", pol="down", wan_ok=False),
    S("通用", "系统故障", "故障", "次", 3, 20, "L", pol="down", wan_ok=False),
]

# T21: zero targets (=0)
ZERO_EVENTS = [
    ("应急", "重大安全生产事故", ("安全生产事故", "安全事故"), "LS", "起"),
    ("林业", "重大森林火灾", ("森林火灾",), "LGS", "起"),
    ("市场", "重大食品安全事故", ("食品安全事故",), "LS", "起"),
    ("信访", "重大群体性事件", ("群体性事件",), "SL", "起"),
    ("人社", "拖欠农民工工资案件", ("欠薪", "拖欠"), "SL", "件"),
    ("统计", "统计造假弄虚作假行为", ("统计造假", "造假"), "L", "起"),
    ("环保", "较大环境污染事件", ("环境污染",), "GL", "起"),
    ("通用", "数据泄露事件", ("数据泄露",), "L", "起"),
    ("卫生", "重大医疗事故", ("医疗事故",), "LS", "起"),
    ("教育", "校园安全责任事故", ("校园安全",), "LS", "起"),
]
ZERO_FORMS = [  # (pattern, event slot rules)
    "不发生{E}", "杜绝{E}", "无{E}", "{E}为零", "{E}零发生", "确保不发生{E}", "全年{E}清零", "{E}数量为零",
    "实现{E}“零发生”",
]

# T11: per-unit costs and standards
PER_UNIT = [
    # (sector, pattern with {PER}, {CMP}, {NUM}, unit for the value, polarity, heads, range, tier2)
    ("民政", "城市低保对象每人每月补助{CMP}{NUM}元", "元/人·月", "exact", ("补助",), (300, 900)),
    ("教育", "按每生每年{NUM}元标准发放营养膳食补助", "元/生·年", "exact", ("营养膳食", "补助"), (800, 1500)),
    ("农业", "高标准农田建设亩均财政补助{CMP}{NUM}元", "元/亩", "exact", ("补助",), (1200, 3000)),
    ("残联", "重度残疾人护理补贴每人每月{CMP}{NUM}元", "元/人·月", "exact", ("护理补贴",), (60, 200)),
    ("林业", "生态护林员每人每年补助{CMP}{NUM}元", "元/人·年", "exact", ("补助",), (6000, 12000)),
    ("人社", "职业技能培训人均补贴{CMP}{NUM}元", "元/人", "exact", ("补贴",), (600, 2000)),
    ("体育", "全民健身赛事每场补助{CMP}{NUM}元", "元/场", "exact", ("补助",), (3000, 20000)),
    ("文旅", "送戏下乡演出场均补助{CMP}{NUM}元", "元/场", "exact", ("补助",), (2000, 8000)),
    ("妇联", "巾帼创业示范户户均奖励{CMP}{NUM}元", "元/户", "exact", ("奖励",), (1000, 5000)),
    ("教育", "学前教育生均公用经费标准{CMP}{NUM}元", "元/生·年", "exact", ("公用经费",), (400, 900)),
    ("人社", "人均培训成本{CMP}{NUM}元", "元/人", "down", ("培训成本",), (300, 1500)),
    ("城管", "生活垃圾每吨处理费用{CMP}{NUM}元", "元/吨", "down", ("处理费用", "处理成本"), (80, 200)),
    ("市场", "食品抽检每批次检测费用{CMP}{NUM}元", "元/批次", "down", ("检测费用", "检测成本"), (300, 900)),
    ("交通", "农村公路每公里年养护成本{CMP}{NUM}元", "元/公里", "down", ("养护成本",), (3000, 9000)),
    ("应急", "执法记录仪单台采购价格{CMP}{NUM}元", "元/台", "down", ("采购价格", "单价", "采购成本"), (1500, 4000)),
    ("统计", "人均会议成本{CMP}{NUM}元", "元/人", "down", ("会议成本",), (100, 400)),
    ("卫生", "免费体检人均费用{CMP}{NUM}元", "元/人", "down", ("体检",), (80, 300)),
    # slash forms
    ("党建", "培训费标准{NUM}元/人·天", "元/人·天", "exact", ("培训费",), (300, 650)),
    ("通用", "会议费{CMP}{NUM}元/人", "元/人", "down", ("会议费",), (150, 450)),
    ("市场", "抽检检测费{NUM}元/批次", "元/批次", "down", ("检测费",), (300, 900)),
]

# T12: the project's own budget (project text), ≤ in the unit written
BUDGET_FORMS = ["项目经费{NUM}万元", "项目预算{NUM}万元", "本项目总投资{NUM}万元", "项目资金共计{NUM}万元",
                "申请财政资金{NUM}万元", "项目总预算{NUM}万元", "预算安排{NUM}万元"]
BUDGET_HEADS = ("成本", "经费", "预算", "投资", "资金")

# T13: benefit money, ≥
BENEFITS = [
    S("农业", "带动农户增收", "增收", "万元", 50, 800, "E"),
    S("商务", "实现农产品网络销售额", "销售额", "万元", 500, 5000, "E"),
    S("农业", "新增产值", "产值", "万元", 300, 9000, "E"),
    S("医保", "追回违规使用医保基金", "追回", "万元", 20, 300, "EL"),
    S("人社", "为农民工追讨欠薪", "欠薪", "万元", 50, 900, "ES"),
    S("文旅", "实现旅游综合收入", "旅游综合收入", "亿元", 2, 30, "E", dec=1),
    S("司法", "为群众挽回经济损失", "挽回", "万元", 30, 600, "ES"),
    S("农业", "受益农户户均增收", "增收", "元", 800, 5000, "E"),
    S("商务", "带动社会投资", "投资", "万元", 300, 5000, "E"),
    S("交通", "节约财政资金", "节约", "万元", 10, 200, "E"),
    S("林业", "林下经济产值", "产值", "万元", 300, 5000, "E"),
]

# T14: relative change up (提高/增长/上升 N %/个百分点), ≥
CHANGE_UP = [
    S("卫生", "居民健康素养水平", "健康素养", "个百分点", 0.5, 3, "S", dec=1),
    S("农业", "农村居民人均可支配收入", "可支配收入", "%", 5, 9, "E", dec=1),
    S("林业", "森林覆盖率", "森林覆盖率", "个百分点", 0.2, 1.5, "G", dec=1),
    S("农业", "粮食总产量", "粮食", "%", 1, 5, "ES", dec=1),
    S("商务", "社会消费品零售总额", "零售总额", "%", 5, 10, "E", dec=1),
    S("文旅", "接待游客人次", "游客", "%", 8, 20, "ES"),
    S("体育", "经常参加体育锻炼人数比例", "体育锻炼", "个百分点", 1, 3, "S", dec=1),
    S("教育", "学前教育毛入园率", "入园率", "个百分点", 1, 4, "SL", dec=1),
    S("环保", "空气质量优良天数比例", "优良天数", "个百分点", 0.5, 3, "G", dec=1),
    S("医保", "异地就医直接结算率", "直接结算率", "个百分点", 2, 8, "SL"),
]
CHANGE_REFS = ["较上年", "同比", "比上年", "", "较{PY}年"]
CHANGE_UP_VERBS = ["提高", "增长", "上升", "提升"]

# T15: relative decrease (下降/降低/减少 N %), ≥ (a decrease rate)
CHANGE_DOWN = [
    S("环保", "PM2.5平均浓度", ("PM2.5", "浓度"), "%", 3, 12, "G", name_nums=(2.5,), dec=1),
    S("环保", "单位GDP能耗", "能耗", "%", 2, 5, "G", dec=1),
    S("农业", "化学农药使用量", "农药", "%", 3, 10, "G"),
    S("农业", "化肥使用量", "化肥", "%", 2, 8, "G"),
    S("交通", "道路交通事故死亡人数", "交通事故", "%", 5, 15, "SL"),
    S("信访", "信访总量", "信访", "%", 5, 20, "S"),
    S("环保", "主要污染物排放总量", "排放", "%", 2, 6, "G", dec=1),
    S("应急", "生产安全事故起数", "事故", "%", 5, 15, "SL"),
    S("城管", "生活垃圾填埋量", "填埋", "%", 5, 15, "G"),
]
CHANGE_DOWN_VERBS = ["下降", "降低", "减少"]

# T16 / T17: from–to
FROM_TO_UP = [
    S("水利", "农村自来水普及率", "自来水普及率", "%", 70, 98, "SL"),
    S("体育", "全民健身设施行政村覆盖率", "覆盖率", "%", 60, 98, "SL"),
    S("城管", "生活垃圾分类覆盖率", "垃圾分类", "%", 30, 90, "GLS"),
    S("林业", "林木良种使用率", "良种使用率", "%", 60, 90, "LG"),
    S("卫生", "重点人群签约率", "签约率", "%", 60, 90, "LS"),
    S("教育", "学前教育毛入园率", "入园率", "%", 80, 98, "SL"),
    S("医保", "异地就医直接结算率", "直接结算率", "%", 60, 95, "LS"),
    S("文旅", "年接待游客量", "游客", "万人次", 20, 300, "QSE"),
    S("农业", "农产品质量安全检测合格率", "检测合格率", "%", 90, 99, "L"),
]
FROM_TO_DOWN = [
    S("政务", "行政审批办理时限", "办理时限", "个工作日", 3, 20, "T"),
    S("医保", "医保报销结算时间", "结算时间", "天", 5, 30, "T"),
    S("信访", "重复信访率", "重复信访率", "%", 2, 15, "LS", dec=1),
    S("市场", "企业开办时间", "企业开办", "个工作日", 2, 8, "T"),
    S("交通", "农村公路危桥", "危桥", "座", 3, 30, "QLS"),
    S("卫生", "平均住院日", "住院日", "天", 6, 12, "LT", dec=1),
    S("城管", "城区易涝积水点", "积水点", "处", 3, 30, "LSQ"),
]
FROM_TO_UP_FORMS = ["{S}由{A}提高到{B}", "{S}从{A}提升至{B}", "{S}由上年的{A}增加到{B}", "将{S}由{A}提高至{B}",
                    "{S}由{A}提升到{B}"]
FROM_TO_DOWN_FORMS = ["{S}由{A}压减至{B}", "{S}从{A}降低到{B}", "{S}由{A}下降到{B}", "将{S}由{A}压减到{B}",
                      "{S}由{A}减少到{B}", "{S}由{A}降至{B}"]

# T18: enumeration A、B、C 分别 X、Y、Z  — (sector, verb, items, suffix, unit(s), range, tier2, pol)
ENUMS = [
    ("城管", "新建", ("公厕", "驿站", "停车场"), "", ("座", "个", "个"), (2, 40), "Q"),
    ("卫生", "培训", ("村医", "护士", "药剂人员"), "", ("人", "人", "人"), (20, 400), "Q"),
    ("农业", "", ("早稻", "中稻", "晚稻"), "种植面积", ("亩", "亩", "亩"), (1000, 30000), "Q"),
    ("卫生", "", ("儿童", "孕产妇", "老年人"), "健康管理率", ("%", "%", "%"), (60, 95), "LS"),
    ("体育", "新建", ("健身路径", "笼式足球场", "门球场"), "", ("处", "个", "个"), (2, 60), "Q"),
    ("司法", "办理", ("法律援助案件", "人民调解案件", "公证事项"), "", ("件", "件", "件"), (100, 3000), "Q"),
    ("民政", "保障", ("城乡低保对象", "特困人员"), "", ("人", "人"), (300, 12000), "QS"),
    ("教育", "", ("小学", "初中"), "巩固率", ("%", "%"), (90, 99), "LS"),
    ("林业", "完成", ("人工造林", "封山育林", "退化林修复"), "", ("亩", "亩", "亩"), (500, 20000), "QG"),
    ("交通", "改造", ("县道", "乡道", "村道"), "", ("公里", "公里", "公里"), (5, 120), "Q"),
]
ENUM_FORMS = ["分别为", "分别达到", "分别完成", "分别不少于"]

# T19: shared value A、B 均/都 (达到) NUM
SHARED = [
    ("卫生", ("新生儿疾病筛查初筛率", "复查率"), (("初筛率",), ("复查率",)), (90, 99), "LS", False),
    ("通用", ("设备验收合格率", "安装调试合格率"), (("验收合格率",), ("调试合格率",)), (100, 100), "L", True),
    ("通用", ("群众满意度", "企业满意度"), (("群众满意",), ("企业满意",)), (85, 98), "M", False),
    ("司法", ("法律援助案件办结率", "回访率"), (("办结率",), ("回访率",)), (85, 99), "L", False),
    ("教育", ("学生营养餐供餐率", "食品留样率"), (("供餐率",), ("留样率",)), (100, 100), "L", True),
    ("统计", ("统计报表按时报送率", "数据审核通过率"), (("报送率",), ("审核通过率",)), (92, 99), "TL", False),
    ("民政", ("低保对象", "特困人员"), (("低保",), ("特困",)), (90, 99), "M", False),  # …满意度均
]
SHARED_FORMS = ["{A}、{B}均达到{N}", "{A}和{B}均为{N}", "{A}、{B}都达到{N}", "{A}、{B}均不低于{N}", "{A}、{B}均为{N}"]

# T22: project scope (what the money buys), no target verb → =
SCOPE_OBJECTS = [
    S("通用", "服务器机柜", "机柜", "个", 10, 80, "Q", pol="exact", wan_ok=False),
    S("通用", "云服务器", "云服务器", "台", 5, 60, "Q", pol="exact", wan_ok=False),
    S("通用", "政务外网专线", "专线", "条", 3, 30, "Q", pol="exact", wan_ok=False),
    S("应急", "应急物资储备库房", "库房", "平方米", 300, 3000, "Q", pol="exact", wan_ok=False),
    S("公安", "视频监控点位", "监控点位", "个", 50, 600, "Q", pol="exact", wan_ok=False),
    S("应急", "森林消防车", "消防车", "辆", 2, 9, "Q", pol="exact", wan_ok=False),
    S("农业", "植保无人机", "无人机", "架", 3, 30, "Q", pol="exact", wan_ok=False),
    S("统计", "统计年鉴", "统计年鉴", "册", 300, 3000, "Q", pol="exact", wan_ok=False),
    S("卫生", "健康教育宣传折页", "宣传折页", "份", 5000, 50000, "Q", pol="exact"),
]
SCOPE_FORMS = ["{V}{O}共计{N}{U}", "{V}{O}{N}{U}", "主要用于{V}{O}{N}{U}", "项目内容为{V}{O}{N}{U}",
               "{V}{O}共{N}{U}"]
SCOPE_VERBS = {"服务器机柜": "租用", "云服务器": "租用", "政务外网专线": "租用", "应急物资储备库房": "租赁",
               "视频监控点位": "租用", "森林消防车": "购置", "植保无人机": "采购", "统计年鉴": "印制",
               "健康教育宣传折页": "印制"}

# T8 / T9: deadlines — (object, verb before, verb after, heads)
DEADLINE_TASKS = [
    ("年度考核", "完成", "完成", ("年度考核", "考核")),
    ("设备采购", "完成", "完成", ("设备采购", "采购")),
    ("项目招标", "完成", "完成", ("招标",)),
    ("补助资金拨付", "完成", "完成", ("拨付",)),
    ("统计年报审核", "完成", "完成", ("年报",)),
    ("工程竣工验收", "完成", "完成", ("竣工验收", "验收")),
    ("春季造林任务", "完成", "完成", ("造林",)),
    ("经济普查数据上报", "完成", "完成", ("普查", "上报")),
    ("村级服务站建设", "完成", "全面完成", ("服务站",)),
    ("农村危房改造", "完成", "完成", ("危房改造",)),
    ("信访积案化解", "完成", "完成", ("积案",)),
    ("年度培训任务", "完成", "完成", ("培训",)),
    ("平台部署上线", "完成", "完成", ("平台", "上线")),
    ("防汛物资储备", "完成", "到位", ("防汛物资", "物资储备")),
]
DEADLINE_FORMS = ["{LEAD}{DATE}前{V}{O}", "{O}于{DATE}前{V2}", "{O}{DATE}前{V2}", "在{DATE}前{V}{O}",
                  "确保{DATE}前{V}{O}"]
PERIODS = [  # (text, month, numbers in the text)
    ("第一季度末前", 3, (1,)), ("第二季度末前", 6, (2,)), ("第三季度末前", 9, (3,)), ("第二季度末", 6, (2,)),
    ("第三季度末", 9, (3,)), ("上半年", 6, ()), ("年内", 12, ()), ("年底前", 12, ()), ("年末前", 12, ()),
    ("当年", 12, ()), ("本年度内", 12, ()),
]
PERIOD_FORMS = ["{P}{V}{O}", "力争{P}{V}{O}", "{O}{P}{V2}", "确保{P}{V}{O}"]

# T10: time limits — (subject, verb, units, range, heads, name numbers)
TIME_LIMITS = [
    ("群众投诉", "办结", ("个工作日", "日"), (3, 15), ("投诉",), ()),
    ("信访事项", "办结", ("日",), (30, 60), ("信访",), ()),
    ("设备故障", "响应", ("小时", "分钟"), (2, 48), ("故障",), ()),
    ("补助资金", "拨付到位", ("个工作日", "天"), (5, 20), ("拨付", "补助资金"), ()),
    ("法律援助申请", "作出审查决定", ("个工作日", "日"), (5, 10), ("法律援助",), ()),
    ("突发事件信息", "报送", ("分钟",), (20, 60), ("突发事件", "信息报送"), ()),
    ("医保零星报销", "结算", ("个工作日",), (10, 30), ("报销", "结算"), ()),
    ("12345热线工单", "办结", ("个工作日",), (3, 10), ("工单", "热线"), (12345,)),
    ("群众来信", "告知受理情况", ("日",), (10, 15), ("来信",), ()),
    ("重大安全隐患", "整改到位", ("天",), (15, 60), ("隐患", "整改"), ()),
    ("行政许可申请", "办结", ("个工作日",), (5, 20), ("行政许可", "许可"), ()),
]
TIME_LIMIT_FORMS = ["{S}{N}{U}内{V}", "{S}在{N}{U}内{V}", "{S}须于{N}{U}内{V}", "{S}{N}{U}之内{V}",
                    "{S}{V}时限不超过{N}{U}", "接到{S}后{N}{U}内{V}"]

# T5: key–value lines (built from subjects that have a key)
KV_SEPARATORS = ["：", ":", "："]

# T20: list with 、 — built from VERB_OBJECTS / VERB_UNIT_OBJECTS of one sector

# The templates, as data: the slot order each row of the grammar uses (the builders below fill them).
TEMPLATES: dict[str, list[str]] = {
    "T1": ["{LEAD}{SUBJECT}{CMP<}{NUM}{UNIT}{CMP>}"],
    "T2": ["{LEAD}{SUBJECT}{CMP<}{NUM}%{CMP>}"],
    "T3": ["{LEAD}{VERB}{OBJECT}{CMP<}{NUM}{UNIT}{CMP>}"],
    "T4": ["{LEAD}{VERB}{CMP<}{NUM}{UNIT}{CMP>}{OBJECT}"],
    "T5": ["{BULLET}{KEY}{SEP}{CMP<|SYM}{NUM}[{UNIT}]{CMP>}"],
    "T6": ["{LEAD}{SUBJECT}控制在{NUM}{UNIT}以内", "{SUBJECT}{CMP<down}{NUM}{UNIT}{CMP>down}"],
    "T7": ["{LEAD}{GROUP}满意度{CMP<}{NUM}%{CMP>}", "{GROUP}满意率…", "{GROUP}对{SERVICE}的满意度…"],
    "T8": DEADLINE_FORMS,
    "T9": PERIOD_FORMS,
    "T10": TIME_LIMIT_FORMS,
    "T11": [p[1] for p in PER_UNIT],
    "T12": BUDGET_FORMS,
    "T13": ["{LEAD}{SUBJECT}{CMP<}{NUM}{UNIT}{CMP>}"],
    "T14": ["{SUBJECT}{REF}{VERB}{NUM}{%|个百分点}{CMP>}"],
    "T15": ["{SUBJECT}{REF}{VERB}{NUM}%{CMP>}"],
    "T16": FROM_TO_UP_FORMS,
    "T17": FROM_TO_DOWN_FORMS,
    "T18": ["{VERB}{A}、{B}、{C}{SUFFIX}" + f for f in ENUM_FORMS],
    "T19": SHARED_FORMS,
    "T20": ["{VERB}{A}{NUM}{UNIT}、[{VERB}]{B}{NUM}{UNIT}"],
    "T21": ZERO_FORMS,
    "T22": SCOPE_FORMS + ["…，服务期{N}个月"],
}
TEMPLATE_IDS = [f"T{i}" for i in range(1, 23)]

# =============================================================================================
# Decoys
# =============================================================================================

DOC_ABBR = ["县政办发", "市财预", "县财行", "省人社发", "县卫健发", "县政发", "市应急", "县统字", "省民发"]
DOC_NAMES = ["项目资金管理办法", "专项资金使用管理办法", "实施方案", "工作考核办法", "绩效管理暂行办法"]
FILLERS = {
    "卫生": ["持续提升基层医疗服务能力", "加强家庭医生队伍建设"],
    "医保": ["持续优化医保经办服务", "加强医保基金监管"],
    "民政": ["兜牢民生保障底线", "规范救助审批流程"],
    "残联": ["改善残疾人生活状况", "推进残疾人康复服务"],
    "妇联": ["维护妇女儿童合法权益", "引领妇女建功立业"],
    "教育": ["促进教育公平", "提升办学条件"],
    "农业": ["推进乡村振兴", "提高农业综合生产能力"],
    "人社": ["稳定和扩大就业", "完善社会保障体系"],
    "统计": ["提高统计数据质量", "依法开展统计调查"],
    "信访": ["畅通群众诉求表达渠道", "推动信访问题源头化解"],
    "体育": ["广泛开展全民健身活动", "完善公共体育服务体系"],
    "司法": ["加强公共法律服务体系建设", "推进依法行政"],
    "文旅": ["丰富群众精神文化生活", "推动文旅融合发展"],
    "应急": ["强化安全生产监管", "提升应急处置能力"],
    "交通": ["改善农村交通条件", "提升公路养护水平"],
    "城管": ["改善城市人居环境", "提升城市精细化管理水平"],
    "商务": ["促进消费扩容提质", "推动电子商务进农村"],
    "林业": ["加强森林资源保护", "推进国土绿化"],
    "环保": ["持续改善生态环境质量", "打好污染防治攻坚战"],
    "水利": ["保障农村饮水安全", "提升防洪减灾能力"],
    "市场": ["守牢食品安全底线", "优化营商环境"],
}
SECTOR_UNIT = {
    "卫生": "县卫生健康局", "医保": "县医疗保障局", "民政": "县民政局", "残联": "县残疾人联合会", "妇联": "县妇女联合会",
    "教育": "县教育局", "农业": "县农业农村局", "人社": "县人力资源和社会保障局", "统计": "县统计局", "信访": "县信访局",
    "体育": "县文体中心", "司法": "县司法局", "文旅": "县文化和旅游局", "应急": "县应急管理局", "交通": "县交通运输局",
    "城管": "县城市管理局", "商务": "县商务局", "林业": "县林业局", "环保": "市生态环境局县分局", "水利": "县水利局",
    "市场": "县市场监督管理局",
}
SECTOR_PROJECT = {
    "卫生": "家庭医生签约服务项目", "医保": "医保基金监管专项", "民政": "困难群众救助项目", "残联": "残疾人康复服务项目",
    "妇联": "妇女儿童关爱项目", "教育": "学生资助项目", "农业": "高标准农田建设项目", "人社": "职业技能提升行动项目",
    "统计": "统计调查经费", "信访": "信访积案化解专项", "体育": "全民健身设施建设项目", "司法": "公共法律服务项目",
    "文旅": "送戏下乡惠民演出项目", "应急": "安全生产监管执法项目", "交通": "农村公路提质改造项目",
    "城管": "城区环卫保洁项目", "商务": "电子商务进农村项目", "林业": "国土绿化项目", "环保": "大气污染防治专项",
    "水利": "农村供水保障工程", "市场": "食品安全抽检项目",
}
SECTORS = sorted(SECTOR_UNIT)
SECTOR_FIELD = {
    "卫生": "卫生健康", "医保": "医疗保障", "民政": "民政", "残联": "残疾人", "妇联": "妇女儿童", "教育": "教育",
    "农业": "农业农村", "人社": "人力资源和社会保障", "统计": "统计", "信访": "信访", "体育": "体育", "司法": "司法行政",
    "文旅": "文化和旅游", "应急": "应急管理", "交通": "交通运输", "城管": "城市管理", "商务": "商务", "林业": "林业",
    "环保": "生态环境", "水利": "水利", "市场": "市场监管",
}
POPULATION = [("全县常住人口{N}万人", 20, 90, True, "人口"), ("辖区内有养老机构{N}家", 8, 40, False, "存量"),
              ("全县耕地面积{N}万亩", 20, 90, True, "存量"), ("馆藏图书{N}万册", 10, 60, True, "存量"),
              ("全县共有行政村{N}个", 120, 400, False, "存量"), ("全县持证残疾人{N}人", 3000, 9000, False, "人口"),
              ("现有森林面积{N}万亩", 30, 150, True, "存量"), ("全县有中小学校{N}所", 40, 120, False, "存量"),
              ("辖区内有规模以上企业{N}家", 60, 300, False, "存量"), ("现有执法车辆{N}台", 6, 30, False, "存量"),
              ("全县登记在册的建档立卡学生{N}人", 800, 5000, False, "人口")]
STAFF = [("单位现有在编人员{N}人", 20, 90, "在编人员"), ("核定编制{N}名", 10, 60, "编制"), ("内设{N}个股室", 4, 12, "内设机构"),
         ("下辖{N}个乡镇", 8, 25, "下辖机构"), ("现有职工{N}人", 30, 120, "职工"), ("下属事业单位{N}个", 2, 9, "下属单位"),
         ("共有工作人员{N}人", 12, 80, "工作人员")]
IN_NAME = [  # (clause, numbers, must_report)
    ("加快推进5G基站建设", (5,), True), ("畅通12345政务服务便民热线", (12345,), True),
    ("完善110接处警工作机制", (110,), True), ("加强PM10和臭氧协同控制", (10,), True),
    ("为60周岁以上老年人提供免费体检服务", (60,), True), ("积极创建三级甲等医院", (3,), False),
    ("争创4A级旅游景区", (4,), True), ("出水水质稳定达到一级A排放标准", (1,), False),
    ("申报列入第3批省级非遗名录", (3,), True), ("深化“最多跑一次”改革", (1,), False),
    ("做好G107国道沿线环境整治", (107,), True), ("推进119消防救援站标准化建设", (119,), True),
    ("落实120急救网络建设要求", (120,), True),
]
DEFINITIONS = [  # (clause, lo, hi, unit)
    ("较大事故指造成{N}人以上受伤的事故", 5, 30, "人"), ("单笔{N}万元以上的支出须经集体研究决定", 20, 90, "万元"),
    ("对连续{N}个月未缴费的人员进行提醒", 2, 9, "个月"), ("凡采购金额在{N}万元以上的须实行政府采购", 5, 60, "万元"),
    ("日处理能力{N}吨以上的污水处理设施纳入重点监管", 300, 900, "吨"),
    ("重大隐患是指可能造成{N}人以上死亡的隐患", 3, 12, "人"),
]


@dataclass(frozen=True)
class Expected:
    template: str
    variant: str
    quote: str
    sentence: str
    value: str
    number: float | None
    mult: int
    unit: str | None
    directions: frozenset
    tier2: frozenset
    heads: tuple
    name_numbers: tuple = ()
    deadline: tuple | None = None  # (year | None, month, day | None, month_end, month_only)
    subject: str = ""  # the subject / object as written (words a name may legitimately carry)

    @property
    def magnitude(self) -> float | None:
        return None if self.number is None else self.number * self.mult

    @property
    def concepts(self) -> set[str]:
        return {CONCEPT[t] for t in self.tier2}

    def to_json(self) -> dict:
        d = asdict(self)
        d["directions"] = sorted(self.directions)
        d["tier2"] = sorted(self.tier2)
        return d

    @classmethod
    def from_json(cls, d: dict) -> Expected:
        d = dict(d)
        d["directions"] = frozenset(d["directions"])
        d["tier2"] = frozenset(d["tier2"])
        d["heads"] = tuple(d["heads"])
        d["name_numbers"] = tuple(d.get("name_numbers") or ())
        d["deadline"] = tuple(d["deadline"]) if d.get("deadline") else None
        return cls(**d)


@dataclass(frozen=True)
class Decoy:
    quote: str
    text: str
    number: float
    category: str
    why: str
    must_report: bool = True

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class Piece:
    text: str
    targets: list[Expected] = field(default_factory=list)
    decoys: list[Decoy] = field(default_factory=list)
    kv: bool = False  # a key–value line (only in line styles)
    counted: bool = True


@dataclass
class Generated:
    text: str
    kind: str
    style: str
    sector: str
    year: int | None
    targets: list[Expected]
    decoys: list[Decoy]
    sentence_count: int
    numbers: list[float] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"text": self.text, "kind": self.kind, "style": self.style, "sector": self.sector,
                "year": self.year, "targets": [t.to_json() for t in self.targets],
                "decoys": [d.to_json() for d in self.decoys], "sentence_count": self.sentence_count,
                "numbers": self.numbers}

    @classmethod
    def from_json(cls, d: dict) -> Generated:
        return cls(d["text"], d["kind"], d["style"], d["sector"], d.get("year"),
                   [Expected.from_json(t) for t in d["targets"]], [Decoy(**x) for x in d["decoys"]],
                   d["sentence_count"], list(d.get("numbers") or []))


@dataclass
class Ctx:
    rng: random.Random
    pool: Pool
    kind: str
    sector: str
    year: int | None
    line_style: bool
    subjects: set = field(default_factory=set)  # subjects already given a target (one target per subject)


class Skip(Exception):
    """A builder could not find free numbers; the caller picks another template."""


def _subject_key(item) -> str:
    """What makes two targets "the same subject": the first head noun."""
    if isinstance(item, Subj):
        return item.heads[0]
    for x in item:  # tuples of data: the first tuple of heads / items in the row
        if isinstance(x, tuple) and x and isinstance(x[0], str):
            return x[0]
    return repr(item)


def _pick(ctx: Ctx, items: list, sector_of=lambda s: s.sector, key_of=_subject_key):
    """A subject of the text's sector (60%) or any sector, never one the text already has a target for."""
    free = [s for s in items if key_of(s) not in ctx.subjects]
    if not free:
        raise Skip
    own = [s for s in free if sector_of(s) == ctx.sector]
    item = ctx.rng.choice(own) if own and ctx.rng.random() < 0.6 else ctx.rng.choice(free)
    ctx.subjects.add(key_of(item))
    return item


def _lead(ctx: Ctx, *, rate: bool = False, verb: str = "") -> str:
    if ctx.rng.random() < 0.55:
        return ""
    leads = LEADS_RATE if rate else LEADS
    if verb.startswith(COMPLETION_VERBS):
        leads = [w for w in leads if w not in ("年内", "本年度")]
    return ctx.rng.choice(leads)


def _need(x):
    if x is None:
        raise Skip
    return x


def _mk(tid, variant, quote, sentence, cmp_: Cmp, num: Num | None, unit, tier2, heads, *, name_numbers=(),
        number=None, mult=None, op=None, dirs=None, value=None, deadline=None, subject="") -> Expected:
    if num is not None:
        number = num.number if number is None else number
        mult = num.mult if mult is None else mult
    op = cmp_.op if op is None else op
    dirs = cmp_.dirs if dirs is None else dirs
    if value is None:
        mtxt = {1000: "千", 10_000: "万", 100_000_000: "亿"}.get(mult or 1, "")
        value = f"{op}{fmt(number)}{mtxt}{unit or ''}"
    return Expected(tid, variant, quote, sentence, value, number, mult or 1, unit, frozenset(dirs),
                    tier2 if isinstance(tier2, frozenset) else t2(tier2), tuple(heads), tuple(name_numbers),
                    deadline, subject)


def _claim(ctx: Ctx, *xs: float) -> None:
    """Take fixed numbers (100 of 百分之百, 2.5 of PM2.5 …) or give up on this template."""
    if not ctx.pool.free(*xs):
        raise Skip
    ctx.pool.add(*xs)


def _quantity_clause(ctx: Ctx, s: Subj, *, order: str, tid: str, pct: bool = False, hundred: bool = False,
                     lead: str | None = None, allow_to: bool = False) -> Piece:
    """T1 / T2 / T3 / T4 / T13: a subject (or verb + object) with one measure."""
    rng = ctx.rng
    _claim(ctx, *s.name_nums)
    lead = _lead(ctx, rate=pct, verb=s.verb) if lead is None else lead
    if hundred:
        _claim(ctx, 100)
        num = Num("100", 100, 1, "ar") if rng.random() < 0.7 else Num("百分之百", 100, 1, "cn", has_pct_sign=True)
        if rng.random() < 0.2 and num.text == "100":
            num = Num("１００", 100, 1, "fw")
    elif rng.random() < 0.12 and s.pol != "exact" and (s.hi - s.lo >= 20 or pct and s.hi - s.lo >= 4):
        return _range_clause(ctx, s, order=order, tid=tid, lead=lead, pct=pct)
    else:
        num = _need(draw_num(ctx, s.lo, s.hi, decimals=s.dec, pct=pct, wan_ok=s.wan_ok,
                             money=s.unit.endswith("元")))
    c = choose_cmp(rng, s.pol, pct=pct, hundred=hundred, integer=float(num.number).is_integer() and num.mult == 1,
                   lead=lead, allow_to=allow_to, verbal=order != "subject")
    unit = "%" if pct else s.unit
    n = num_text(num, pct)
    u = "" if pct else s.unit
    if order == "subject":
        text = f"{lead}{s.text}{c.before}{n}{c.num_after}{u}{c.after}"
    elif order == "verb_object":
        text = f"{lead}{s.verb}{s.text}{c.before}{n}{c.num_after}{u}{c.after}"
    else:  # verb_unit_object
        text = f"{lead}{s.verb}{c.before}{n}{c.num_after}{u}{c.after}{s.text}"
    variant = f"{order}|lead:{lead or '-'}|{c.tag}|num:{num.style}"
    e = _mk(tid, variant, text, text, c, num, unit, s.tier2, s.heads, name_numbers=s.name_nums, subject=s.text)
    return Piece(text, [e])


def _range_clause(ctx: Ctx, s: Subj, *, order: str, tid: str, lead: str, pct: bool = False) -> Piece:
    """300-500人次 / 3至5个 / 90%~95%: the lower bound for up, the upper bound for down."""
    rng = ctx.rng
    for _ in range(30):
        lo, hi = int(max(s.lo, 1)), int(s.hi)
        a = rng.randint(lo, int(max(lo + 1, lo + (hi - lo) * 0.7)))
        b = a + max(1, int((hi - lo) * rng.uniform(0.1, 0.4)))
        if pct:
            b = min(b, 99)
        if a >= b or 1990 <= a <= 2100 or 1990 <= b <= 2100 or not ctx.pool.free(a, b):
            continue
        ctx.pool.add(a, b)
        u = "%" if pct else s.unit
        if pct:
            sep = rng.choice(["~", "～", "-", "至"])
            rtext = f"{a}%{sep}{b}%" if rng.random() < 0.6 else f"{a}{sep}{b}%"
        else:
            sep = rng.choice(["-", "至", "～", "—", "到"])
            rtext = f"{a}{u}{sep}{b}{u}" if sep in ("至", "到") and rng.random() < 0.3 else f"{a}{sep}{b}{u}"
        bound = a if s.pol == "up" else b
        op = "≥" if s.pol == "up" else "≤"
        if order == "subject":
            text = f"{lead}{s.text}{rtext}"
        elif order == "verb_object":
            text = f"{lead}{s.verb}{s.text}{rtext}"
        else:
            text = f"{lead}{s.verb}{rtext}{s.text}"
        e = _mk(tid, f"{order}|range:{sep}", text, text, Cmp(op=op, dirs=frozenset({s.pol})), None, u, s.tier2,
                s.heads, number=bound, mult=1, name_numbers=s.name_nums, subject=s.text)
        return Piece(text, [e])
    raise Skip


# ---------------------------------------------------------------------------------------------
# Builders, one per grammar row
# ---------------------------------------------------------------------------------------------


def b_T1(ctx: Ctx) -> Piece:
    return _quantity_clause(ctx, _pick(ctx, COUNT_SUBJECTS), order="subject", tid="T1", allow_to=True)


def b_T2(ctx: Ctx) -> Piece:
    r = ctx.rng.random()
    if r < 0.2:
        return _quantity_clause(ctx, _pick(ctx, RATES_100), order="subject", tid="T2", pct=True, hundred=True)
    if r < 0.4:
        return _quantity_clause(ctx, _pick(ctx, RATES_DOWN), order="subject", tid="T2", pct=True, allow_to=True)
    return _quantity_clause(ctx, _pick(ctx, RATES_UP), order="subject", tid="T2", pct=True, allow_to=True)


def b_T3(ctx: Ctx) -> Piece:
    return _quantity_clause(ctx, _pick(ctx, VERB_OBJECTS), order="verb_object", tid="T3")


def b_T4(ctx: Ctx) -> Piece:
    return _quantity_clause(ctx, _pick(ctx, VERB_UNIT_OBJECTS), order="verb_unit_object", tid="T4")


def b_T5(ctx: Ctx) -> Piece:
    rng = ctx.rng
    pools = [s for s in COUNT_SUBJECTS + VERB_OBJECTS + RATES_UP + RATES_DOWN + RATES_100 + EVENTS if s.key]
    s = _pick(ctx, pools)
    pct = s.unit == "%"
    hundred = s in RATES_100
    sep = rng.choice(KV_SEPARATORS)
    _claim(ctx, *s.name_nums)
    if hundred:
        _claim(ctx, 100)
        num = Num("100", 100, 1, "ar")
    else:
        num = _need(draw_num(ctx, s.lo, s.hi, decimals=s.dec, pct=pct, wan_ok=s.wan_ok,
                             styles=("ar", "ar", "fw", "comma", "wan", "dec")))
    show_unit = pct or rng.random() < 0.6
    form = rng.choice(["plain", "sym", "word"])
    if hundred:
        form = rng.choice(["plain", "eq"])
    if form == "sym":
        op = {"up": "≥", "down": "≤", "exact": "="}[s.pol]
        c = Cmp(before=op, op=op, dirs=frozenset({s.pol}), tag=f"sym:{op}")
    elif form == "eq":
        c = Cmp(before="=", op="=", dirs=frozenset({"exact"}), tag="sym:=")
    elif form == "word":
        c = choose_cmp(rng, s.pol, pct=pct, allow_to=False, integer=float(num.number).is_integer())
        if c.num_after:
            c = Cmp(op=c.op, dirs=c.dirs, tag="none")
    else:
        c = Cmp(op="=" if hundred else _default_op(s.pol), dirs=frozenset({"exact"} if hundred else {s.pol}),
                tag="none")
    unit = "%" if pct else s.unit
    n = num_text(num, pct) if show_unit or pct else num.text
    body = f"{s.key}{sep}{c.before}{n}{(s.unit if show_unit and not pct else '')}{c.after}"
    e = _mk("T5", f"kv|sep:{sep!r}|{c.tag}|unit:{'y' if show_unit else 'n'}", body, body, c, num, unit, s.tier2,
            s.heads, name_numbers=s.name_nums, subject=s.key)
    return Piece(body, [e], kv=True)


def b_T6(ctx: Ctx) -> Piece:
    rng = ctx.rng
    s = _pick(ctx, EVENTS)
    if rng.random() < 0.5:
        num = _need(draw_num(ctx, s.lo, s.hi, wan_ok=False, styles=("ar", "ar", "fw", "cn")))
        w = rng.choice(["以内", "之内", "以下"])
        lead = rng.choice(["", "", "全年", "力争", "确保"])
        text = f"{lead}{s.text}控制在{num.text}{s.unit}{w}"
        c = Cmp(before="控制在", after=w, op="≤", dirs=frozenset({"down"}), tag=f"both:控制在…{w}")
        e = _mk("T6", f"控制在…{w}|num:{num.style}", text, text, c, num, s.unit, s.tier2, s.heads, subject=s.text)
        return Piece(text, [e])
    return _quantity_clause(ctx, s, order="subject", tid="T6")


def b_T7(ctx: Ctx) -> Piece:
    rng = ctx.rng
    g = _pick(ctx, SATISFACTION)
    num = _need(draw_num(ctx, 80, 98, decimals=1, pct=True))
    c = choose_cmp(rng, "up", pct=True, allow_to=False)
    n = num_text(num, True)
    form = rng.randrange(5)
    lead = rng.choice(["", "", "力争", "确保", "预计"])
    if form == 0:
        text = f"{lead}{g.text}满意度{c.before}{n}{c.after}"
    elif form == 1:
        text = f"{lead}{g.text}满意率{c.before}{n}{c.after}"
    elif form == 2:
        text = f"{g.text}对{g.key}的满意度{c.before}{n}{c.after}"
    elif form == 3:
        text = f"{g.key}{g.text}满意度{c.before}{n}{c.after}"
    else:
        text = f"{g.text}满意度测评{c.before}{n}{c.after}"
    e = _mk("T7", f"form{form}|{c.tag}|num:{num.style}", text, text, c, num, "%", "M", (g.heads[0], g.key),
            subject=text.split("满意")[0])
    return Piece(text, [e])


def _date(ctx: Ctx) -> tuple[str, tuple]:
    rng, pool = ctx.rng, ctx.pool
    for _ in range(40):
        m = rng.randint(3, 12)
        if not pool.free(m):
            continue
        form = rng.choice(["底", "末", "Y底", "D", "YD", "旬"])
        if form in ("Y底", "YD"):
            y = (ctx.year or rng.choice([2024, 2025])) + rng.choice([0, 0, 1])
            if not pool.free(y):
                continue
        else:
            y = None
        if form in ("D", "YD"):
            d = rng.choice([10, 15, 20, 25, 30 if m != 2 else 28])
            if not pool.free(d):
                continue
            pool.add(m, d)
            if y:
                pool.add(y)
            return (f"{y}年{m}月{d}日" if y else f"{m}月{d}日"), (y, m, d, False, False)
        pool.add(m)
        if y:
            pool.add(y)
        if form == "旬":
            w = rng.choice(["中旬", "下旬"])
            return f"{m}月{w}", (None, m, None, False, True)
        w = "末" if form == "末" else "底"
        return (f"{y}年{m}月{w}" if y else f"{m}月{w}"), (y, m, None, True, False)
    raise Skip


def _deadline_value(dl: tuple) -> str:
    y, m, d, _end, only = dl
    ys = f"{y}年" if y else ""
    if d:
        return f"{ys}{m}月{d}日前"
    if only:
        return f"{ys}{m}月前"
    return f"{ys}{m}月底前"


def b_T8(ctx: Ctx) -> Piece:
    rng = ctx.rng
    o, v, v2, heads = _pick(ctx, DEADLINE_TASKS, sector_of=lambda t: None)
    date, dl = _date(ctx)
    form = rng.choice(DEADLINE_FORMS)
    lead = rng.choice(["", "", "计划", "力争"])
    text = form.format(LEAD=lead, DATE=date, V=v, O=o, V2=v2)
    e = Expected("T8", f"{form}|date:{date}", text, text, _deadline_value(dl), None, 1, None,
                 frozenset({"deadline"}), t2("T"), heads, (), dl)
    return Piece(text, [e])


def b_T9(ctx: Ctx) -> Piece:
    rng = ctx.rng
    o, v, v2, heads = _pick(ctx, DEADLINE_TASKS, sector_of=lambda t: None)
    for _ in range(20):
        p, m, nums = rng.choice(PERIODS)
        if ctx.pool.free(m, *nums):
            break
    else:
        raise Skip
    ctx.pool.add(m, *nums)
    form = rng.choice(PERIOD_FORMS)
    text = form.format(P=p, V=v, O=o, V2=v2)
    y = ctx.year if m == 12 or p.startswith(("第", "上半年")) else None
    dl = (y, m, None, True, False)
    e = Expected("T9", f"{form}|period:{p}", text, text, _deadline_value(dl), None, 1, None,
                 frozenset({"deadline"}), t2("T"), heads, (), dl)
    return Piece(text, [e])


def b_T10(ctx: Ctx) -> Piece:
    rng = ctx.rng
    subj, verb, units, (lo, hi), heads, nn = _pick(ctx, TIME_LIMITS, sector_of=lambda t: None)
    _claim(ctx, *nn)
    unit = rng.choice(units)
    num = _need(draw_num(ctx, lo, hi, wan_ok=False, styles=("ar", "ar", "ar", "fw", "cn")))
    form = rng.choice(TIME_LIMIT_FORMS)
    text = form.format(S=subj, N=num.text, U=unit, V=verb)
    c = Cmp(op="≤", dirs=frozenset({"down"}), tag="time-limit")
    e = _mk("T10", f"{form}|unit:{unit}|num:{num.style}", text, text, c, num, unit, "T", heads, name_numbers=nn,
            subject=subj)
    return Piece(text, [e])


T11_CMP = {  # (word before the number, op, directions)
    "exact": [("", "=", {"exact"}), ("", "=", {"exact"}), ("为", "=", {"exact"}), ("约", "=", {"exact"}),
              ("不低于", "≥", {"up"}), ("不少于", "≥", {"up"}), ("不超过", "≤", {"down"})],
    "down": [("", "≤", {"down"}), ("不超过", "≤", {"down"}), ("不高于", "≤", {"down"}), ("控制在", "≤", {"down"}),
             ("约", "≤", {"down"}), ("低于", "<", {"down"}), ("最多", "≤", {"down"})],
}


def b_T11(ctx: Ctx) -> Piece:
    rng = ctx.rng
    _sector, pattern, vunit, pol, heads, (lo, hi) = _pick(ctx, PER_UNIT, sector_of=lambda p: p[0])
    styles = ("ar", "ar", "fw", "comma", "cn", "wan") if hi >= 20000 else ("ar", "ar", "fw", "comma", "cn")
    num = _need(draw_num(ctx, lo, hi, wan_ok=hi >= 20000, styles=styles))
    word, op, dirs = rng.choice(T11_CMP[pol]) if "{CMP}" in pattern else ("", _default_op(pol), {pol})
    text = pattern.replace("{CMP}", word).replace("{NUM}", num.text)
    number = num.number
    if num.mult == 10_000:  # 每场补助2万元: the unit is 万元 per unit
        vunit = "万" + vunit
    c = Cmp(before=word, op=op, dirs=frozenset(dirs), tag=f"{pol}:{word or 'none'}")
    e = _mk("T11", f"{pattern[:10]}|{c.tag}|num:{num.style}", text, text, c, None, vunit, "C", heads,
            number=number, mult=1, subject=pattern.split("{")[0])
    return Piece(text, [e])


def b_T12(ctx: Ctx) -> Piece:
    rng = ctx.rng
    num = _need(draw_num(ctx, 12, 900, decimals=1, wan_ok=False, styles=("ar", "ar", "dec", "fw")))
    if ctx.kind == "department":
        pname = rng.choice(list(SECTOR_PROJECT.values()))
        form = rng.choice(["{P}，预算{NUM}万元", "{P}预算{NUM}万元", "{P}，年度预算{NUM}万元"])
        text = form.format(P=pname, NUM=num.text)
    else:
        form = rng.choice(BUDGET_FORMS)
        text = form.replace("{NUM}", num.text)
    c = Cmp(op="≤", dirs=frozenset({"down"}), tag="budget")
    e = _mk("T12", f"{form}|num:{num.style}", text, text, c, num, "万元", "C", BUDGET_HEADS)
    return Piece(text, [e])


def b_T13(ctx: Ctx) -> Piece:
    s = _pick(ctx, BENEFITS)
    return _quantity_clause(ctx, s, order="subject", tid="T13", lead=ctx.rng.choice(["", "", "预计", "力争", "全年"]))


def b_T14(ctx: Ctx) -> Piece:
    rng = ctx.rng
    s = _pick(ctx, CHANGE_UP)
    num = _need(draw_num(ctx, s.lo, s.hi, decimals=s.dec, wan_ok=False, cn_ok=False,
                         styles=("ar", "ar", "dec", "fw")))
    ref = rng.choice(CHANGE_REFS)
    if "{PY}" in ref:
        py = (ctx.year or 2024) - 1
        if not ctx.pool.free(py):
            ref = "较上年"
        else:
            ctx.pool.add(py)
            ref = ref.replace("{PY}", str(py))
    verb = rng.choice(CHANGE_UP_VERBS)
    after = rng.choice(["", "", "以上"])
    before = rng.choice(["", "", "", "不低于"]) if not after else ""
    n = num.text
    unit = s.unit
    text = f"{s.text}{ref}{verb}{before}{n}{unit}{after}"
    c = Cmp(before=before, after=after, op="≥", dirs=frozenset({"up"}), tag=f"{verb}|{after or before or 'none'}")
    e = _mk("T14", f"ref:{ref or '-'}|{c.tag}|unit:{unit}", text, text, c, num, unit, s.tier2, s.heads,
            subject=s.text)
    return Piece(text, [e])


def b_T15(ctx: Ctx) -> Piece:
    rng = ctx.rng
    s = _pick(ctx, CHANGE_DOWN)
    _claim(ctx, *s.name_nums)
    num = _need(draw_num(ctx, s.lo, s.hi, decimals=s.dec, wan_ok=False, cn_ok=False,
                         styles=("ar", "ar", "dec", "fw")))
    ref = rng.choice(["较上年", "同比", "", ""])
    verb = rng.choice(CHANGE_DOWN_VERBS)
    after = rng.choice(["", "以上"])
    n = num.text + ("％" if num.style == "fw" else "%")
    text = f"{s.text}{ref}{verb}{n}{after}"
    c = Cmp(after=after, op="≥", dirs=frozenset({"up"}), tag=f"{verb}|{after or 'none'}")
    e = _mk("T15", f"ref:{ref or '-'}|{c.tag}", text, text, c, num, "%", s.tier2, s.heads, name_numbers=s.name_nums,
            subject=s.text)
    return Piece(text, [e])


def _from_to(ctx: Ctx, s: Subj, up: bool) -> tuple[Num, Num]:
    rng, pool = ctx.rng, ctx.pool
    for _ in range(40):
        if s.dec and rng.random() < 0.5:
            a, b = round(rng.uniform(s.lo, s.hi), 1), round(rng.uniform(s.lo, s.hi), 1)
        else:
            a, b = rng.randint(int(s.lo), int(s.hi)), rng.randint(int(s.lo), int(s.hi))
        if a == b or (a < b) != up or not pool.free(a, b) or a <= 0 or b <= 0:
            continue
        pool.add(a, b)
        return Num(fmt(a), a), Num(fmt(b), b)
    raise Skip


def b_T16(ctx: Ctx) -> Piece:
    s = _pick(ctx, FROM_TO_UP)
    a, b = _from_to(ctx, s, up=True)
    form = ctx.rng.choice(FROM_TO_UP_FORMS)
    u = s.unit
    at, bt = f"{a.text}{u}", f"{b.text}{u}"
    text = form.format(S=s.text, A=at, B=bt)
    c = Cmp(op="≥", dirs=frozenset({"up"}), tag="from-to")
    mult, vu = (10_000, u[1:]) if u.startswith("万") else (1, u)
    if mult != 1:
        ctx.pool.add(a.number * mult, b.number * mult)
    e = _mk("T16", form, text, text, c, None, vu, s.tier2, s.heads, number=b.number, mult=mult, subject=s.text)
    d = Decoy(text, at, a.number, "baseline", "由…提高到…的起点，是基数不是目标")
    return Piece(text, [e], [d])


def b_T17(ctx: Ctx) -> Piece:
    s = _pick(ctx, FROM_TO_DOWN)
    a, b = _from_to(ctx, s, up=False)
    form = ctx.rng.choice(FROM_TO_DOWN_FORMS)
    at, bt = f"{a.text}{s.unit}", f"{b.text}{s.unit}"
    text = form.format(S=s.text, A=at, B=bt)
    c = Cmp(op="≤", dirs=frozenset({"down"}), tag="from-to")
    e = _mk("T17", form, text, text, c, b, s.unit, s.tier2, s.heads, subject=s.text)
    d = Decoy(text, at, a.number, "baseline", "由…压减到…的起点，是基数不是目标")
    return Piece(text, [e], [d])


def b_T18(ctx: Ctx) -> Piece:
    rng = ctx.rng
    _sector, verb, items, suffix, units, (lo, hi), tier2 = _pick(ctx, ENUMS, sector_of=lambda e: e[0])
    pct = units[0] == "%"
    nums = [_need(draw_num(ctx, lo, hi, pct=pct, wan_ok=False, cn_ok=False, styles=("ar", "ar", "fw")))
            for _ in items]
    form = rng.choice(ENUM_FORMS)
    parts = [num_text(n, pct) if pct else f"{n.text}{u}" for n, u in zip(nums, units)]
    joined = "、".join(parts) if rng.random() < 0.5 or len(parts) == 2 else "、".join(parts[:-1]) + "和" + parts[-1]
    text = f"{verb}{'、'.join(items)}{suffix}{form}{joined}"
    op, dirs = ("≥", {"up"})
    out = []
    for item, n, u in zip(items, nums, units):
        c = Cmp(op=op, dirs=frozenset(dirs), tag=form)
        out.append(_mk("T18", f"{form}|n={len(items)}", text, text, c, n, "%" if pct else u, tier2, (item,)))
    return Piece(text, out)


def b_T19(ctx: Ctx) -> Piece:
    rng = ctx.rng
    _sector, (a, b), (ha, hb), (lo, hi), tier2, hundred = _pick(ctx, SHARED, sector_of=lambda e: e[0])
    if hundred:
        _claim(ctx, 100)
        num = Num("100", 100, 1, "ar")
    else:
        num = _need(draw_num(ctx, lo, hi, pct=True, cn_ok=True, styles=("ar", "ar", "fw", "cn")))
    form = rng.choice([f for f in SHARED_FORMS if not (hundred and "不低于" in f)])
    after = "" if hundred else rng.choice(["", "以上"])
    n = num_text(num, True) + after
    if tier2 == "M" and "满意" not in a:
        a_txt, b_txt = a, b + "满意度"
        ha, hb = (ha[0], ), (hb[0], )
    else:
        a_txt, b_txt = a, b
    text = form.format(A=a_txt, B=b_txt, N=n)
    if hundred:
        dirs = {"up", "exact"} if "达到" in form else {"exact"}
        op = "="
    else:
        dirs, op = {"up"}, "≥"
    c = Cmp(op=op, dirs=frozenset(dirs), tag=form)
    return Piece(text, [_mk("T19", form, text, text, c, num, "%", tier2, ha),
                        _mk("T19", form, text, text, c, num, "%", tier2, hb)])


def b_T20(ctx: Ctx) -> Piece:
    rng = ctx.rng
    pool_, seen = [], set(ctx.subjects)
    for s in VERB_OBJECTS + VERB_UNIT_OBJECTS:
        if s.pol == "up" and s.heads[0] not in seen:
            pool_.append(s)
            seen.add(s.heads[0])
    own = [s for s in pool_ if s.sector == ctx.sector]
    k = 2 if rng.random() < 0.7 else 3
    src = own if len(own) >= k and rng.random() < 0.7 else pool_
    if len(src) < k:
        raise Skip
    items = rng.sample(src, k)
    ctx.subjects.update(s.heads[0] for s in items)
    shared_verb = rng.random() < 0.4 and len({s.verb for s in items}) == 1
    parts, exps = [], []
    for i, s in enumerate(items):
        num = _need(draw_num(ctx, s.lo, s.hi, decimals=s.dec, wan_ok=s.wan_ok, styles=("ar", "ar", "fw", "cn", "dec")))
        after = rng.choice(["", "", "", "以上"])
        verb = s.verb if (i == 0 or not shared_verb) else ""
        parts.append(f"{verb}{s.text}{num.text}{s.unit}{after}")
        exps.append((s, num, after))
    text = "、".join(parts)
    out = []
    for s, num, after in exps:
        c = Cmp(after=after, op="≥", dirs=frozenset({"up"}), tag=after or "none")
        out.append(_mk("T20", f"k={k}|shared_verb:{shared_verb}", text, text, c, num, s.unit, s.tier2, s.heads))
    return Piece(text, out)


def b_T21(ctx: Ctx) -> Piece:
    rng = ctx.rng
    _sector, ev, heads, tier2, unit = _pick(ctx, ZERO_EVENTS, sector_of=lambda e: e[0])
    form = rng.choice(ZERO_FORMS)
    text = form.format(E=ev)
    _claim(ctx, 0)
    e = Expected("T21", form, text, text, f"=0{unit}", 0, 1, unit, frozenset({"exact", "down"}), t2(tier2), heads,
                 subject=ev)
    return Piece(text, [e])


def b_T22(ctx: Ctx) -> Piece:
    rng = ctx.rng
    s = _pick(ctx, SCOPE_OBJECTS)
    num = _need(draw_num(ctx, s.lo, s.hi, wan_ok=False, styles=("ar", "ar", "fw", "cn", "comma")))
    form = rng.choice(SCOPE_FORMS)
    body = form.format(V=SCOPE_VERBS[s.text], O=s.text, N=num.text, U=s.unit)
    # 印制 is buying a print run, not quite "things bought": reviewers accept = or ≥
    c = Cmp(op="=", dirs=frozenset({"exact", "up"} if SCOPE_VERBS[s.text] == "印制" else {"exact"}), tag="scope")
    exps = [_mk("T22", form, body, body, c, num, s.unit, s.tier2, s.heads, subject=s.text)]
    text = body
    if rng.random() < 0.5:
        m = _need(ctx.pool.pick_int(6, 36))
        tail = f"服务期{m}个月"
        text = f"{body}，{tail}"
        exps = [Expected(**{**asdict(exps[0]), "sentence": text})]
        exps.append(_mk("T22", form + "|服务期", tail, text, c, Num(str(m), m), "个月", "QT", ("服务期",)))
    return Piece(text, exps)


BUILDERS = {f"T{i}": globals()[f"b_T{i}"] for i in range(1, 23)}


# ---------------------------------------------------------------------------------------------
# Decoy clauses
# ---------------------------------------------------------------------------------------------


def _past_year(ctx: Ctx) -> int | None:
    base = ctx.year or 2024
    for _ in range(20):
        y = base - ctx.rng.randint(1, 6)
        if ctx.pool.free(y):
            ctx.pool.add(y)
            return y
    return None


def d_doc(ctx: Ctx) -> Piece:
    rng = ctx.rng
    y = _need(_past_year(ctx))
    n = _need(ctx.pool.pick_int(3, 199))
    abbr = rng.choice(DOC_ABBR)
    form = rng.randrange(4)
    if form == 0:
        fig = f"〔{y}〕{n}号"
        text = f"根据《{rng.choice(DOC_NAMES)}》（{abbr}{fig}）要求"
    elif form == 1:
        fig = f"〔{y}〕{n}号"
        text = f"按照{abbr}{fig}文件精神"
    elif form == 2:
        fig = f"[{y}]{n}号"
        text = f"依据{abbr}{fig}文件"
    else:
        fig = f"第{n}号令"
        text = f"根据《{rng.choice(['安全生产条例', '统计管理规定', '养老服务条例'])}》（{y}年省政府{fig}）"
    out = [Decoy(text, fig, n, "doc_number", "文号")]
    out.append(Decoy(text, f"{y}年" if form == 3 else fig, y, "doc_number" if form != 3 else "year", "文号中的年份"))
    return Piece(text, [], out)


def d_year(ctx: Ctx) -> Piece:
    rng = ctx.rng
    y = _need(_past_year(ctx))
    form = rng.choice(["{Y}年以来，{F}", "自{Y}年起{F}", "{Y}年相关工作被评为先进"])
    text = form.format(Y=y, F=rng.choice(FILLERS.get(ctx.sector, ["推进各项工作"])))
    return Piece(text, [], [Decoy(text, f"{y}年", y, "year", "年份")])


def d_date(ctx: Ctx) -> Piece:
    rng, pool = ctx.rng, ctx.pool
    for _ in range(30):
        m, d = rng.randint(1, 12), rng.randint(2, 28)
        if m != d and pool.free(m, d):
            pool.add(m, d)
            break
    else:
        raise Skip
    form = rng.choice(["已于{M}月{D}日召开全县工作动员会", "{M}月{D}日已印发实施方案", "于{M}月{D}日召开了项目启动会"])
    text = form.format(M=m, D=d)
    fig = f"{m}月{d}日"
    return Piece(text, [], [Decoy(text, fig, m, "date", "日期（已发生）"), Decoy(text, fig, d, "date", "日期（已发生）")])


def d_period(ctx: Ctx) -> Piece:
    rng = ctx.rng
    base = ctx.year or 2024
    y1 = base - rng.randint(0, 2)
    y2 = y1 + rng.randint(2, 4)
    if not ctx.pool.free(y1, y2):
        raise Skip
    ctx.pool.add(y1, y2)
    sep = rng.choice(["-", "—", "至"])
    fig = f"{y1}{sep}{y2}年"
    text = rng.choice(["项目实施期为{F}", "本项目为{F}延续性项目", "实施周期{F}"]).format(F=fig)
    return Piece(text, [], [Decoy(text, fig, y1, "period", "实施期"), Decoy(text, fig, y2, "period", "实施期")])


def _form(ctx: Ctx, rows: list) -> tuple:
    """A decoy phrasing the text has not used yet."""
    free = [r for r in rows if ("decoy", r[0]) not in ctx.subjects]
    if not free:
        raise Skip
    row = ctx.rng.choice(free)
    ctx.subjects.add(("decoy", row[0]))
    return row


def d_staff(ctx: Ctx) -> Piece:
    form, lo, hi, why = _form(ctx, STAFF)
    n = _need(ctx.pool.pick_int(lo, hi))
    text = form.format(N=n)
    return Piece(text, [], [Decoy(text, str(n), n, "staff", why)])


def d_population(ctx: Ctx) -> Piece:
    form, lo, hi, wan, why = _form(ctx, POPULATION)
    n = _need(ctx.pool.pick_int(lo, hi))
    if wan:
        ctx.pool.add(n * 10000)
    text = form.format(N=n)
    fig = re.search(r"\d+万?\S?", text).group(0)
    return Piece(text, [], [Decoy(text, fig, n, "population", why + "，背景情况")])


def d_baseline(ctx: Ctx) -> Piece:
    rng = ctx.rng
    form = rng.randrange(7)
    if not ctx.year and form in (2, 6):  # "2022年完成…" is only a past result when the text states its year
        form = rng.choice([0, 1, 3, 4, 5])
    if form == 0:
        s = rng.choice(RATES_UP)
        n = _need(draw_num(ctx, s.lo, s.hi, pct=True, cn_ok=False, styles=("ar",)))
        text = f"上年{s.text}为{n.text}%"
    elif form == 1:
        s = rng.choice(VERB_OBJECTS)
        n = _need(draw_num(ctx, s.lo, s.hi, wan_ok=False, cn_ok=False, styles=("ar",)))
        text = f"去年{s.verb}{s.text}{n.text}{s.unit}"
    elif form == 2:
        y = _need(_past_year(ctx))
        s = rng.choice(VERB_OBJECTS)
        n = _need(draw_num(ctx, s.lo, s.hi, wan_ok=False, cn_ok=False, styles=("ar",)))
        text = f"{y}年{s.verb}{s.text}{n.text}{s.unit}"
        return Piece(text, [], [Decoy(text, f"{y}年", y, "year", "过去年份"),
                                Decoy(text, n.text + s.unit, n.number, "baseline", "过去年份的完成数")])
    elif form == 3:
        s = rng.choice(VERB_UNIT_OBJECTS)
        n = _need(draw_num(ctx, s.lo, s.hi, wan_ok=False, cn_ok=False, styles=("ar",)))
        text = f"截至目前已建成{s.text}{n.text}{s.unit}"
    elif form == 4:
        s = rng.choice(VERB_OBJECTS)
        n = _need(draw_num(ctx, s.lo, s.hi, wan_ok=False, cn_ok=False, styles=("ar",)))
        text = f"累计已{s.verb}{s.text}{n.text}{s.unit}"
    elif form == 5:
        n = _need(draw_num(ctx, 80, 95, pct=True, cn_ok=False, styles=("ar",)))
        text = f"上年度群众满意度为{n.text}%"
    else:
        y = _need(_past_year(ctx))
        n = _need(ctx.pool.pick_int(20, 90))
        ctx.pool.add(n * 10000)
        text = f"{y}年全县粮食产量达到{n}万吨"
        return Piece(text, [], [Decoy(text, f"{y}年", y, "year", "过去年份"),
                                Decoy(text, f"{n}万吨", n, "baseline", "过去年份的实绩")])
    return Piece(text, [], [Decoy(text, n.text, n.number, "baseline", "基数/往年实绩")])


def d_in_name(ctx: Ctx) -> Piece:
    for _ in range(20):
        text, nums, must = _form(ctx, IN_NAME)
        if ctx.pool.free(*nums):
            ctx.pool.add(*nums)
            return Piece(text, [], [Decoy(text, text, n, "in_name", "名称中的数字", must) for n in nums])
    raise Skip


def d_definition(ctx: Ctx) -> Piece:
    form, lo, hi, unit = _form(ctx, DEFINITIONS)
    n = _need(ctx.pool.pick_int(lo, hi))
    text = form.format(N=n)
    fig = re.search(rf"{n}{unit}(?:以上)?", text).group(0)
    return Piece(text, [], [Decoy(text, fig, n, "definition", "定义中的门槛")])


def d_other(ctx: Ctx) -> Piece:
    a = _need(ctx.pool.pick_int(710, 799))
    b = _need(ctx.pool.pick_int(2000000, 8999999))
    text = f"联系电话：0{a}-{b}"
    return Piece(text, [], [Decoy(text, f"0{a}-{b}", a, "other", "电话号码"),
                            Decoy(text, f"0{a}-{b}", b, "other", "电话号码")])


DECOY_BUILDERS = {"doc_number": d_doc, "year": d_year, "date": d_date, "period": d_period, "staff": d_staff,
                  "population": d_population, "baseline": d_baseline, "in_name": d_in_name,
                  "definition": d_definition, "other": d_other}


def d_funding(ctx: Ctx) -> Piece:
    rng, pool = ctx.rng, ctx.pool
    for _ in range(40):
        a = round(rng.uniform(150, 900), 1)
        b = round(rng.uniform(5, 120), 1)
        t = round(a + b, 1)
        w = round(t - rng.uniform(5, min(60, t / 3)), 1)
        if len({a, b, t, w}) == 4 and pool.free(a, b, t, w) and all(x > 0 for x in (a, b, t, w)):
            pool.add(a, b, t, w)
            break
    else:
        raise Skip
    yy = f"{ctx.year}年" if ctx.year else ""
    text = (f"{yy}部门收入合计{fmt(t)}万元，其中财政拨款{fmt(a)}万元、其他资金{fmt(b)}万元；"
            f"基本支出{fmt(w)}万元")
    why = "部门收支总额，进资金情况"
    return Piece(text, [], [Decoy(text, f"{fmt(x)}万元", x, "funding", why) for x in (t, a, b, w)])


# =============================================================================================
# Assembly: joining like people do
# =============================================================================================

PROJECT_STYLES = ["comma", "semicolon", "bullets", "yishi", "runon", "chat", "oneline"]
DEPARTMENT_STYLES = ["sections"]
LINE_STYLES = {"bullets", "chat"}
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
CN_ORD = "一二三四五六七八九十"


def _cn_ord(i: int) -> str:
    return CN_ORD[i - 1] if i <= 10 else "十" + CN_ORD[i - 11]


def _markers(kind: str, n: int) -> tuple[list[str], list[tuple[str, int, bool]]]:
    """List markers for n items and the numbers they use: (text, number, must_report)."""
    out, nums = [], []
    for i in range(1, n + 1):
        if kind == "dash":
            out.append("- ")
        elif kind == "dot":
            out.append("• ")
        elif kind == "num":
            out.append(f"{i}. ")
            nums.append((f"{i}.", i, True))
        elif kind == "numdun":
            out.append(f"{i}、")
            nums.append((f"{i}、", i, True))
        elif kind == "paren":
            out.append(f"（{_cn_ord(i)}）")
            nums.append((f"（{_cn_ord(i)}）", i, True))
        elif kind == "circled":
            out.append(CIRCLED[i - 1])
            nums.append((CIRCLED[i - 1], i, True))
        elif kind == "yishi":
            out.append(f"{_cn_ord(i)}是")
            nums.append((f"{_cn_ord(i)}是", i, True))
    return out, nums


def _templates_for(style: str, kind: str) -> list[str]:
    ids = list(TEMPLATE_IDS)
    if style not in LINE_STYLES and style != "sections":
        ids.remove("T5")
    if kind == "department":
        ids.remove("T22")
    return ids


def _make_targets(ctx: Ctx, n: int, ids: list[str], force: list[str] | None = None) -> list[Piece]:
    out = []
    wanted = list(force or [])
    if not ctx.line_style:
        ids = [t for t in ids if t != "T5"]
    else:
        ids = ids + ["T5", "T5"]  # key–value lines only exist in lists: weigh them up there
    while len(out) < n:
        tid = wanted.pop(0) if wanted else ctx.rng.choice(ids)
        if tid == "T5" and not ctx.line_style:
            tid = "T1"
        for _ in range(6):
            try:
                out.append(BUILDERS[tid](ctx))
                break
            except Skip:
                tid = ctx.rng.choice(ids)
        else:
            break
    return out


def _make_decoys(ctx: Ctx, n: int, cats: list[str]) -> list[Piece]:
    out = []
    for _ in range(n * 3):
        if len(out) >= n:
            break
        try:
            out.append(DECOY_BUILDERS[ctx.rng.choice(cats)](ctx))
        except Skip:
            continue
    return out


def _fillers(ctx: Ctx, k: int) -> list[Piece]:
    f = FILLERS.get(ctx.sector, ["推进各项工作"])
    return [Piece(ctx.rng.choice(f), counted=False) for _ in range(k)]


def _join_clauses(rng: random.Random, pieces: list[Piece], sep: str, *, sentences: bool) -> str:
    texts = [p.text for p in pieces]
    if not sentences:
        return sep.join(texts) + "。"
    out, cur = [], []
    for t in texts:
        cur.append(t)
        if len(cur) >= rng.randint(2, 4):
            out.append(sep.join(cur) + "。")
            cur = []
    if cur:
        out.append(sep.join(cur) + "。")
    return "".join(out)


def _connect(rng: random.Random, pieces: list[Piece]) -> None:
    """Run-on prose: 同时 / 并 / 此外 between clauses (only where the clause has no lead already)."""
    for p in pieces[1:]:
        if p.kv or rng.random() > 0.25 or p.text.startswith(tuple(LEADS)):
            continue
        w = rng.choice(["同时", "并", "此外，"])
        p.text = w + p.text
        p.targets = [Expected(**{**asdict(e), "quote": e.quote, "sentence": p.text}) for e in p.targets]


def _body(ctx: Ctx, style: str, pieces: list[Piece], marker_kind: str | None = None
          ) -> tuple[str, list[Decoy]]:
    """Join the pieces in one style; return the text and the list-marker decoys it used."""
    rng = ctx.rng
    decoys: list[Decoy] = []
    if style in ("comma", "semicolon", "runon", "oneline"):
        pieces = [p for p in pieces if not p.kv]
        if style == "runon":
            _connect(rng, pieces)
            return _join_clauses(rng, pieces, "，", sentences=False), decoys
        sep = "，" if style in ("comma", "oneline") else "；"
        return _join_clauses(rng, pieces, sep, sentences=(style == "comma")), decoys
    if style == "yishi":
        pieces = [p for p in pieces if not p.kv]
        marks, nums = _markers("yishi", len(pieces))
        parts = [m + p.text for m, p in zip(marks, pieces)]
        text = "；".join(parts) + "。"
        for m, (mt, n, must), p in zip(marks, nums, pieces):
            decoys.append(Decoy(m + p.text, mt, n, "list_marker", "列表序号", must))
        return text, decoys
    if style in ("bullets", "sections"):
        kind = marker_kind or rng.choice(["dash", "dot", "num", "numdun", "paren", "circled"])
        marks, nums = _markers(kind, len(pieces))
        end = rng.choice(["", "；", "。"])
        lines = [m + p.text + ("" if p.kv else end) for m, p in zip(marks, pieces)]
        if nums:
            for m, (mt, n, must), p in zip(marks, nums, pieces):
                decoys.append(Decoy(m + p.text, mt, n, "list_marker", "列表序号", must))
        return "\n".join(lines), decoys
    if style == "chat":
        return "\n".join(p.text for p in pieces), decoys
    raise ValueError(style)


def _reserve_markers(pool: Pool, style: str, n: int) -> str | None:
    """Reserve the numbers list markers will use, before any target is drawn."""
    if style == "yishi":
        pool.add(*range(1, n + 1))
        return "yishi"
    if style in ("bullets", "sections"):
        kind = pool.rng.choice(["dash", "dot", "num", "numdun", "paren", "circled"])
        if kind not in ("dash", "dot"):
            pool.add(*range(1, n + 1))
        return kind
    return None


def generate(rng: random.Random, *, kind: str = "project", style: str | None = None, n_targets: int | None = None,
             n_decoys: int | None = None, force: list[str] | None = None) -> Generated:
    """One text of staff prose with its stated targets and its decoys. Deterministic per rng state.

    kind: "project" or "department" ("mixed" picks one). style: one of PROJECT_STYLES (project) or "sections"
    (department). force: template ids to include first (for tests that need a given row).
    """
    if kind == "mixed":
        kind = rng.choice(["project", "department"])
    if kind not in ("project", "department"):
        raise ValueError(kind)
    sector = rng.choice(SECTORS)
    if style is None:
        style = rng.choice(PROJECT_STYLES) if kind == "project" else "sections"
    if kind == "department":
        style = "sections"
    n_targets = rng.randint(3, 7) if n_targets is None else n_targets
    n_decoys = rng.randint(1, 4) if n_decoys is None else n_decoys
    pool = Pool(rng)
    year = rng.choice([2022, 2023, 2024, 2025]) if (kind == "department" or rng.random() < 0.5) else None
    if year:
        pool.add(year)
    ctx = Ctx(rng, pool, kind, sector, year, line_style=style in LINE_STYLES or style == "sections")
    if kind == "project":
        return _gen_project(ctx, style, n_targets, n_decoys, force)
    return _gen_department(ctx, n_targets, n_decoys, force)


def _finish(ctx: Ctx, text: str, style: str, pieces: list[Piece], extra_decoys: list[Decoy]) -> Generated:
    targets = [e for p in pieces for e in p.targets]
    decoys = [d for p in pieces for d in p.decoys] + extra_decoys
    count = sum(1 for p in pieces if p.counted and (p.targets or p.decoys))
    return Generated(text, ctx.kind, style, ctx.sector, ctx.year, targets, decoys, count, sorted(ctx.pool.used))


def _gen_project(ctx: Ctx, style: str, n_targets: int, n_decoys: int, force) -> Generated:
    rng = ctx.rng
    ids = _templates_for(style, "project")
    cats = ["doc_number", "year", "date", "period", "staff", "population", "baseline", "in_name", "definition"]
    if rng.random() < 0.1:
        cats.append("other")
    # list markers number the body items: reserve them first
    marker_kind = _reserve_markers(ctx.pool, style, n_targets + n_decoys + 1)
    targets = _make_targets(ctx, n_targets, ids, force)
    decoys = _make_decoys(ctx, n_decoys, cats)
    fill = _fillers(ctx, rng.randint(0, 1))
    head_decoys = [d for d in decoys if d.decoys[0].category in ("doc_number", "period", "other")]
    rest = [d for d in decoys if d not in head_decoys]
    body = targets + rest + fill
    rng.shuffle(body)
    pname = SECTOR_PROJECT[ctx.sector]
    extra: list[Decoy] = []
    if ctx.year:  # a budget year the text relies on (年内, past years) is always stated
        htext = rng.choice([f"{ctx.year}年度绩效目标", f"{ctx.year}年度项目绩效目标", f"{ctx.year}年度目标"])
        ylead = Piece(htext, [], [Decoy(htext, f"{ctx.year}年", ctx.year, "year", "预算年度")], counted=False)
        header_pieces = [ylead]
    else:
        header_pieces = []
    if style == "oneline":
        pieces = head_decoys + body
        text, _ = _body(ctx, "oneline", pieces)
        yr = f"{ctx.year}年" if ctx.year else ""
        text = f"{yr}{pname}：{text}"
        if ctx.year:
            extra.append(Decoy(text[:len(yr) + len(pname)], yr, ctx.year, "year", "预算年度"))
        return _finish(ctx, text, style, pieces, extra)
    intro = ""
    if head_decoys:
        intro_pieces = head_decoys
        intro = "，".join(p.text for p in intro_pieces) + "。"
    else:
        intro_pieces = []
    if style in ("bullets", "chat"):
        title = rng.choice([f"项目名称：{pname}", pname, f"{pname}绩效目标", ""])
        if header_pieces:
            title = (title + "\n" if title else "") + header_pieces[0].text + "："
        main, markers = _body(ctx, style, body, marker_kind)
        parts = [x for x in (title, intro, main) if x]
        text = "\n".join(parts)
        return _finish(ctx, text, style, header_pieces + intro_pieces + body, markers)
    main, markers = _body(ctx, style, body, marker_kind)
    lead = rng.choice(["", f"{pname}。", f"项目名称：{pname}。\n", f"本项目为{pname}。"])
    if header_pieces:
        lead += header_pieces[0].text + "：" if rng.random() < 0.5 else header_pieces[0].text + "如下：\n"
    text = f"{lead}{intro}{main}"
    return _finish(ctx, text, style, header_pieces + intro_pieces + body, markers)


def _gen_department(ctx: Ctx, n_targets: int, n_decoys: int, force) -> Generated:
    rng = ctx.rng
    unit = SECTOR_UNIT[ctx.sector]
    ids = _templates_for("sections", "department")  # T5 is swapped for T1 when the goals are prose
    # section headings 一、二、三、四、 and task/goal markers use 1..k: reserve them before drawing targets
    k_tasks = max(1, n_targets // 3)
    n_tasks = k_tasks + n_decoys // 2 + 1
    n_goals = n_targets - k_tasks + n_decoys - n_decoys // 2
    ctx.pool.add(*range(1, max(4, n_tasks) + 1))
    inner = rng.choice(["bullets", "comma", "semicolon", "yishi"])  # how the 年度绩效目标 are written
    if force and "T5" in force:
        inner = "bullets"
    ctx.line_style = inner == "bullets"  # key–value lines (T5) only in a list
    marker_kind = _reserve_markers(ctx.pool, "bullets" if inner == "bullets" else inner, n_goals)
    targets = _make_targets(ctx, n_targets, ids, force)
    budget_blocks = [p for p in targets if p.targets and p.targets[0].template == "T12"]
    targets = [p for p in targets if p not in budget_blocks]
    staff = _make_decoys(ctx, rng.randint(1, 2), ["staff"])
    background = _make_decoys(ctx, rng.randint(0, 1), ["population"])
    others = _make_decoys(ctx, n_decoys, ["doc_number", "date", "baseline", "in_name", "definition", "year"])
    funding = []
    try:
        funding = [d_funding(ctx)]
    except Skip:
        pass
    y = ctx.year
    title = Piece(f"{unit}{y}年度部门整体支出绩效目标", [], [Decoy(f"{y}年度", f"{y}年", y, "year", "预算年度")],
                  counted=False)
    duty = f"{unit}是主管全县{SECTOR_FIELD[ctx.sector]}工作的{rng.choice(['政府工作部门', '工作机构'])}"
    duties_pieces = staff + background
    duties = duty + "，" + "，".join(p.text for p in duties_pieces) + "。"
    tasks = targets[:k_tasks] + others[: len(others) // 2] + _fillers(ctx, 1)
    goals = targets[k_tasks:] + others[len(others) // 2:]
    rng.shuffle(tasks)
    rng.shuffle(goals)
    task_text, task_markers = _body(ctx, "sections", tasks, "paren" if marker_kind != "paren" else "num")
    goal_text, goal_markers = _body(ctx, inner, goals, marker_kind)
    fund_text = "；".join(p.text for p in funding + budget_blocks)
    fund_text = fund_text + "。" if fund_text else ""
    heads = ["一、部门职能", "二、年度工作任务", "三、年度绩效目标", "四、资金情况"]
    text = "\n".join([title.text, heads[0], duties, heads[1], task_text, heads[2], goal_text, heads[3], fund_text])
    head_decoys = [Decoy(h, h[:2], i + 1, "list_marker", "章节序号", False) for i, h in enumerate(heads)]
    pieces = [title] + duties_pieces + tasks + goals + funding + budget_blocks
    return _finish(ctx, text.rstrip("\n"), "sections", pieces, task_markers + goal_markers + head_decoys)


# =============================================================================================
# Scoring an engine's draft against what was generated
# =============================================================================================

COMPARATOR_WORDS = ("不少于", "不低于", "不超过", "不高于", "控制在", "以上", "以内", "以下", "左右", "达到", "至少",
                    "力争", "确保", "争取", "分别", "均达到", "提高到", "降至", "压减至", "压减到")
LIST_MARKER_RE = re.compile(r"^\s*(?:[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+是|\d+[.、．]|[①-⑳]|[-•·])")
CODE_PATTERNS = [
    (re.compile(r"(?<![A-Za-z0-9])S\d{1,2}[a-c]?(?![A-Za-z0-9])"), "source tag S.."),
    (re.compile(r"定性[:：]"), "定性: prefix"),
    (re.compile(r"(?<![A-Za-z0-9])T(?:[1-9]|1\d|2[0-2])(?![A-Za-z0-9.])"), "grammar pattern id"),
    (re.compile(r"(?<![A-Za-z])(?:quantity|quality|timeliness|satisfaction|ecological|sustainable|economic|"
                r"cost_social|cost_ecological|None|null|ParsedValue|Origin\.)(?![A-Za-z])"), "internal name"),
    (re.compile(r"\{[A-Z_<>|]+\}"), "template slot"),
]


@lru_cache(maxsize=1)
def library_ids() -> frozenset[str]:
    import yaml

    p = Path(__file__).resolve().parent.parent / "assistant" / "data" / "library" / "indicators.yaml"
    try:
        return frozenset(e["id"] for e in yaml.safe_load(p.read_text(encoding="utf-8")) if e.get("id"))
    except OSError:
        return frozenset()


_LIB_ID_RE = re.compile(r"(?<![A-Za-z0-9-])[a-z]{2,4}(?:-[a-z0-9]+){1,6}(?![A-Za-z0-9-])")


def code_leaks(text: str) -> list[str]:
    """Internal codes in a user-visible string."""
    out = []
    for rx, why in CODE_PATTERNS:
        m = rx.search(text)
        if m:
            out.append(f"{why}: {m.group(0)!r}")
    for m in _LIB_ID_RE.finditer(text):
        if m.group(0) in library_ids():
            out.append(f"library id: {m.group(0)!r}")
    return out


def visible_texts(outcome) -> list[tuple[str, str]]:
    """(where, text) for every user-visible string of an engine outcome (the user's own text excluded)."""
    d = outcome.draft
    out = []
    for i, r in enumerate(d.indicators):
        for f in ("tier1", "tier2", "name", "value", "standard", "note"):
            v = getattr(r, f)
            if v:
                out.append((f"row{i}.{f}", v))
        for k, v in (r.extra or {}).items():
            out.append((f"row{i}.extra.{k}", f"{k}{v}"))
    for j, n in enumerate(outcome.notes or []):
        out.append((f"notes[{j}]", n))
    for j, g in enumerate(d.goals):
        out.append((f"goals[{j}]", g.text))
    if d.notes:
        out.append(("draft.notes", d.notes))
    for j, u in enumerate(getattr(outcome, "unused", None) or []):
        reason = getattr(u, "reason", "") or ""
        out.append((f"unused[{j}].reason", reason))
    return out


def row_direction(pv: ParsedValue) -> str | None:
    if pv.kind is ValueKind.DEADLINE:
        return "deadline"
    if pv.kind is ValueKind.QUANTITY:
        return OP_DIR.get(pv.op, "exact")
    return None


def unit_family(unit: str | None) -> str | None:
    if not unit:
        return None
    u = unit.strip()
    if "百分点" in u:
        return "pp"
    if u in ("%", "％", "‰"):
        return "pct"
    if "元" in u:
        return "money"
    if re.fullmatch(r"个?(工作日|日|天|小时|分钟|个月|月|年|周)", u):
        return "time"
    return "count"


def _close(a: float | None, b: float | None) -> bool:
    return a is not None and b is not None and abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


MONEY_YUAN = (("亿元", 1e8), ("万元", 1e4), ("千元", 1e3), ("元", 1.0))


def money_yuan(pv: ParsedValue) -> float | None:
    """Money in 元 (per-unit amounts too: 2万元/场 → 20000), None when the unit is not money."""
    if pv.number is None or not pv.unit:
        return None
    for u, scale in MONEY_YUAN:
        if pv.unit.startswith(u):
            return pv.number * pv.mult * scale
    return None


def number_matches(e: Expected, pv: ParsedValue) -> bool:
    """Same figure (by magnitude; money in 元), ignoring operator and unit spelling."""
    if e.deadline is not None:
        y, m, d, _end, only = e.deadline
        if pv.kind is not ValueKind.DEADLINE or pv.month != m:
            return False
        if y and pv.year and pv.year != y:
            return False
        if only:
            return True
        last = _last_day(pv.year or y or 2024, m)
        if d is not None:
            return pv.day == d or (d == last and pv.day is None and pv.month_end)
        return pv.day is None or pv.day == last
    if pv.kind is not ValueKind.QUANTITY or pv.number is None:
        return False
    ep = parse(e.value)
    ey, ry = money_yuan(ep), money_yuan(pv)
    if ey is not None and ry is not None:
        return _close(ey, ry)
    if ey is not None and pv.unit is None:  # ≤86万 / ≤86 for 86万元: the figure without its unit
        return _close(ey, pv.magnitude) or (pv.mult == 1 and _close(ep.number, pv.number))
    return _close(ep.magnitude, pv.magnitude)


def _last_day(y: int, m: int) -> int:
    import calendar

    return calendar.monthrange(y, m)[1]


def unit_ok(e: Expected, pv: ParsedValue) -> bool:
    if e.deadline is not None or e.number == 0:
        return True
    fe, fr = unit_family(e.unit), unit_family(pv.unit)
    if fr is None or fe is None:
        return True
    if fe == "money" and fr == "money":
        # per-unit costs must stay per unit (元/人 vs 元)
        return ("/" in (e.unit or "")) == ("/" in (pv.unit or "")) or "/" not in (e.unit or "")
    return fe == fr


def row_numbers(pv: ParsedValue) -> set[float]:
    out: set[float] = set()
    if pv.kind is ValueKind.DEADLINE:
        out.update(float(x) for x in (pv.month, pv.day) if x)
    elif pv.kind is ValueKind.PERIOD:
        out.update(float(x) for x in (pv.year, pv.month, pv.day, pv.end_year, pv.end_month, pv.end_day) if x)
    elif pv.number is not None:
        out.update({_key(pv.number), _key(pv.magnitude)})
        y = money_yuan(pv)
        if y is not None:
            out.update({_key(y), _key(y / 1e4)})
    return out


NAME_SUFFIXES = sorted(
    ["数量", "人数", "人次", "户数", "面积", "长度", "里程", "件数", "起数", "发生起数", "次数", "场次", "批次", "率",
     "标准", "时间", "完成时间", "时限", "办结时限", "金额", "幅度", "提高幅度", "增长率", "下降率", "下降幅度", "总成本",
     "成本", "数", "量", "天数", "期数", "台数", "个数", "册数", "份数", "期限", "年限"], key=len, reverse=True)
_NUM_SPAN_RE = re.compile(r"(?:百分之)?(?:[0-9０-９][0-9０-９,，.．]*|[零〇一二两三四五六七八九十百千万亿]{2,})(?:万|亿)?(?:余|多)?"
                          r"(?:%|％|个工作日|个百分点|个月|人次|批次|场次|平方米|平方公里|公里|万元|亿元|元|[人个户家所座台套辆次期篇份项名批条栋株亩年月天日周件起处场盏张口吨册架米])?")


BOUNDARY_WORDS = sorted(set(
    UP_BEFORE_CNT + UP_BEFORE_PCT + UP_TO + GT_CNT + GT_PCT + DOWN_BEFORE_CNT + DOWN_BEFORE_PCT + DOWN_TO + LT_ANY
    + UP_AFTER + UP_NUM_AFTER + DOWN_AFTER + NEUTRAL_BEFORE + NEUTRAL_AFTER + LEADS
    + ["均", "都", "分别", "较", "同比", "比上年", "由", "从", "提高", "提升", "增长", "上升", "下降", "降低", "减少",
       "压减", "至", "到", "后", "内", "于", "在", "和", "及", "前", "完成", "共"]), key=len, reverse=True)


@lru_cache(maxsize=4096)
def _jieba_bounds(sentence: str) -> tuple[frozenset[int], tuple[str, ...]]:
    """Word boundaries of a sentence: jieba with and without HMM, plus both ends of every number + unit."""
    import jieba

    jieba.setLogLevel(60)
    b = {0, len(sentence)}
    toks: tuple[str, ...] = ()
    for hmm in (True, False):
        words = jieba.lcut(sentence, HMM=hmm)
        toks = toks or tuple(words)
        pos = 0
        for t in words:
            pos += len(t)
            b.add(pos)
    for m in _NUM_SPAN_RE.finditer(sentence):
        if m.group(0) and (m.group(0)[0].isdigit() or cn_to_int(re.sub(r"[^零〇一二两三四五六七八九十百千万亿]", "",
                                                                        m.group(0))[:8] or "x")):
            b.update({m.start(), m.end()})
    for i, ch in enumerate(sentence):
        if ch in "，。；、：:,;（）()“”≥≤=<>":
            b.update({i, i + 1})
    # grammar words glue onto nouns in jieba (价格控制/在, 合格率均, 结算率较): they are boundaries too
    for w in BOUNDARY_WORDS:
        i = sentence.find(w)
        while i >= 0:
            b.update({i, i + len(w)})
            i = sentence.find(w, i + 1)
    return frozenset(b), toks


def boundary_problems(name: str, sentence: str) -> list[str]:
    """The name must not start or end inside a word of the sentence it was cut from.

    Start: the longest prefix of the name (≥2 characters) that the sentence contains must start at a word
    boundary somewhere. End: after taking off the measure word the name adds (人数, 数量, 率, 完成时间 …), the
    longest suffix the sentence contains must end at a word boundary somewhere."""
    bounds, toks = _jieba_bounds(sentence)
    seg = "/".join(toks)
    probs = []

    def occurrences(piece: str):
        i = sentence.find(piece)
        while i >= 0:
            yield i
            i = sentence.find(piece, i + 1)

    k = 0
    while k < len(name) and name[: k + 1] in sentence:
        k += 1
    if k >= 2 and not any(i in bounds for i in occurrences(name[:k])):
        probs.append(f"starts inside a word: {name[:k]!r} in {seg}")
    def end_problem(core: str) -> str | None:
        k = 0
        while k < len(core) and core[len(core) - k - 1:] in sentence:
            k += 1
        if k >= 2 and not any(i + k in bounds for i in occurrences(core[len(core) - k:])):
            return f"ends inside a word: {core[len(core) - k:]!r} in {seg}"
        return None

    # the name as a whole, or without the measure word it adds, must end where a word of the sentence ends
    cores = [name] + [name[: -len(suf)] for suf in NAME_SUFFIXES if name.endswith(suf) and len(name) > len(suf) + 1]
    found = [end_problem(c) for c in cores]
    if all(found):
        probs.append(found[0])
    return probs


def name_numbers(name: str) -> set[float]:
    t = arabize(normalize_text(name))
    return {_key(float(m.group(0))) for m in re.finditer(r"\d+(?:\.\d+)?", t.replace(",", ""))}


def name_problems(name: str, e: Expected) -> list[str]:
    probs = []
    if not any(h in name for h in e.heads):
        probs.append(f"head {'/'.join(e.heads)} missing")
    if len(name) > 20:
        probs.append(f"{len(name)} chars")
    if name.strip() in (e.sentence.strip(), e.quote.strip()):
        probs.append("the whole sentence")
    if LIST_MARKER_RE.match(name):
        probs.append("starts with a list marker")
    foreign = name_numbers(name) - {_key(x) for x in e.name_numbers}
    if foreign:
        probs.append(f"numbers {sorted(foreign)} in the name")
    words = [w for w in COMPARATOR_WORDS if w in name and w not in e.subject and not any(w in h for h in e.heads)]
    if words:
        probs.append(f"comparator/lead words {words}")
    probs += boundary_problems(name, e.sentence)
    return probs


@dataclass
class TargetResult:
    target: Expected
    status: str  # ok / missing / direction / tier2 / unit
    row: object | None = None
    name_problems: list[str] = field(default_factory=list)
    detail: str = ""


@dataclass
class Evaluation:
    gen: Generated
    results: list[TargetResult]
    extracted: list
    matched_rows: set[int]
    decoy_rows: list[tuple[Decoy, object]]
    unused_missing: list[Decoy] | None  # None when the engine has no `unused`
    unused_category_mismatch: list[tuple[Decoy, str]]
    leaks: list[str]
    long_names: list[str]
    targets_unused: list = field(default_factory=list)  # (Expected, figure) found as a row and listed unused

    @property
    def ok(self) -> bool:
        return all(r.status == "ok" for r in self.results)


def _concept(profile, row) -> str | None:
    from assistant.core.profiles import resolve

    return resolve(profile, row.tier1, row.tier2).tier2_concept


def evaluate(gen: Generated, outcome) -> Evaluation:
    from assistant.core.model import Origin
    from assistant.core.profiles import get_profile

    d = outcome.draft
    profile = get_profile(d.profile)
    rows = [r for r in d.indicators if r.origin == Origin.EXTRACTED]
    info = []
    for r in rows:
        c = _concept(profile, r)
        pv = parse(r.value, timeliness=(c == "timeliness"))
        if pv.kind not in (ValueKind.QUANTITY, ValueKind.DEADLINE) and c != "timeliness":
            pv2 = parse(r.value, timeliness=True)
            if pv2.kind is ValueKind.DEADLINE:
                pv = pv2
        info.append((r, pv, c, row_direction(pv)))
    used: set[int] = set()
    results: list[TargetResult] = []

    def level(e: Expected, i: int) -> str | None:
        _row, pv, c, dirn = info[i]
        if not number_matches(e, pv):
            return None
        if dirn not in e.directions:
            return "direction"
        accepted = set().union(*(CONCEPT_ALIASES.get(x, {x}) for x in e.concepts))
        if c not in accepted:
            return "tier2"
        if not unit_ok(e, pv):
            return "unit"
        return "ok"

    pending = list(range(len(gen.targets)))
    # pass 1: full matches, preferring rows that name the head
    assigned: dict[int, tuple[int, str]] = {}
    for want_head in (True, False):
        for ti in list(pending):
            e = gen.targets[ti]
            for i in range(len(info)):
                if i in used:
                    continue
                if want_head and not any(h in info[i][0].name for h in e.heads):
                    continue
                if level(e, i) == "ok":
                    assigned[ti] = (i, "ok")
                    used.add(i)
                    pending.remove(ti)
                    break
    # pass 2: partial matches (diagnostics)
    order = {"unit": 0, "tier2": 1, "direction": 2}
    for ti in list(pending):
        e = gen.targets[ti]
        best = None
        for i in range(len(info)):
            lv = level(e, i)
            if lv and lv != "ok" and (best is None or order[lv] < order[best[1]]):
                best = (i, lv)
        if best:
            assigned[ti] = best
    for ti, e in enumerate(gen.targets):
        if ti in assigned:
            i, lv = assigned[ti]
            r, pv, c, dirn = info[i]
            detail = f"{r.name} | {r.value} | {r.tier2} ({c})"
            results.append(TargetResult(e, lv, r, name_problems(r.name, e), detail))
        else:
            results.append(TargetResult(e, "missing"))
    # decoys that became rows
    decoy_rows = []
    for dcy in gen.decoys:
        for i, (r, pv, c, dirn) in enumerate(info):
            if i in used:
                continue  # the row is a stated target's (a list marker 二 and a target of 2万人 share a digit)
            if _key(dcy.number) in row_numbers(pv):
                decoy_rows.append((dcy, r))
    # unused
    unused = getattr(outcome, "unused", None)
    missing_unused, cat_mismatch, targets_unused = None, [], []
    if unused is not None:
        missing_unused = []
        figures = [(u, _unused_numbers(unused_figure(u))) for u in unused]
        for dcy in gen.decoys:
            if not dcy.must_report:
                continue
            hits = [u for u, nums in figures if _key(dcy.number) in nums]
            if not hits:
                missing_unused.append(dcy)
            elif not any(getattr(u, "category", None) == dcy.category for u in hits):
                cat_mismatch.append((dcy, ",".join(str(getattr(u, "category", "")) for u in hits)))
        # a target that became a row is not "a number that did not become a row"
        for res in results:
            e = res.target
            if res.status != "ok" or e.deadline is not None or e.number in (None, 0, 100):
                continue
            for u, nums in figures:
                if _key(e.number) in nums:
                    targets_unused.append((e, unused_figure(u)))
    leaks = [f"{w}: {lk} in {t!r}" for w, t in visible_texts(outcome) for lk in code_leaks(t)]
    long_names = [r.name for r, *_ in info if len(r.name) > 20]
    return Evaluation(gen, results, [r for r, *_ in info], used, decoy_rows, missing_unused, cat_mismatch, leaks,
                      long_names, targets_unused)


def unused_figure(u) -> str:
    """The figure of an entry of out.unused: `.figure` when the engine gives one, else `.text`."""
    return str(getattr(u, "figure", None) or getattr(u, "text", "") or "")


def _unused_numbers(text: str) -> set[float]:
    from assistant.core.grounding import text_numbers

    t = normalize_text(arabize(text or "")).replace(",", "")
    out = {_key(x) for x in text_numbers(text or "")}
    out |= {_key(float(m.group(0))) for m in re.finditer(r"\d+(?:\.\d+)?", t)}
    for ch in text or "":
        if ch in CIRCLED:
            out.add(_key(CIRCLED.index(ch) + 1))
    for m in re.finditer(r"([一二三四五六七八九十]+)(?=[是、）)])", text or ""):
        n = cn_to_int(m.group(1))
        if n:
            out.add(_key(n))
    return out


def draft(gen: Generated, engine=None):
    from assistant.core.model import Kind

    engine = engine or _engine()
    return engine.draft(gen.text, kind=Kind.DEPARTMENT if gen.kind == "department" else Kind.PROJECT)


@lru_cache(maxsize=1)
def _engine():
    from assistant.engines.offline import OfflineEngine

    return OfflineEngine()


# =============================================================================================
# CLI report
# =============================================================================================


def run_report(seed: int, sentences: int, kind: str = "mixed", show: int = 0, style: str | None = None,
               out=sys.stdout) -> dict:
    rng = random.Random(seed)
    per = defaultdict(Counter)
    tot = Counter()
    dec_cat = defaultdict(Counter)
    failures = []
    n_sent = 0
    t0 = time.time()
    texts = 0
    while n_sent < sentences:
        gen = generate(rng, kind=kind, style=style)
        n_sent += gen.sentence_count
        texts += 1
        outcome = draft(gen)
        ev = evaluate(gen, outcome)
        for res in ev.results:
            tid = res.target.template
            per[tid]["n"] += 1
            per[tid][res.status] += 1
            if res.row is not None and res.status == "ok":
                per[tid]["name_ok"] += not res.name_problems
        tot["targets"] += len(ev.results)
        tot["found"] += sum(r.status == "ok" for r in ev.results)
        tot["rows"] += len(ev.extracted)
        tot["rows_ok"] += len(ev.matched_rows)
        tot["found_named_ok"] += sum(r.status == "ok" and not r.name_problems for r in ev.results)
        tot["decoys"] += len(ev.gen.decoys)
        bad_decoys = {id(d) for d, _ in ev.decoy_rows}
        not_listed = {id(d) for d in ev.unused_missing or []}
        for dcy in ev.gen.decoys:
            dec_cat[dcy.category]["n"] += 1
            dec_cat[dcy.category]["row"] += id(dcy) in bad_decoys
            dec_cat[dcy.category]["must"] += dcy.must_report and ev.unused_missing is not None
            dec_cat[dcy.category]["unlisted"] += id(dcy) in not_listed
        tot["targets_unused"] += len(ev.targets_unused)
        tot["decoy_rows"] += len(bad_decoys)
        tot["leak_texts"] += bool(ev.leaks)
        tot["long_names"] += len(ev.long_names)
        if ev.unused_missing is not None:
            tot["unused_checked"] += sum(d.must_report for d in ev.gen.decoys)
            tot["unused_missing"] += len(ev.unused_missing)
            tot["unused_cat_mismatch"] += len(ev.unused_category_mismatch)
        if (not ev.ok or ev.decoy_rows) and len(failures) < show:
            failures.append((ev, outcome))
    dt = time.time() - t0
    w = out.write
    pct = lambda a, b: f"{100 * a / b:5.1f}%" if b else "   n/a"
    w(f"seed={seed} kind={kind} texts={texts} sentences={n_sent} targets={tot['targets']} "
      f"decoys={tot['decoys']} time={dt:.1f}s\n")
    w(f"recall     {pct(tot['found'], tot['targets'])}  (number + direction + acceptable 二级 + unit family)\n")
    w(f"precision  {pct(tot['rows_ok'], tot['rows'])}  ({tot['rows_ok']}/{tot['rows']} extracted rows match a target)\n")
    w(f"names      {pct(tot['found_named_ok'], tot['found'])}  (found rows whose name has the head noun, "
      f"is cut at word boundaries, ≤20 chars, no stray numbers/markers)\n")
    w(f"decoys→rows {tot['decoy_rows']}/{tot['decoys']} ({pct(tot['decoy_rows'], tot['decoys'])})\n")
    w(f"texts with internal codes in visible fields: {tot['leak_texts']}/{texts}\n")
    if tot["unused_checked"]:
        w(f"unused: {tot['unused_missing']}/{tot['unused_checked']} decoys missing from out.unused; "
          f"{tot['unused_cat_mismatch']} with another category; {tot['targets_unused']} extracted targets "
          f"also listed as unused\n")
    else:
        w("unused: the engine has no out.unused yet\n")
    w("\nper template      n   recall  missing  direction  tier2  unit  names(found)\n")
    for tid in TEMPLATE_IDS:
        c = per[tid]
        if not c["n"]:
            continue
        w(f"{tid:<5} {c['n']:>10} {pct(c['ok'], c['n'])}  {c['missing']:>7}  {c['direction']:>9}  {c['tier2']:>5}"
          f"  {c['unit']:>4}  {pct(c['name_ok'], c['ok'])}\n")
    w("\ndecoys by category   n   became rows      missing from out.unused\n")
    for cat, c in sorted(dec_cat.items()):
        w(f"{cat:<14} {c['n']:>6}   {c['row']:>5} {pct(c['row'], c['n'])}   {c['unlisted']:>5}/{c['must']:<5} "
          f"{pct(c['unlisted'], c['must'])}\n")
    for ev, outcome in failures:
        w("\n" + "=" * 100 + "\n")
        w(show_failure(ev))
    return {"per_template": {k: dict(v) for k, v in per.items()}, "totals": dict(tot), "sentences": n_sent}


def show_failure(ev: Evaluation) -> str:
    lines = [f"[{ev.gen.kind}/{ev.gen.style}/{ev.gen.sector} year={ev.gen.year}]", ev.gen.text, "-- expected:"]
    for r in ev.results:
        mark = "OK " if r.status == "ok" else "XX "
        lines.append(f"  {mark}{r.target.template} {r.status:<9} {r.target.value:<18} heads={'/'.join(r.target.heads)}"
                     f" 二级∈{sorted(r.target.tier2)}  «{r.target.quote}»"
                     + (f"\n        row: {r.detail}" if r.detail else "")
                     + (f"\n        name: {'; '.join(r.name_problems)}" if r.name_problems else ""))
    for dcy, row in ev.decoy_rows:
        lines.append(f"  DECOY→ROW {dcy.category} {dcy.text} → {row.name} | {row.value}")
    lines.append("-- extracted rows:")
    for r in ev.extracted:
        lines.append(f"  {r.tier2:<10} {r.name} | {r.value}")
    for lk in ev.leaks[:5]:
        lines.append(f"  LEAK {lk}")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Generate stated-target prose and score the offline engine on it.")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--sentences", type=int, default=5000)
    ap.add_argument("--kind", default="mixed", choices=["mixed", "project", "department"])
    ap.add_argument("--style", default=None)
    ap.add_argument("--report", action="store_true", help="draft every text with the offline engine and score it")
    ap.add_argument("--show", type=int, default=0, help="print N failing examples")
    ap.add_argument("--sample", type=int, default=0, help="just print N generated texts with their targets")
    a = ap.parse_args(argv)
    if a.sample:
        rng = random.Random(a.seed)
        for _ in range(a.sample):
            g = generate(rng, kind=a.kind, style=a.style)
            print("=" * 80)
            print(g.text)
            print("--")
            for e in g.targets:
                print(f"  {e.template} {e.value:<16} {'/'.join(sorted(e.directions))} {sorted(e.tier2)} "
                      f"heads={'/'.join(e.heads)} «{e.quote}»")
            for d in g.decoys:
                print(f"  decoy {d.category:<11} {fmt(d.number):<10} {d.text}")
        return 0
    if a.report or a.show:
        run_report(a.seed, a.sentences, a.kind, a.show, a.style)
        return 0
    ap.print_help()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
