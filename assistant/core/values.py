"""Parse and format 指标值 (indicator values) as real forms write them.

parse() never raises: anything it can't read becomes kind "text". format_value(parse(v))
gives a canonical spelling with the same meaning (operator, magnitude, unit, dates).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache

from pydantic import BaseModel, ConfigDict

OPS = ("≥", "≤", "=", ">", "<")


class ValueKind(StrEnum):
    QUANTITY = "quantity"  # [op] number [unit]
    DEADLINE = "deadline"  # 2020年12月底前
    PERIOD = "period"  # 2023.07-2024.01
    GRADE = "grade"  # 达到预期 / 显著提升 / 是 / 优良
    TEXT = "text"  # free text (often a defect)
    PLACEHOLDER = "placeholder"  # **, ××, N, （待填）
    EMPTY = "empty"


class ParsedValue(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: ValueKind
    op: str | None = None
    op_word: str | None = None  # the word the operator came from (不低于, 以上 …)
    number: float | None = None  # as written, before the multiplier
    number_text: str | None = None
    mult: int = 1  # 万 / 亿 / 千 written before a non-money unit
    unit: str | None = None
    year: int | None = None
    month: int | None = None
    day: int | None = None
    month_end: bool = False  # 底/末
    end_year: int | None = None
    end_month: int | None = None
    end_day: int | None = None
    serial: bool = False  # came from an Excel date serial
    label: str | None = None  # text before the number that is not an operator word (调整率100%)
    grade: str | None = None
    placeholder_unit: str | None = None  # unit printed after a placeholder (≥（待填）人)

    @property
    def magnitude(self) -> float | None:
        return None if self.number is None else self.number * self.mult

    @property
    def is_percent(self) -> bool:
        return self.unit == "%"

    @property
    def is_quantitative(self) -> bool:
        return self.kind in (ValueKind.QUANTITY, ValueKind.DEADLINE, ValueKind.PERIOD)

    def money_wan(self) -> float | None:
        """The amount in 万元 when the unit is money, else None."""
        if self.number is None or not self.unit:
            return None
        scale = MONEY_SCALE_WAN.get(self.unit)
        if scale is None:
            return None
        return self.number * self.mult * scale

    def deadline_date(self) -> date | None:
        if self.kind is not ValueKind.DEADLINE or self.month is None or self.year is None:
            return None
        return _to_date(self.year, self.month, self.day, self.month_end)


MONEY_SCALE_WAN = {"元": 1e-4, "万元": 1.0, "亿元": 1e4, "千元": 0.1}

_OP_WORDS_PRE: list[tuple[str, str]] = [
    ("大于等于", "≥"), ("大于或等于", "≥"), ("不低于", "≥"), ("不少于", "≥"), ("不小于", "≥"), ("至少", "≥"),
    ("达到", "≥"), ("高于", ">"), ("大于", ">"), ("超过", ">"), ("多于", ">"), ("达", "≥"),
    ("小于等于", "≤"), ("小于或等于", "≤"), ("不超过", "≤"), ("不高于", "≤"), ("不大于", "≤"), ("不多于", "≤"),
    ("控制在", "≤"), ("最多", "≤"), ("低于", "<"), ("小于", "<"), ("少于", "<"), ("等于", "="), ("为", "="),
    ("保持", "="),
]
_OP_WORDS_PRE.sort(key=lambda wo: -len(wo[0]))
_OP_WORDS_POST: list[tuple[str, str]] = [
    ("及以上", "≥"), ("以上", "≥"), ("及以下", "≤"), ("以下", "≤"), ("以内", "≤"), ("之内", "≤"), ("内", "≤"),
]
_GRADE_WORDS = (
    "达到预期目标", "达到预期", "基本达到预期", "基本达到", "部分达到", "未达到", "达到", "显著提升", "明显提升", "有所提升",
    "显著提高", "明显提高", "有所提高", "稳步提高", "稳步提升", "持续提升", "持续提高", "提高", "提升", "显著改善", "明显改善",
    "持续改善", "有所改善", "改善", "健全", "完善", "规范", "合规", "公开", "是", "否", "有", "无", "优", "良", "中", "差",
    "优良", "优秀", "良好", "合格", "达标", "高", "低", "较高", "满意", "及时", "按时", "有效", "持续发展", "巩固提高",
    "逐步提高", "进一步提升", "进一步提高", "效果明显", "显著", "明显", "较好", "好", "建立", "已建立", "正常运行",
)
_PLACEHOLDER_RE = re.compile(
    r"^(?P<op>[≥≤=<>])?\s*(\*{1,}|×{2,}|x{2,}|X{2,}|N|n|…+|\.{3,}|_{2,}|＿+|（待填）|\(待填\)|【待填】|\[待填\]|待填写?|待定|\?+)\s*(?P<unit>[^\d\s]{0,8})$"
)
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 10_000, "亿": 100_000_000}
CN_NUM_CHARS = "零〇一二两三四五六七八九十百千万亿点"

_NUM = r"[+-]?\d[\d,]*(?:\.\d+)?|[+-]?\.\d+"
_QTY_RE = re.compile(
    rf"^(?P<pre>.*?)(?P<op>[≥≤=<>])?\s*(?P<num>{_NUM})\s*(?P<mult>万|亿|千)?\s*(?P<unit>[^\d≥≤=<>]*?)\s*(?P<post>及以上|以上|及以下|以下|以内|之内|内)?$"
)
_QTY_MONEY_RE = re.compile(
    rf"^(?P<pre>.*?)(?P<op>[≥≤=<>])?\s*(?P<num>{_NUM})\s*(?P<unit>万元|亿元|千元)(?P<tail>[^\d≥≤=<>]*?)\s*(?P<post>及以上|以上|及以下|以下|以内|之内|内)?$"
)
_DEADLINE_RE = re.compile(
    r"^(?P<pre>[^\d]{0,12}?)(?:(?P<y>\d{4})\s*年)?\s*(?:(?P<m>\d{1,2})\s*月\s*(?:(?P<d>\d{1,2})\s*[日号]|(?P<end>底|末|份|中旬|上旬|下旬))?|(?P<yend>底|末))\s*"
    r"(?P<suf>前|之前|以前|内完成|前完成|完成|止|截止)?\s*(?P<tail>.{0,10})$"
)
_ISO_DEADLINE_RE = re.compile(
    r"^(?P<pre>[^\d]{0,12}?)(?P<y>\d{4})[.\-/](?P<m>\d{1,2})[.\-/](?P<d>\d{1,2})\s*(?P<suf>前|之前|以前|止)\s*(?P<tail>.{0,10})$"
)
_NUMERIC_DATE_RE = re.compile(
    r"^(?P<pre>[^\d]{0,12}?)(?P<y>\d{4}|\d{2})(?P<sep>[.\-/])(?P<m>\d{1,2})(?:(?P=sep)(?P<d>\d{1,2}))?\s*"
    r"(?P<suf>前|之前|以前|止|底前|底)?$"
)
_PERIOD_RE = re.compile(
    r"^(?P<pre>[^\d]{0,8}?)(?P<y1>\d{4})\s*(?:[.\-/年]\s*(?P<m1>\d{1,2})\s*(?:月)?(?:\s*[.\-/]\s*(?P<d1>\d{1,2})\s*日?)?)?\s*"
    r"(?:-|–|—|~|～|至|到)\s*(?P<y2>\d{4})\s*(?:[.\-/年]\s*(?P<m2>\d{1,2})\s*(?:月)?(?:\s*[.\-/]\s*(?P<d2>\d{1,2})\s*日?)?)?\s*(?P<tail>.{0,6})$"
)
_YYYYMM_PERIOD_RE = re.compile(r"^(?P<y1>\d{4})(?P<m1>\d{2})\s*(?:-|–|—|~|至)\s*(?P<y2>\d{4})(?P<m2>\d{2})$")
_WHOLE_YEAR_RE = re.compile(r"^(?P<y>\d{4})\s*年?\s*(?:全年|全年度|年度内|年内)$")
_SCHEME_RE = re.compile(r"^定性[:：]?\s*(?P<g>.+)$")


def normalize_text(value: str) -> str:
    """NFKC (full-width digits/symbols to ASCII), unify operators, trim."""
    # NFKC turns ㎡/m² into "m2", whose digit would be read as the number; spell the unit out first
    s = value.replace("㎡", "平方米").replace("m²", "平方米").replace("㎥", "立方米").replace("m³", "立方米")
    s = unicodedata.normalize("NFKC", s)
    s = re.sub(r"(?<=\d)\s?[mM]2(?!\d)", "平方米", s)
    s = re.sub(r"(?<=\d)\s?[mM]3(?!\d)", "立方米", s)
    s = s.replace(">=", "≥").replace("=>", "≥").replace("<=", "≤").replace("=<", "≤")
    s = s.replace("≧", "≥").replace("≦", "≤").replace("⩾", "≥").replace("⩽", "≤")
    s = re.sub(r"\s+", " ", s).strip()
    s = s.strip(" 。;；,，、")
    # a final full stop goes, but not a leading decimal point (.5%) or an ellipsis placeholder (……)
    if s.endswith(".") and not s.endswith(".."):
        s = s[:-1].rstrip(" 。;；,，、")
    return s


def cn_to_int(text: str) -> int | None:
    """Chinese numerals (四万七千, 三十, 一千二百, 两百零五) to int; None when not a numeral."""
    if not text or any(c not in CN_NUM_CHARS for c in text) or "点" in text:
        return None
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            section += (digit if digit is not None else 1) * _CN_UNITS[ch]
            digit = None
        elif ch in _CN_BIG:
            section += digit or 0
            total += section * _CN_BIG[ch]
            section, digit = 0, None
    if digit is not None:
        # 四万七 means 47000: a trailing digit after a big unit scales one step down
        if total and not section and len(text) >= 2 and text[-2] in _CN_BIG:
            section += digit * _CN_BIG[text[-2]] // 10
        else:
            section += digit
    return total + section


def cn_to_number(text: str) -> float | None:
    if "点" in text:
        whole, _, frac = text.partition("点")
        w = cn_to_int(whole) if whole else 0
        if w is None or not frac or any(c not in _CN_DIGITS for c in frac):
            return None
        return float(f"{w}.{''.join(str(_CN_DIGITS[c]) for c in frac)}")
    n = cn_to_int(text)
    return None if n is None else float(n)


_CN_PERCENT_RE = re.compile(rf"(百分之|千分之|万分之)([{CN_NUM_CHARS}]+)")
_CN_RUN_RE = re.compile(rf"[{CN_NUM_CHARS.replace('点', '')}][{CN_NUM_CHARS}]*")


def arabize(text: str) -> str:
    """Replace Chinese numerals that stand for quantities with digits (百分之九十五 → 95%).

    Single characters are only converted before a measure word, so 一次性 or 统一 stay as they are.
    """

    def pct(m: re.Match[str]) -> str:
        n = cn_to_number(m.group(2))
        sign = {"百分之": "%", "千分之": "‰", "万分之": "‱"}[m.group(1)]
        return f"{format_amount(n)}{sign}" if n is not None else m.group(0)

    text = _CN_PERCENT_RE.sub(pct, text)

    def run(m: re.Match[str]) -> str:
        s = m.group(0)
        nxt = text[m.end() : m.end() + 1]
        if len(s) == 1 and (s == "一" or s not in "十百千" and not (nxt and nxt in _MEASURE_WORDS)):
            return s  # 一次办好, 一个窗口: a lone 一 is idiom far more often than a count
        if len(s) == 1 and text[m.end() + 1 : m.end() + 2] == "性":
            return s  # 一次性 is an adjective, not one time
        if s in ("万", "亿", "千", "百", "点") or s.startswith(("万", "亿", "点")):
            return s
        n = cn_to_number(s)
        return format_amount(n) if n is not None else s

    return _CN_RUN_RE.sub(run, text)


_MEASURE_WORDS = "人个户家所座台套辆次期篇份项名批条栋株亩年月天日周元万"


def format_amount(n: float | None, digits: int = 6, none: str = "") -> str:
    """A number as people write it: no trailing zeros, at most `digits` decimals (12, 366.8, 330.984)."""
    if n is None:
        return none
    if float(n).is_integer():
        return str(int(n))
    return f"{n:.{digits}f}".rstrip("0").rstrip(".")


def _clean_num(text: str) -> tuple[float, str]:
    t = text.replace(",", "")
    if t.startswith("."):
        t = "0" + t
    elif t.startswith(("+.", "-.")):
        t = t[0] + "0" + t[1:]
    return float(t), t.lstrip("+")


def _op_from_pre(pre: str) -> tuple[str | None, str | None, str]:
    """Find an operator word at the end of the text before the number; return (op, word, rest)."""
    p = pre.strip()
    for word, op in _OP_WORDS_PRE:
        if p.endswith(word):
            rest = p[: -len(word)].strip()
            # 达 only counts as an operator at the very end of a label (达47000人 / 参保人员达47000人)
            return op, word, rest
    return None, None, p


def _unit_ok(unit: str) -> bool:
    if not unit:
        return True
    if len(unit) > 10:
        return False
    return not re.search(r"[，,。;；:：、！!？?]|以上的|以下的", unit)


def _norm_unit(unit: str) -> str:
    u = unit.strip()
    u = u.replace("*", "·").replace("×", "·").replace("•", "·")
    u = {"m2": "平方米", "㎡": "平方米", "M2": "平方米", "km": "公里", "KM": "公里", "Km": "公里", "百分比": "%"}.get(u, u)
    return u


def _grade(s: str) -> str | None:
    core = s.strip()
    m = _SCHEME_RE.match(core)
    if m:
        return m.group("g")
    if core in _GRADE_WORDS:
        return core
    # 基本达到预期 / 有效提升 / 显著提升了X — short statements built on a grade word
    if len(core) <= 8 and any(core.endswith(w) or core.startswith(w) for w in _GRADE_WORDS if len(w) >= 2):
        return core
    return None


def parse(value: str | None, *, timeliness: bool = False) -> ParsedValue:
    """Parse a 指标值. `timeliness` lets bare integers in the Excel date range count as dates."""
    if value is None:
        return ParsedValue(kind=ValueKind.EMPTY)
    return _parse_cached(str(value)[:500], timeliness)


_DATEISH = re.compile(r"[年月日号底末前止至到~～.\-/–—]|全年|年内|\d{6}")


@lru_cache(maxsize=8192)
def _parse_cached(value: str, timeliness: bool) -> ParsedValue:
    s = normalize_text(value)
    if not s:
        return ParsedValue(kind=ValueKind.EMPTY)
    m = _PLACEHOLDER_RE.match(s)
    if m:
        return ParsedValue(kind=ValueKind.PLACEHOLDER, op=m.group("op"), placeholder_unit=(m.group("unit") or None))
    if re.search(r"（待填）|\(待填\)|【待填】|待填写", s):
        lead = re.match(r"^([≥≤=<>])", s)
        tail = re.search(r"(?:（待填）|\(待填\)|【待填】|待填写?)\s*(?P<u>[^\d\s]{0,8})$", s)
        return ParsedValue(kind=ValueKind.PLACEHOLDER, op=lead.group(1) if lead else None,
                           placeholder_unit=(tail.group("u") or None) if tail else None)

    parsers = (_parse_period, _parse_deadline, _parse_quantity) if (timeliness or _DATEISH.search(s)) else (
        _parse_quantity,)
    for parser in parsers:
        pv = parser(s, timeliness)
        if pv is not None:
            return pv
    # Chinese numerals: retry on the arabized text
    a = arabize(s)
    if a != s:
        for parser in (_parse_period, _parse_deadline, _parse_quantity):
            pv = parser(a, timeliness)
            if pv is not None:
                return pv
    g = _grade(s)
    if g is not None:
        return ParsedValue(kind=ValueKind.GRADE, grade=g)
    return ParsedValue(kind=ValueKind.TEXT)


def _parse_period(s: str, timeliness: bool) -> ParsedValue | None:
    m = _WHOLE_YEAR_RE.match(s)
    if m:
        y = int(m.group("y"))
        return ParsedValue(kind=ValueKind.PERIOD, year=y, month=1, day=1, end_year=y, end_month=12, end_day=31)
    m = _YYYYMM_PERIOD_RE.match(s)
    if m:
        return _period(int(m["y1"]), int(m["m1"]), None, int(m["y2"]), int(m["m2"]), None)
    m = _PERIOD_RE.match(s)
    if m and not m.group("pre").strip() and len(m.group("tail").strip()) <= 2:
        y1, y2 = int(m["y1"]), int(m["y2"])
        m1 = int(m["m1"]) if m["m1"] else None
        m2 = int(m["m2"]) if m["m2"] else None
        d1 = int(m["d1"]) if m["d1"] else None
        d2 = int(m["d2"]) if m["d2"] else None
        return _period(y1, m1, d1, y2, m2, d2)
    return None


def _period(y1, m1, d1, y2, m2, d2) -> ParsedValue | None:
    if not (1990 <= y1 <= 2100 and 1990 <= y2 <= 2100):
        return None
    if (m1 is not None and not 1 <= m1 <= 12) or (m2 is not None and not 1 <= m2 <= 12):
        return None
    return ParsedValue(kind=ValueKind.PERIOD, year=y1, month=m1, day=d1, end_year=y2, end_month=m2, end_day=d2)


def _numeric_date(s: str, timeliness: bool) -> ParsedValue | None:
    """2025-12-31, 2026/01/03, 2025.12, 26-05-15: a full date anywhere; a month or a two-digit year only on
    a 时效 row or with 前/止 (2025.12 elsewhere is a number)."""
    m = _NUMERIC_DATE_RE.match(s)
    if not m:
        return None
    full = m["d"] is not None
    short_year = len(m["y"]) == 2
    if not (timeliness or m["suf"]) and (not full or short_year):
        return None
    if short_year and not full:
        return None
    y = int(m["y"]) + (2000 if short_year else 0)
    mo = int(m["m"])
    d = int(m["d"]) if full else None
    if not (1990 <= y <= 2100 and 1 <= mo <= 12) or (d is not None and not 1 <= d <= 31):
        return None
    label = m["pre"].strip()
    return ParsedValue(kind=ValueKind.DEADLINE, year=y, month=mo, day=d, month_end=d is None,
                       label=label or None)


def _parse_deadline(s: str, timeliness: bool) -> ParsedValue | None:
    pv = _numeric_date(s, timeliness)
    if pv is not None:
        return pv
    m = _ISO_DEADLINE_RE.match(s)
    if m:
        y, mo, d = int(m["y"]), int(m["m"]), int(m["d"])
        if 1 <= mo <= 12 and 1 <= d <= 31:
            return ParsedValue(kind=ValueKind.DEADLINE, year=y, month=mo, day=d, label=m["pre"].strip() or None)
    m = _DEADLINE_RE.match(s)
    if m and (m.group("y") or m.group("m") or (m.group("yend") and m.group("suf"))):
        has_suffix = bool(m.group("suf")) or bool(m.group("end") in ("底", "末")) or bool(m.group("yend"))
        if not has_suffix and not (m.group("y") and m.group("m")):
            return None
        if m.group("tail").strip() and not has_suffix:
            return None
        y = int(m["y"]) if m["y"] else None
        if m.group("yend"):
            mo, end = 12, True
        else:
            mo = int(m["m"])
            end = m.group("end") in ("底", "末")
        if not 1 <= mo <= 12:
            return None
        d = int(m["d"]) if m["d"] else None
        if d is not None and not 1 <= d <= 31:
            return None
        label = m["pre"].strip()
        return ParsedValue(kind=ValueKind.DEADLINE, year=y, month=mo, day=d, month_end=end,
                           label=label if label and label != "年" else None)
    if timeliness:
        m = re.fullmatch(r"(\d{2}),?(\d{3})", s)
        if m:
            n = int(m.group(1) + m.group(2))
            if 36526 <= n <= 54789:  # Excel serials for 2000-01-01 .. 2049-12-31
                d = date(1899, 12, 30) + timedelta(days=n)
                return ParsedValue(kind=ValueKind.DEADLINE, year=d.year, month=d.month, day=d.day, serial=True)
    return None


def _parse_quantity(s: str, timeliness: bool) -> ParsedValue | None:
    m = _QTY_MONEY_RE.match(s)
    mult = 1
    if m:
        tail = (m.group("tail") or "").strip()
        unit = m.group("unit") + tail
    else:
        m = _QTY_RE.match(s)
        if not m:
            return None
        unit = (m.group("unit") or "").strip()
        mult = {"万": 10_000, "亿": 100_000_000, "千": 1000}.get(m.group("mult") or "", 1)
    if not _unit_ok(unit):
        return None
    pre = m.group("pre") or ""
    op = m.group("op")
    op_word = None
    pre_op, pre_word, rest = _op_from_pre(pre)
    if op is None and pre_op:
        op, op_word = pre_op, pre_word
        pre = rest
    elif op is not None:
        # 不低于≥95% — symbol wins, strip any word
        _, _, pre = _op_from_pre(pre)
    post = m.group("post")
    if post:
        post_op = dict(_OP_WORDS_POST)[post]
        if op is None or op == "≤" and post_op == "≤":
            op, op_word = post_op, (op_word + "…" + post if op_word else post)
        elif op_word == "控制在":
            op_word = "控制在…" + post
    label = pre.strip() or None
    if label and len(label) > 16:
        return None
    if label and re.search(r"[，,。;；、]", label):
        return None
    num, num_text = _clean_num(m.group("num"))
    if timeliness and not unit and op is None and label is None:
        dl = _parse_deadline(s, True)
        if dl is not None:
            return dl
    unit_n = _norm_unit(unit) if unit else None
    if mult != 1 and unit_n == "元":  # 250万元 written as 250万 + 元 never reaches here; keep for safety
        unit_n, mult = "万元", 1
    return ParsedValue(kind=ValueKind.QUANTITY, op=op, op_word=op_word, number=num, number_text=num_text,
                       mult=mult, unit=unit_n or None, label=label)


def _to_date(y: int, m: int, d: int | None, month_end: bool) -> date | None:
    try:
        if d:
            return date(y, m, d)
        nxt = date(y + (m == 12), m % 12 + 1, 1)
        return nxt - timedelta(days=1)
    except ValueError:
        return None


def format_number(pv: ParsedValue) -> str:
    return pv.number_text if pv.number_text is not None else format_amount(pv.number)


def format_value(pv: ParsedValue, raw: str = "") -> str:
    """Canonical spelling of a parsed value; text/grades come back as the raw text."""
    k = pv.kind
    if k is ValueKind.QUANTITY:
        mult = {10_000: "万", 100_000_000: "亿", 1000: "千"}.get(pv.mult, "")
        return f"{pv.label or ''}{pv.op or ''}{format_number(pv)}{mult}{pv.unit or ''}"
    if k is ValueKind.DEADLINE:
        y = f"{pv.year}年" if pv.year else ""
        if pv.day:
            return f"{y}{pv.month}月{pv.day}日前"
        return f"{y}{pv.month}月底前" if pv.month_end else f"{y}{pv.month}月前"
    if k is ValueKind.PERIOD:
        def part(y, m, d):
            out = f"{y}"
            if m:
                out += f".{m:02d}"
                if d:
                    out += f".{d:02d}"
            return out
        return f"{part(pv.year, pv.month, pv.day)}-{part(pv.end_year, pv.end_month, pv.end_day)}"
    if k is ValueKind.GRADE:
        return raw.strip() or (pv.grade or "")
    if k is ValueKind.PLACEHOLDER:
        return f"{pv.op or ''}（待填）{pv.placeholder_unit or ''}"
    return raw.strip()


def canonical(value: str, *, timeliness: bool = False) -> str:
    return format_value(parse(value, timeliness=timeliness), value)


def placeholder(op: str | None, unit: str | None) -> str:
    """The value the assistant writes where the user must supply the number."""
    return f"{op or ''}（待填）{unit or ''}"


NUMBER_RE = re.compile(r"\d[\d,]*(?:\.\d+)?")


def numbers_in(text: str) -> list[float]:
    """Every number in a text (digits and Chinese numerals), for grounding checks."""
    out: list[float] = []
    t = arabize(normalize_text(text)) if text else ""
    for m in NUMBER_RE.finditer(t):
        try:
            out.append(float(m.group(0).replace(",", "")))
        except ValueError:
            continue
    return out
