"""The 指标值 parser and formatter (assistant.core.values) on what real forms contain."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.core.values import (
    ParsedValue,
    ValueKind,
    arabize,
    canonical,
    cn_to_int,
    cn_to_number,
    format_value,
    normalize_text,
    numbers_in,
    parse,
    placeholder,
)

Q, DL, PER, GR, TX, PH, EM = (ValueKind.QUANTITY, ValueKind.DEADLINE, ValueKind.PERIOD, ValueKind.GRADE,
                              ValueKind.TEXT, ValueKind.PLACEHOLDER, ValueKind.EMPTY)


# --------------------------------------------------------------------------------------------
# quantities: (raw, op, magnitude, unit, canonical)
# --------------------------------------------------------------------------------------------
QUANTITIES = [
    # plain operators
    ("≥95%", "≥", 95, "%", "≥95%"),
    ("≤5%", "≤", 5, "%", "≤5%"),
    ("=100%", "=", 100, "%", "=100%"),
    (">90%", ">", 90, "%", ">90%"),
    ("<3%", "<", 3, "%", "<3%"),
    # full-width and ASCII spellings
    ("＞＝９５％", "≥", 95, "%", "≥95%"),
    ("≧95%", "≥", 95, "%", "≥95%"),
    ("＜＝５％", "≤", 5, "%", "≤5%"),
    (">=95%", "≥", 95, "%", "≥95%"),
    ("<=5%", "≤", 5, "%", "≤5%"),
    (">=101人/次", "≥", 101, "人/次", "≥101人/次"),
    ("＝100％", "=", 100, "%", "=100%"),
    # operator words before the number
    ("不低于95%", "≥", 95, "%", "≥95%"),
    ("不少于500人", "≥", 500, "人", "≥500人"),
    ("达到100%", "≥", 100, "%", "≥100%"),
    ("至少3次", "≥", 3, "次", "≥3次"),
    ("大于等于90%", "≥", 90, "%", "≥90%"),
    ("不超过50万元", "≤", 50, "万元", "≤50万元"),
    ("不高于3%", "≤", 3, "%", "≤3%"),
    ("低于2%", "<", 2, "%", "<2%"),
    # operator words after the number
    ("95%以上", "≥", 95, "%", "≥95%"),
    ("10人及以上", "≥", 10, "人", "≥10人"),
    ("3%以下", "≤", 3, "%", "≤3%"),
    ("5个工作日以内", "≤", 5, "个工作日", "≤5个工作日"),
    ("30天内", "≤", 30, "天", "≤30天"),
    ("控制在50万元以内", "≤", 50, "万元", "≤50万元"),
    ("控制在90万元", "≤", 90, "万元", "≤90万元"),
    # numbers as printed
    ("1,200人次", None, 1200, "人次", "1200人次"),
    ("４７０００人", None, 47000, "人", "47000人"),
    ("47000", None, 47000, None, "47000"),
    ("4.7万人", None, 47000, "人", "4.7万人"),
    ("3千人", None, 3000, "人", "3千人"),
    ("26970.7平方米", None, 26970.7, "平方米", "26970.7平方米"),
    ("0.5%", None, 0.5, "%", "0.5%"),
    (".5%", None, 0.5, "%", "0.5%"),
    ("≥100百分比", "≥", 100, "%", "≥100%"),  # the 计量单位 column's word for %
    # money
    ("250万", None, 2_500_000, None, "250万"),  # no 元: F7 asks for 万元
    ("≤1125万元", "≤", 1125, "万元", "≤1125万元"),
    ("28.8万元", None, 28.8, "万元", "28.8万元"),
    ("2.5亿元", None, 2.5, "亿元", "2.5亿元"),
    ("≤800元/人", "≤", 800, "元/人", "≤800元/人"),
    ("=530元/人·月", "=", 530, "元/人·月", "=530元/人·月"),
    ("530元/人*月", None, 530, "元/人·月", "530元/人·月"),
    (">=570元/人*月", "≥", 570, "元/人·月", "≥570元/人·月"),
    ("≤28.40元/株", "≤", 28.4, "元/株", "≤28.40元/株"),
    ("=3300元/生·年", "=", 3300, "元/生·年", "=3300元/生·年"),
    # area units that NFKC would turn into "m2"
    ("≥2000㎡", "≥", 2000, "平方米", "≥2000平方米"),
    ("≤2000m²", "≤", 2000, "平方米", "≤2000平方米"),
    ("≥300m2", "≥", 300, "平方米", "≥300平方米"),
    # other units seen on forms
    ("≥80M", "≥", 80, "M", "≥80M"),
    ("470 人/天", None, 470, "人/天", "470人/天"),
    ("≥17600株", "≥", 17600, "株", "≥17600株"),
    ("3500公斤", None, 3500, "公斤", "3500公斤"),
    ("≥20年", "≥", 20, "年", "≥20年"),
    ("≤30分钟", "≤", 30, "分钟", "≤30分钟"),
    ("0次", None, 0, "次", "0次"),
    ("1.5倍", None, 1.5, "倍", "1.5倍"),
    ("-5%", None, -5, "%", "-5%"),
    # Chinese numerals
    ("百分之九十五", None, 95, "%", "95%"),
    ("不低于百分之九十", "≥", 90, "%", "≥90%"),
    ("四万七千人", None, 47000, "人", "47000人"),
    ("三十人", None, 30, "人", "30人"),
    ("二百人次", None, 200, "人次", "200人次"),
    # trailing punctuation from the form
    ("≥95%。", "≥", 95, "%", "≥95%"),
    (" ≥ 95 % ", "≥", 95, "%", "≥95%"),
    ("95%.", None, 95, "%", "95%"),
]


@pytest.mark.parametrize("raw,op,magnitude,unit,canon", QUANTITIES, ids=[q[0] for q in QUANTITIES])
def test_parse_quantity(raw, op, magnitude, unit, canon):
    pv = parse(raw)
    assert pv.kind is Q
    assert pv.op == op
    assert pv.magnitude == pytest.approx(magnitude)
    assert pv.unit == unit
    assert format_value(pv, raw) == canon
    assert canonical(raw) == canon
    # the canonical spelling means the same thing
    again = parse(canon)
    assert (again.kind, again.op, again.unit) == (pv.kind, pv.op, pv.unit)
    assert again.magnitude == pytest.approx(pv.magnitude)


@pytest.mark.parametrize("raw,word", [("不低于95%", "不低于"), ("不少于500人", "不少于"), ("95%以上", "以上"),
                                      ("控制在50万元以内", "控制在…以内"), ("不超过50万元", "不超过"),
                                      ("5个工作日以内", "以内")])
def test_operator_word_is_remembered(raw, word):
    """R11 suggests the symbol when a form wrote the operator as a word."""
    assert parse(raw).op_word == word
    assert parse(format_value(parse(raw))).op_word is None


def test_symbol_wins_over_word():
    pv = parse("不低于≥95%")
    assert (pv.op, pv.number, pv.unit, pv.label) == ("≥", 95, "%", None)


def test_label_before_number_is_kept():
    pv = parse("调整率100%")
    assert (pv.kind, pv.label, pv.number, pv.unit) == (Q, "调整率", 100, "%")
    assert format_value(pv) == "调整率100%"
    pv = parse("投诉率0%")
    assert pv.label == "投诉率" and pv.number == 0


def test_money_helpers():
    assert parse("≤1125万元").money_wan() == pytest.approx(1125)
    assert parse("5000元").money_wan() == pytest.approx(0.5)
    assert parse("2.5亿元").money_wan() == pytest.approx(25000)
    assert parse("250万").money_wan() is None  # unit unknown until 元 is written
    assert parse("≥95%").money_wan() is None
    assert parse("≥95%").is_percent and parse("≥95%").is_quantitative


def test_number_text_keeps_trailing_zeros():
    pv = parse("≤28.40元/株")
    assert pv.number == pytest.approx(28.4) and pv.number_text == "28.40"


# --------------------------------------------------------------------------------------------
# deadlines and periods
# --------------------------------------------------------------------------------------------
DEADLINES = [
    # raw, year, month, day, month_end, canonical, date
    ("2020年12月底前", 2020, 12, None, True, "2020年12月底前", date(2020, 12, 31)),
    ("12月底前", None, 12, None, True, "12月底前", None),
    ("2025年11月30日前", 2025, 11, 30, False, "2025年11月30日前", date(2025, 11, 30)),
    ("2021年11月30日前完成资金支付", 2021, 11, 30, False, "2021年11月30日前", date(2021, 11, 30)),
    ("2023年底前", 2023, 12, None, True, "2023年12月底前", date(2023, 12, 31)),
    ("年底前", None, 12, None, True, "12月底前", None),
    ("2023-12-31前", 2023, 12, 31, False, "2023年12月31日前", date(2023, 12, 31)),
    ("2023.6.30前", 2023, 6, 30, False, "2023年6月30日前", date(2023, 6, 30)),
    ("2024年6月底", 2024, 6, None, True, "2024年6月底前", date(2024, 6, 30)),
    ("2024年2月末前", 2024, 2, None, True, "2024年2月底前", date(2024, 2, 29)),
    ("２０２３年１２月３１日前", 2023, 12, 31, False, "2023年12月31日前", date(2023, 12, 31)),
]


@pytest.mark.parametrize("raw,year,month,day,end,canon,when", DEADLINES, ids=[d[0] for d in DEADLINES])
def test_parse_deadline(raw, year, month, day, end, canon, when):
    pv = parse(raw)
    assert pv.kind is DL
    assert (pv.year, pv.month, pv.day, pv.month_end) == (year, month, day, end)
    assert format_value(pv) == canon
    assert pv.deadline_date() == when
    assert pv.is_quantitative


PERIODS = [
    # raw, (y1, m1, d1), (y2, m2, d2), canonical
    ("2023.07-2024.01", (2023, 7, None), (2024, 1, None), "2023.07-2024.01"),
    ("2023.07–2024.01", (2023, 7, None), (2024, 1, None), "2023.07-2024.01"),
    ("202001-202012", (2020, 1, None), (2020, 12, None), "2020.01-2020.12"),
    ("2021年全年", (2021, 1, 1), (2021, 12, 31), "2021.01.01-2021.12.31"),
    ("2020.1.1-2020.12.31", (2020, 1, 1), (2020, 12, 31), "2020.01.01-2020.12.31"),
    ("2025年3月至2025年10月", (2025, 3, None), (2025, 10, None), "2025.03-2025.10"),
    ("2023-2025", (2023, None, None), (2025, None, None), "2023-2025"),
]


@pytest.mark.parametrize("raw,start,end,canon", PERIODS, ids=[p[0] for p in PERIODS])
def test_parse_period(raw, start, end, canon):
    pv = parse(raw)
    assert pv.kind is PER
    assert (pv.year, pv.month, pv.day) == start
    assert (pv.end_year, pv.end_month, pv.end_day) == end
    assert format_value(pv) == canon
    assert parse(canon) == pv


@pytest.mark.parametrize("raw", ["44,561", "44561", "４４５６１"])
def test_excel_serial_is_a_date_only_for_timeliness(raw):
    pv = parse(raw, timeliness=True)
    assert pv.kind is DL and pv.serial
    assert pv.deadline_date() == date(2021, 12, 31)
    assert format_value(pv) == "2021年12月31日前"
    plain = parse(raw)
    assert plain.kind is Q and plain.magnitude == 44561 and not plain.serial


@pytest.mark.parametrize("raw", ["1", "180", "100000", "≥44561", "44561人"])
def test_small_or_qualified_numbers_are_not_serials(raw):
    pv = parse(raw, timeliness=True)
    assert pv.kind is Q and not pv.serial


def test_recurring_deadline_stays_quantity_with_label():
    pv = parse("每月10日前")
    assert pv.kind is Q and pv.label == "每月"


# --------------------------------------------------------------------------------------------
# grades, text, placeholders, empty
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("raw", ["达到预期", "达到预期目标", "基本达到", "显著提升", "有所提升", "健全", "是", "否", "优良",
                                 "合格", "持续改善", "稳步提高", "巩固提高", "有效", "较好"])
def test_grades(raw):
    pv = parse(raw)
    assert pv.kind is GR and pv.grade == raw
    assert format_value(pv, raw) == raw
    assert not pv.is_quantitative


def test_grade_scheme():
    pv = parse("定性:高中低")
    assert pv.kind is GR and pv.grade == "高中低"
    assert parse("定性：优良中差").grade == "优良中差"


@pytest.mark.parametrize("raw", ["应保尽保", "按上级文件要求时限内", "控制在预算内", "参照政府采购成本控制",
                                 "丰富政策宣传手段,扩大养老、工伤覆盖面", "投诉率0%;上访事项答复率100%。",
                                 "无资产损失、利用率高于80%", "一次性发放到位"])
def test_text(raw):
    pv = parse(raw)
    assert pv.kind is TX
    assert format_value(pv, raw) == raw.strip()


PLACEHOLDERS = [
    ("**", None, None), ("××", None, None), ("xx", None, None), ("N", None, None), ("……", None, None),
    ("...", None, None), ("（待填）", None, None), ("(待填)", None, None), ("待定", None, None),
    ("≥**人次", "≥", "人次"), ("≤**%", "≤", "%"), ("≥（待填）人", "≥", "人"), ("=N元/亩", "=", "元/亩"),
    ("≥ ** 人", "≥", "人"), ("≥（待填）户（按花名册）", "≥", "户(按花名册)"),
]


@pytest.mark.parametrize("raw,op,unit", PLACEHOLDERS, ids=[p[0] for p in PLACEHOLDERS])
def test_placeholders(raw, op, unit):
    pv = parse(raw)
    assert pv.kind is PH
    assert pv.op == op
    assert pv.placeholder_unit == unit
    out = format_value(pv)
    assert "（待填）" in out
    assert parse(out).kind is PH and parse(out).op == op


def test_placeholder_helper_round_trips():
    v = placeholder("≥", "人次")
    assert v == "≥（待填）人次"
    pv = parse(v)
    assert (pv.kind, pv.op, pv.placeholder_unit) == (PH, "≥", "人次")
    assert placeholder(None, None) == "（待填）"


@pytest.mark.parametrize("raw", [None, "", "   ", "。", "；", "\n"])
def test_empty(raw):
    assert parse(raw).kind is EM


def test_parse_accepts_non_strings():
    assert parse(47000).magnitude == 47000  # type: ignore[arg-type]
    assert parse(0.95).number == pytest.approx(0.95)  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------
# Chinese numerals
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text,n", [
    ("两百零五", 205), ("二百零五", 205), ("一千二百", 1200), ("十五", 15), ("十", 10), ("三十", 30),
    ("四万七", 47000), ("四万七千", 47000), ("一百零八", 108), ("两万", 20000), ("十万", 100000),
    ("一万零五百", 10500), ("一亿二千万", 120_000_000), ("零", 0), ("九十五", 95), ("三千五百", 3500),
])
def test_cn_to_int(text, n):
    assert cn_to_int(text) == n


@pytest.mark.parametrize("text", ["", "abc", "一次性", "三点五", "十五人"])
def test_cn_to_int_rejects(text):
    assert cn_to_int(text) is None


@pytest.mark.parametrize("text,n", [("三点五", 3.5), ("零点五", 0.5), ("十二点二五", 12.25), ("四万七", 47000.0)])
def test_cn_to_number(text, n):
    assert cn_to_number(text) == pytest.approx(n)


@pytest.mark.parametrize("text", ["五点", "点五x", "三点十"])
def test_cn_to_number_rejects(text):
    assert cn_to_number(text) is None


@pytest.mark.parametrize("text,out", [
    ("百分之九十五", "95%"),
    ("四万七千人", "47000人"),
    ("一次性补助", "一次性补助"),  # a single numeral before a non-measure word stays
    ("统一发放", "统一发放"),
    ("培训三次", "培训3次"),
    ("十五人", "15人"),
])
def test_arabize(text, out):
    assert arabize(text) == out


def test_numbers_in():
    assert numbers_in("涉及6140人次困难学生，资助1,966人") == [6140, 1966]
    assert numbers_in("养老保险参保四万七千人") == [47000]
    assert numbers_in("") == []
    assert numbers_in("新建2000㎡") == [2000]


def test_normalize_text():
    assert normalize_text("＞＝９５％") == "≥95%"
    assert normalize_text("  95%  以上 。") == "95% 以上"
    assert normalize_text("……") == "......"
    assert normalize_text(".5%") == ".5%"
    assert normalize_text("≥2000㎡") == "≥2000平方米"


# --------------------------------------------------------------------------------------------
# property tests
# --------------------------------------------------------------------------------------------
_OPS = ["", "≥", "≤", "=", ">", "<", ">=", "<=", "＞＝", "≧", "不低于", "不少于", "不超过", "达到", "至少"]
_UNITS = ["", "%", "人", "人次", "万人", "户", "个", "次", "所", "台", "套", "辆", "亩", "公里", "平方米", "吨", "株", "天",
          "个工作日", "小时", "分钟", "年", "元", "万元", "亿元", "元/人", "元/亩", "元/人·月", "元/人*月", "人/天", "件", "份"]


def _number_text(draw_int: int, draw_frac: int | None, commas: bool) -> str:
    whole = f"{draw_int:,}" if commas else str(draw_int)
    return whole if draw_frac is None else f"{whole}.{draw_frac}"


@st.composite
def quantity_texts(draw):
    op = draw(st.sampled_from(_OPS))
    whole = draw(st.integers(min_value=0, max_value=99_999_999))
    frac = draw(st.none() | st.integers(min_value=1, max_value=9999))
    commas = draw(st.booleans()) and whole >= 1000 and frac is None
    unit = draw(st.sampled_from(_UNITS))
    mult = draw(st.sampled_from(["", "", "", "万"])) if unit in ("人", "人次", "户", "亩", "吨", "株") else ""
    # an operator word after the number (95%以上) where no operator comes before it
    post = draw(st.sampled_from(["", "", "以上", "及以上", "以下", "以内"])) if not op else ""
    v = f"{op}{_number_text(whole, frac, commas)}{mult}{unit}{post}"
    if draw(st.booleans()):  # as typed with a full-width input method
        v = v.translate(_FULL_WIDTH)
    return v


_FULL_WIDTH = str.maketrans("0123456789%.,", "０１２３４５６７８９％．，")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(quantity_texts())
def test_quantity_round_trip(v):
    pv = parse(v)
    assert pv.kind is Q, v
    back = parse(format_value(pv, v))
    assert back.kind is pv.kind
    assert back.op == pv.op
    assert back.unit == pv.unit
    assert back.magnitude == pytest.approx(pv.magnitude)
    # formatting is idempotent
    assert format_value(back) == format_value(pv, v)


@st.composite
def deadline_texts(draw):
    y = draw(st.integers(min_value=2000, max_value=2049))
    m = draw(st.integers(min_value=1, max_value=12))
    d = draw(st.integers(min_value=1, max_value=28))
    style = draw(st.sampled_from(["ymd", "ym_end", "m_end", "md", "iso", "y_end", "ym"]))
    return {
        "ymd": f"{y}年{m}月{d}日前",
        "ym_end": f"{y}年{m}月底前",
        "m_end": f"{m}月底前",
        "md": f"{m}月{d}日前",
        "iso": f"{y}-{m}-{d}前",
        "y_end": f"{y}年底前",
        "ym": f"{y}年{m}月前",
    }[style]


@settings(max_examples=200, deadline=None)
@given(deadline_texts(), st.booleans())
def test_deadline_round_trip(v, timeliness):
    pv = parse(v, timeliness=timeliness)
    assert pv.kind is DL, v
    back = parse(format_value(pv), timeliness=timeliness)
    assert back.kind is DL
    assert (back.year, back.month, back.day, back.month_end) == (pv.year, pv.month, pv.day, pv.month_end)
    assert back.deadline_date() == pv.deadline_date()


@st.composite
def period_texts(draw):
    y1 = draw(st.integers(min_value=2000, max_value=2048))
    y2 = draw(st.integers(min_value=y1, max_value=min(y1 + 5, 2049)))
    m1 = draw(st.integers(min_value=1, max_value=12))
    m2 = draw(st.integers(min_value=1, max_value=12))
    d1 = draw(st.integers(min_value=1, max_value=28))
    d2 = draw(st.integers(min_value=1, max_value=28))
    sep = draw(st.sampled_from(["-", "–", "—", "~", "至"]))
    style = draw(st.sampled_from(["dot", "yyyymm", "cn", "dotday", "years", "whole"]))
    return {
        "dot": f"{y1}.{m1:02d}{sep}{y2}.{m2:02d}",
        "yyyymm": f"{y1}{m1:02d}-{y2}{m2:02d}",
        "cn": f"{y1}年{m1}月{sep}{y2}年{m2}月",
        "dotday": f"{y1}.{m1}.{d1}{sep}{y2}.{m2}.{d2}",
        "years": f"{y1}{sep}{y2}",
        "whole": f"{y1}年全年",
    }[style]


@settings(max_examples=200, deadline=None)
@given(period_texts())
def test_period_round_trip(v):
    pv = parse(v)
    assert pv.kind is PER, v
    back = parse(format_value(pv))
    assert back == pv


@settings(max_examples=500, deadline=None)
@given(st.text())
def test_parse_never_raises(text):
    for timeliness in (False, True):
        pv = parse(text, timeliness=timeliness)
        assert isinstance(pv, ParsedValue)
        format_value(pv, text)  # never raises either


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789.,%≥≤=<>万元人次年月日前底-至·/　 一二三四五六七八九十百千万点两零")),
               max_size=20))
def test_parse_never_raises_on_value_like_text(text):
    pv = parse(text, timeliness=True)
    format_value(pv, text)
    numbers_in(text)
