"""Stage 3: every figure in a clause, with the words that qualify it.

A figure is NUMBER [range] [余/多] [万/亿] [UNIT] [/per], or a date form (deadline, date, year, period,
quarter, half year, recurring day), or a number that is part of a name (PM10, 5G, 110, 第3批, 60周岁),
or a document number. Comparator words before and after a quantity are read here; what the figure *is*
(target, baseline, decoy, funding) is decided by the cue stage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .lexicon import CUES

NUM = r"\d+(?:,\d{3})*(?:\.\d+)?"
_UNITS = sorted(CUES["units"]["all"], key=len, reverse=True)
UNIT_RE = r"/\s*10\s*万|/\s*万|" + "|".join(re.escape(u) for u in _UNITS)
MONEY_UNITS = ("元", "万元", "亿元", "千元")
TIME_UNITS = tuple(CUES["units"]["time"])
# after "/": a known measure word (元/人次, 元/生·天) rather than any characters, so 20元/人调整为 stops at 人
_PER_WORDS = "|".join(re.escape(u) for u in sorted({u for u in _UNITS if re.fullmatch(r"[\u4e00-\u9fff]{1,3}", u)}
                                                   | {"生", "车", "校", "村", "学期", "标准间", "床日", "班", "课时", "宗"},
                                                   key=len, reverse=True))
_PER_ONE = rf"(?:{_PER_WORDS}|[\u4e00-\u9fff](?![\u4e00-\u9fff]))"
_PER = rf"/\s*(?:10万|万|\d+\s*万?[\u4e00-\u9fff]{{0,2}}|{_PER_ONE}(?:\s*[·.]\s*{_PER_ONE})?)"

_QTY = re.compile(
    rf"(?P<num>{NUM})(?P<u1>%|‰)?(?:\s*(?P<rsep>-|~|至|到|—)\s*(?P<num2>{NUM}))?\s*(?P<approx>余|多)?\s*"
    rf"(?P<mult>万|亿|千(?!米|克|瓦|元))?\s*(?P<unit>{UNIT_RE})?(?P<per>{_PER})?")
_DOCNO = re.compile(r"[〔\[【(（]\s*(?:19|20)\d{2}\s*[〕\]】)）]\s*(?:第\s*)?\d+\s*号|第\s*\d+\s*号(?:令|文件)?")
_PERIOD = re.compile(
    r"(?P<y1>(?:19|20)\d{2})\s*(?:年\s*(?:(?P<m1>1[0-2]|0?[1-9])\s*月)?|[./](?P<m1b>1[0-2]|0?[1-9]))?\s*(?:-|~|至|到|—|–)\s*"
    r"(?P<y2>(?:19|20)\d{2})\s*(?:年度|年)?(?:\s*(?P<m2>1[0-2]|0?[1-9])\s*月?|[./](?P<m2b>1[0-2]|0?[1-9]))?")
_DATE = re.compile(
    r"(?:(?P<y>(?:19|20)\d{2})\s*年\s*)?(?P<m>1[0-2]|0?[1-9])\s*月\s*(?:份)?\s*"
    r"(?:(?P<d>[12]\d|3[01]|0?[1-9])\s*[日号]|(?P<part>底|末|初|中旬|上旬|下旬|中))?\s*"
    r"(?P<suf>之前|以前|前(?!后)|为止|止|截止)?")
_ISO_DATE = re.compile(r"(?P<y>(?:19|20)\d{2})\s*[./-]\s*(?P<m>1[0-2]|0?[1-9])(?:\s*[./-]\s*(?P<d>[12]\d|3[01]|0?[1-9]))?"
                       r"(?![\d%]|\s*(?:万|亿|千|百|元|人|个|户|次|件|台|辆|亩|公里|米|吨|册|场|所|家|名|页|卷|盏|座|套))"
                       r"\s*(?P<suf>之前|以前|前|为止|止)?")  # 1912.6万元 is money, not June 1912
_MONTH_RANGE = re.compile(r"(?P<m1>1[0-2]|0?[1-9])\s*(?:-|~|至|到)\s*(?P<m2>1[0-2]|0?[1-9])\s*月(?:份)?")
_QUARTER = re.compile(r"(?:(?P<y>(?:19|20)\d{2})\s*年\s*)?第?\s*(?P<q>[1-4一二三四])\s*季度\s*(?P<part>末|底|前|内|结束前)?"
                      r"\s*(?P<suf>之前|以前|前)?")
_HALF = re.compile(r"(?:(?P<y>(?:19|20)\d{2})\s*年\s*)?(?P<h>上半年|下半年)\s*(?P<suf>之前|以前|前|内)?")
_YEAR = re.compile(r"(?P<y>(?:19|20)\d{2})\s*(?P<w>年度|年)(?P<end>底|末)?\s*(?P<suf>之前|以前|前)?(?!\s*\d{1,2}\s*月)")
_RECURRING = re.compile(r"每(?:个)?(?P<p>月|季度|季|年|周|半年|学期)\s*(?:的)?\s*(?:(?P<d>\d{1,2})\s*[日号]|(?P<part>底|末|初))"
                        r"\s*(?P<suf>之前|以前|前)?")
_CODE_BEFORE = re.compile(r"[A-Za-z]{1,6}\s*$")
_CODE_AFTER = re.compile(r"^\s*[A-Za-z]")
_HOTLINES = set(CUES["hotlines"])
# single-character units that begin common words (部门, 项目, 门诊…): not a unit when the word follows
_UNIT_CONT = {"部": "门署分队位长委", "台": "账风阶", "门": "户诊口类槛店", "项": "目", "件": "事", "所": "有属在需长",
              "家": "庭长属具用园乡", "期": "间限末初望待刊", "条": "件例款线", "处": "理置罚室长", "起": "草步来止点诉",
              "本": "级单位年次地县市区项", "节": "约能点日假", "次": "性", "名": "称单额录", "位": "于置", "只": "有是要能",
              "口": "岸径", "种": "植类养子", "类": "似", "批": "准复示", "班": "子组", "套": "餐", "张": "贴", "支": "持出付援",
              "包": "括含", "组": "织成建", "片": "区", "顶": "层"}
_HOTLINE_RE = re.compile(r"^(1[0-2]\d|12\d{3}|96\d{3})$")
_IN_NAME_AFTER = re.compile(r"^\s*[)）]?\s*(?:周岁|岁|级|星|号线|号楼|号|型|年级|代|寸|英寸|孔)(?!内)")


@dataclass
class Figure:
    """A figure found in a clause; offsets are relative to the clause text."""

    start: int
    end: int
    kind: str  # quantity | money | bare | deadline | recurring | date | year | period | docno | in_name
    num: str = ""
    num2: str | None = None  # upper end of a range
    mult: str = ""  # 万 / 亿 as written
    unit: str = ""
    per: str = ""  # per-unit part of the unit, without the slash (人·月)
    approx: str = ""  # 余 / 多 / 约 / 左右
    op_before: str | None = None
    op_before_word: str = ""
    op_after: str | None = None
    op_after_word: str = ""
    # deadlines
    year: int | None = None
    month: int | None = None
    day: int | None = None
    month_end: bool = False
    text_value: str = ""  # deadlines / recurring: the value as it will be written
    notes: list[str] = field(default_factory=list)

    @property
    def magnitude(self) -> float | None:
        if not self.num:
            return None
        n = float(self.num.replace(",", ""))
        return n * {"万": 1e4, "亿": 1e8, "千": 1e3}.get(self.mult, 1)

    @property
    def is_money(self) -> bool:
        return self.unit in MONEY_UNITS

    @property
    def is_time(self) -> bool:
        return self.unit in TIME_UNITS

    @property
    def full_unit(self) -> str:
        return self.mult + self.unit + (f"/{self.per}" if self.per else "")


_CN_Q = {"一": 1, "二": 2, "三": 3, "四": 4}


def _ops_before(left: str) -> tuple[str | None, str]:
    p = left.rstrip()
    for _ in range(2):
        for word, op in CUES["comparators"]["before"]:
            if p.endswith(word):
                return op, word
        p = re.sub(r"(约|大约|大概|近|共|共计|累计|总计|合计|了|均|都)$", "", p).rstrip()
    return None, ""


def _ops_after(right: str) -> tuple[str | None, str]:
    q = right.lstrip()
    for word, op in CUES["comparators"]["after"]:
        if q.startswith(word):
            return op, word
    return None, ""


def scan(clause: str) -> list[Figure]:
    """All figures of one clause, in order, non-overlapping."""
    taken = [False] * len(clause)
    out: list[Figure] = []

    def free(a: int, b: int) -> bool:
        return not any(taken[a:b])

    def take(f: Figure) -> None:
        for k in range(f.start, f.end):
            taken[k] = True
        out.append(f)

    for m in re.finditer(r"\d+\s*[×xX*]\s*\d+\s*(小时|h)?|(?<![\d.])24\s*小时(?=值守|服务|开放|在线|运行|监控|不间断|值班|全天|营业|畅通|自助)",
                         clause):  # 7×24小时值守 / 24小时开放: a schedule, not a figure
        take(Figure(m.start(), m.end(), "in_name", num=re.findall(r"\d+", m.group(0))[0]))
    for m in _DOCNO.finditer(clause):
        take(Figure(m.start(), m.end(), "docno", num=re.findall(r"\d+", m.group(0))[-1]))
    for m in _PERIOD.finditer(clause):
        if free(m.start(), m.end()):
            take(Figure(m.start(), m.end(), "period", num=m.group("y1"), year=int(m.group("y1"))))
    for m in _RECURRING.finditer(clause):
        if free(m.start(), m.end()):
            val = m.group(0).strip()
            if not m.group("suf") and not m.group("part"):
                val += "前"
            take(Figure(m.start(), m.end(), "recurring", num=m.group("d") or "", text_value=val))
    for m in _QUARTER.finditer(clause):
        if free(m.start(), m.end()):
            q = m.group("q")
            qn = int(q) if q.isdigit() else _CN_Q[q]
            dl = bool(m.group("part") or m.group("suf"))
            take(Figure(m.start(), m.end(), "deadline" if dl else "date", num=str(qn),
                        year=int(m.group("y")) if m.group("y") else None, month=qn * 3, month_end=True))
    for m in _HALF.finditer(clause):
        if free(m.start(), m.end()):
            take(Figure(m.start(), m.end(), "half", year=int(m.group("y")) if m.group("y") else None,
                        month=6 if m.group("h") == "上半年" else 12, month_end=True, text_value=m.group("h")))
    for m in _MONTH_RANGE.finditer(clause):
        if free(m.start(), m.end()):
            take(Figure(m.start(), m.end(), "date", num=m.group("m1")))
    for rx in (_ISO_DATE, _DATE):
        for m in rx.finditer(clause):
            if not free(m.start(), m.end()):
                continue
            d = int(m.group("d")) if m.group("d") else None
            part = m.groupdict().get("part") or ""
            suf = m.group("suf") or ""
            after = clause[m.end():m.end() + 6]
            if rx is _ISO_DATE and not m.group("d") and not suf:
                # 2025.12 alone is a date; 366.80 never reaches here (needs 19xx/20xx)
                pass
            deadline = bool(suf) or part in ("底", "末") or bool(re.match(CUES["completion_after_date"], after))
            take(Figure(m.start(), m.end(), "deadline" if deadline else "date",
                        num=m.group("m"), year=int(m.group("y")) if m.group("y") else None, month=int(m.group("m")),
                        day=d, month_end=part in ("底", "末") or (d is None and deadline)))
    for m in _YEAR.finditer(clause):
        if free(m.start(), m.end()):
            dl = bool(m.group("suf"))
            take(Figure(m.start(), m.end(), "deadline" if dl else "year", num=m.group("y"), year=int(m.group("y")),
                        month=12 if dl else None, month_end=dl))
    for m in _QTY.finditer(clause):
        a, b = m.start(), m.end()
        if not free(a, b):
            # a quantity overlapping a date form: only the free digits count
            continue
        num = m.group("num")
        before = clause[max(0, a - 8):a]
        after = clause[b:b + 8]
        u1, unit, mult = m.group("u1") or "", m.group("unit") or "", m.group("mult") or ""
        per = (m.group("per") or "").lstrip("/").strip()
        if per and not unit and not u1:
            per = ""
            b = m.start("per")
        if per and re.fullmatch(r"\d+", per):  # 3/5 is a fraction, not a per-unit
            per, b = "", m.start("per")
        cont = _UNIT_CONT.get(unit)
        if cont and clause[b:b + 1] and clause[b:b + 1] in cont and not m.group("per"):
            b -= len(unit)  # 2025部门, 3项目, 5门诊: the "unit" is the start of the next word
            unit = ""
        if u1 and not unit:
            unit = u1
        if unit.startswith("/"):
            unit = "/10万" if "10" in unit else "/万"
        if mult and unit == "元":
            unit, mult = mult + "元", ""
        if u1 and unit != u1:  # 90%-95% and 90%~95: the unit is the percent
            unit = u1
        if clause[a - 1:a] in (".",) or re.search(r"\d[.,]$", clause[:a]):
            continue
        f = Figure(a, b, "quantity", num=num, num2=m.group("num2"), mult=mult, unit=unit, per=per,
                   approx=m.group("approx") or "")
        if _CODE_BEFORE.search(clause[:a]) or _CODE_AFTER.match(clause[b:] if not unit else clause[b:]) and not unit:
            f.kind = "in_name"
        elif (num in _HOTLINES or _HOTLINE_RE.match(num) and re.match(r"\s*[、\u4e00-\u9fff]", clause[b:b + 1])) \
                and not unit:
            f.kind = "in_name"
        elif clause[max(0, a - 1):a] == "第" or (not unit and _IN_NAME_AFTER.match(clause[b:])) \
                or (unit in ("岁", "周岁") and not re.search(CUES["age_target"], clause)):
            f.kind = "in_name"
        elif not unit and not mult and re.fullmatch(r"(19|20)\d{2}(0?[1-9]|1[0-2])(\d{2})?", num):
            f.kind = "date"  # 20246 / 202501 / 20250630: a date typed without separators
        elif not unit and not mult:
            f.kind = "bare"
        elif f.is_money:
            f.kind = "money"
        f.op_before, f.op_before_word = _ops_before(clause[:a])
        f.op_after, f.op_after_word = _ops_after(clause[b:])
        if re.search(r"(约|大约|大概|近)\s*$", before):
            f.approx = f.approx or "约"
        if re.match(r"\s*左右", after):
            f.approx = f.approx or "左右"
        take(f)
    out.sort(key=lambda f: f.start)
    return out
