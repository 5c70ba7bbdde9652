"""Stage 1: one normal form for the text, with a map back to what the user wrote.

NFKC (full width → half width), whitespace tidied, spaces inside CJK runs from PDF copies removed, and
Chinese numerals that stand for quantities written as digits (十二 → 12, 一千五百 → 1500, 两万 → 20000,
百分之八十 → 80%, 二〇二四年 → 2024年). Every character of the result knows the span of the original it came
from, so evidence and the list of unused numbers quote the user's own words.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ....core.values import cn_to_number, format_amount

_DIGITS = "零〇一二两三四五六七八九"
_NUMERAL = "零〇一二两三四五六七八九十百千万亿"
_DIGIT_VALUE = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
# a single numeral character is a number only before one of these (三个, 十项, 两万); 一 is idiom too often
_SINGLE_OK_BEFORE = ("个工作日", "个百分点", "个月", "季度", "人次", "公里", "平方米", "小时", "分钟", "批次", "场次",
                     "个", "人", "户", "家", "所", "座", "台", "套", "辆", "次", "期", "篇", "份", "项", "件", "起", "名",
                     "批", "条", "处", "间", "张", "册", "本", "部", "场", "天", "日", "周", "年", "月", "亩", "万", "千",
                     "类", "支", "队", "轮", "届", "门", "节", "课时", "学时", "位", "例", "宗", "吨", "株", "棵", "只",
                     "头", "盏", "口", "眼", "座", "栋", "幢", "床", "块", "所", "元", "万元", "亿元")
_VAGUE_BEFORE = "数几上近成逾"  # 数百人, 几十个, 上千人次: not a figure


@dataclass
class Text:
    """Normalised text `s` and, for each of its characters, the [start, end) span in `orig`."""

    s: str
    orig: str
    starts: list[int]
    ends: list[int]

    def original(self, i: int, j: int) -> str:
        """The user's words behind s[i:j]."""
        if i >= j or not self.s:
            return ""
        j = min(j, len(self.s))
        return self.orig[self.starts[i]:self.ends[j - 1]]

    def __len__(self) -> int:
        return len(self.s)


class _Builder:
    def __init__(self, orig: str):
        self.orig = orig
        self.out: list[str] = []
        self.starts: list[int] = []
        self.ends: list[int] = []

    def put(self, text: str, start: int, end: int) -> None:
        for ch in text:
            self.out.append(ch)
            self.starts.append(start)
            self.ends.append(end)

    def text(self) -> Text:
        return Text("".join(self.out), self.orig, self.starts, self.ends)


_SPECIAL = {"㎡": "平方米", "m²": "平方米", "㎥": "立方米", "m³": "立方米", "㎞": "公里", "％": "%", "‰": "‰",
            "〇": "〇", "—": "—", "–": "-", "―": "—", "〜": "~", "～": "~"}


def _nfkc(orig: str) -> Text:
    b = _Builder(orig)
    prev_space = False
    for i, ch in enumerate(orig):
        if ch == "\r":
            continue
        if "\u2460" <= ch <= "\u24ff" or "\u2776" <= ch <= "\u2793":
            b.put(ch, i, i + 1)  # ① ⑴ ⒈ ❶ are list markers, not digits
            prev_space = False
            continue
        n = _SPECIAL.get(ch) or unicodedata.normalize("NFKC", ch)
        if n in (" ", "\t", "\u3000", "\xa0") or (n.isspace() and n != "\n"):
            if prev_space:
                continue
            prev_space = True
            b.put(" ", i, i + 1)
            continue
        prev_space = False
        b.put(n, i, i + 1)
    return b.text()


def _rebuild(t: Text, pieces: list[tuple[int, int, str]]) -> Text:
    """Replace spans [i, j) of t.s by text (each replacement maps to the original span of [i, j))."""
    b = _Builder(t.orig)
    pos = 0
    for i, j, rep in sorted(pieces):
        for k in range(pos, i):
            b.put(t.s[k], t.starts[k], t.ends[k])
        if rep:
            b.put(rep, t.starts[i], t.ends[j - 1])
        pos = j
    for k in range(pos, len(t.s)):
        b.put(t.s[k], t.starts[k], t.ends[k])
    return b.text()


_CJK = "\u4e00-\u9fff"
_PDF_SPACE = re.compile(rf"(?<=[{_CJK}]) (?=[{_CJK}])|(?<=\d) (?=[{_CJK}%])|(?<=[{_CJK}]) (?=\d)")
_PERCENT = re.compile(rf"(百分之|千分之|万分之)([{_NUMERAL}点]+)")
# variants and common typos, so later stages see one spelling (the evidence keeps the user's own)
_VARIANTS = {"約": "约", "満": "满", "满义度": "满意度", "满易度": "满意度", "百份之": "百分之", "萬": "万", "億": "亿",
             "兩": "两", "％": "%"}
_VARIANT_RE = re.compile("|".join(sorted(map(re.escape, _VARIANTS), key=len, reverse=True)))
_RUN = re.compile(rf"[{_NUMERAL}][{_NUMERAL}点]*")


def _numeral_pieces(s: str) -> list[tuple[int, int, str]]:
    pieces: list[tuple[int, int, str]] = []
    taken: list[tuple[int, int]] = []
    for m in _PERCENT.finditer(s):
        n = cn_to_number(m.group(2))
        if n is None:
            continue
        sign = {"百分之": "%", "千分之": "‰", "万分之": "‱"}[m.group(1)]
        pieces.append((m.start(), m.end(), f"{format_amount(n)}{sign}"))
        taken.append((m.start(), m.end()))
    for m in _RUN.finditer(s):
        if any(a <= m.start() < b for a, b in taken):
            continue
        run = m.group(0).rstrip("点")
        start, end = m.start(), m.start() + len(run)
        nxt = s[end:end + 5]
        before = s[start - 1:start] if start else ""
        if before and before in _VAGUE_BEFORE and (run[0] in "十百千万亿" or not re.search("[一二两三四五六七八九]", run)):
            continue  # 数百人, 上千人次, 近百 are not figures; 近七十八万元 is
        if before == "第" or before == "星" or nxt.startswith(("是", "级", "星", "线", "号", "产", "农", "化", "公开")):
            continue  # 一是 / 第三 / 三级 / 三产 / 三农 are not figures
        if re.search(r"[一二两三四五六七八九][一二两三四五六七八九]", run) and not all(c in _DIGITS for c in run):
            continue  # 十四五 (a plan's name), 三五个 (a few): not one figure
        if all(c in _DIGITS for c in run) and len(run) >= 2:
            if nxt.startswith("年") and len(run) == 4:  # 二〇二四年
                pieces.append((start, end, "".join(str(_DIGIT_VALUE[c]) for c in run)))
            continue  # 三五个 (a few): no figure
        if run.startswith(("万", "亿")) or run in ("千", "百"):
            continue
        if len(run) == 1:
            if run in "一" and not nxt.startswith(("季度", "个百分点", "万", "千")):
                continue
            if not nxt.startswith(_SINGLE_OK_BEFORE):
                continue
            if nxt.startswith(("次性", "体", "线", "站式", "把手", "件事")) or s[end:end + 2] in ("次性", "件事"):
                continue
        if run.endswith(("万", "亿")) and len(run) > 1:  # 三万 → 3万 keeps the multiplier as written
            head = cn_to_number(run[:-1])
            if head is None:
                continue
            pieces.append((start, end, f"{format_amount(head)}{run[-1]}"))
            continue
        n = cn_to_number(run)
        if n is None:
            continue
        if n >= 10_000 and n % 10_000 == 0 and "万" in run and "亿" not in run:
            pieces.append((start, end, f"{format_amount(n / 10_000)}万"))
        else:
            pieces.append((start, end, format_amount(n)))
    return pieces


def normalize(orig: str) -> Text:
    t = _nfkc(orig or "")
    # PDF copies put spaces inside words (在职 参保人数) and between a number and its unit
    drop = [(m.start(), m.end(), "") for m in _PDF_SPACE.finditer(t.s)]
    if drop:
        t = _rebuild(t, drop)
    variants = [(m.start(), m.end(), _VARIANTS[m.group(0)]) for m in _VARIANT_RE.finditer(t.s)]
    if variants:
        t = _rebuild(t, variants)
    pieces = _numeral_pieces(t.s)
    if pieces:
        t = _rebuild(t, pieces)
    return t
