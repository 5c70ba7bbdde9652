"""Stage 5: the name of a measure — the noun phrase it measures, cut at word boundaries.

The words before the figure (after the previous figure, a 、 or a colon) are segmented with jieba; lead
words, time and place words, prepositions and generic verbs are dropped from the front, comparator and
filler words from the back. A content verb with nothing after it takes the object that follows the
figure (新建3个村级服务站 → 新建村级服务站). The measure word the unit implies is appended when the phrase
lacks one (人 → 人数, 亩 → 面积, % → 率), so the unit always agrees with the name.
"""

from __future__ import annotations

import logging
import re
import threading
from functools import lru_cache

from .lexicon import CUES

_LOCK = threading.Lock()
_TOKENIZER = None

MEASURE_BY_UNIT = {
    "人": "人数", "名": "人数", "位": "人数", "人次": "人次", "人天": "人天", "人日": "人天", "户": "户数", "个": "数量",
    "家": "数量", "所": "数量", "座": "数量", "栋": "数量", "幢": "数量", "台": "数量", "套": "数量", "辆": "数量", "艘": "数量",
    "架": "数量", "次": "次数", "台次": "台次", "车次": "车次", "架次": "架次", "场": "场次", "场次": "场次", "期": "期数",
    "班": "班次", "班次": "班次", "批": "批次", "批次": "批次", "届": "届数", "轮": "轮次", "篇": "篇数", "份": "份数", "项": "项数",
    "件": "件数", "起": "起数", "宗": "件数", "例": "例数", "门": "门数", "节": "节数", "课时": "课时", "学时": "学时", "学分": "学分",
    "株": "株数", "棵": "株数", "丛": "数量", "头": "头数", "只": "只数", "羽": "数量", "尾": "尾数", "条": "数量", "处": "数量",
    "间": "数量", "张": "数量", "册": "册数", "本": "数量", "部": "数量", "集": "集数", "首": "数量", "幅": "数量", "块": "数量",
    "根": "数量", "盏": "数量", "口": "数量", "眼": "数量", "床": "数量", "支": "数量", "队": "数量", "类": "类数", "种": "种数",
    "亩": "面积", "公顷": "面积", "平方米": "面积", "平方公里": "面积", "公里": "长度", "千米": "长度", "米": "长度", "延米": "长度",
    "吨": "量", "公斤": "量", "千克": "量", "斤": "量", "立方米": "量", "千瓦": "容量", "兆瓦": "容量", "千瓦时": "量",
    "剂次": "剂次", "剂": "剂数", "人份": "人份", "张次": "张次", "笔": "笔数", "单": "单数", "卷": "卷数", "册次": "册次",
    "倍": "倍数", "万人次": "人次",
}
MEASURE_SUFFIXES = ("满意度", "满意率", "人次", "人数", "户数", "次数", "场次", "期数", "批次", "班次", "届数", "件数", "起数", "个数",
                    "数量", "面积", "里程", "长度", "时长", "时间", "时限", "天数", "年限", "期限", "周期", "金额", "成本", "标准",
                    "费用", "单价", "总额", "规模", "容量", "能力", "产量", "产能", "储量", "存量", "吞吐量", "产值", "收入", "率", "比例", "占比", "比重", "覆盖面",
                    "水平", "指数", "课时", "学时", "学分", "量", "数", "剂次", "人份", "台次", "车次", "架次", "人天", "幅度",
                    "增幅", "降幅", "服务期", "租期", "期", "额")
_RATE_END = ("率", "比例", "占比", "比重", "满意度", "覆盖面", "水平", "指数", "程度", "幅度", "增幅", "降幅")
_TIME_WORDS = re.compile(r"^(\d{4}年度?|今年|明年|本年度?|全年度?|年度内|年内|当年|上半年|下半年|年底前?|年末|每年|每月|每季度|"
                         r"每周|每天|全年共|\d{1,2}月(底|末|份)?前?)$")
_PLACE = re.compile(r"^(全|本|我|该)(县|市|区|省|镇|乡|州|旗|盟|局|单位|中心|校|院|所|站|队|项目)$|^(全县|全市|全区|全省|辖区内?|"
                    r"县域|市域|区域内|城区|乡镇|各乡镇|各地|各级|各县|各县市区|全域)$")
_PRONOUN = re.compile(r"^(我|我们|本|该|其|此|这|那|各|每个)$")
_FILLER_END = ("达到", "达", "为", "是", "将", "要", "共", "共计", "约", "计", "均", "都", "了", "的", "等", "合计", "总计", "累计",
               "保持", "保持在", "控制", "控制在", "在", "至", "到", "不", "不少", "不低", "于", "以上", "以内", "左右", "以", "还",
               "需", "应", "须", "超", "逾", "近", "将近", "共有", "全部", "分别", "确保", "力争", "争取", "实现", "完成",
               "年均", "平均", "人均", "每年", "全年", "年度", "累计达", "达成", "比例为", "数量为", "规模", "并", "且", "和",
               "及", "与", "或", "按", "按照", "依", "依据", "根据", "将", "给", "给予", "向", "从", "由")
_GENERIC_VERBS = ("完成", "实现", "确保", "保证", "保障", "开展", "组织", "组织开展", "推进", "推动", "做好", "加强", "加快",
                  "落实", "进行", "持续", "努力", "争取", "力争", "计划", "预计", "全面", "积极", "深入", "扎实", "有效", "不断",
                  "继续", "达到", "达", "保持", "进一步", "切实", "全力", "稳步")
# words people say that are not part of what is measured: 培训还是200人, 覆盖率仍按85%, 满意度与上年持平, 10处够了
FILLER_WORDS = re.compile(r"今年|本年度|本年|当年|还是|仍然|仍按|仍|依然|依旧|照旧|照样|继续保持|与上年持平|与去年持平|和去年一样|"
                         r"和上年一样|不作调整|不做调整|保持不变|不变|够了|就行|即可|大概|大约|要求(?=控制|达到|保持|不低于|不少于|$)|"
                         r"(较|比)(上年|去年|上年度)(同期)?(增加|减少|提高|降低|下降|多|少|上调|下调)?了?|"
                         r"最高(?=不超过|不高于|$)|也(?=提高|降低|增加|调整)|(?<=[\u4e00-\u9fff]{2})(提高|降低|上调|下调|调整)了|"
                         r"[多少]?(搞|弄)(一)?点|(?<=[\u4e00-\u9fff])(搞|弄)$")
_STOP_START = ("的", "和", "及", "与", "或", "并", "且", "以", "之", "其", "等", "了", "着", "过", "地", "得", "也", "又", "还",
               "就", "才", "都", "均", "再", "已", "于", "被", "把", "向", "从", "由", "对", "在", "为", "按", "将")


def tokenizer():
    """A jieba tokenizer of our own (the global one stays untouched), with domain words added."""
    global _TOKENIZER
    if _TOKENIZER is None:
        with _LOCK:
            if _TOKENIZER is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                tok = jieba.Tokenizer()
                tok.initialize()
                for w in _domain_words():
                    tok.add_word(w, freq=2000)
                _TOKENIZER = tok
    return _TOKENIZER


def _domain_words() -> list[str]:
    words = set(CUES["lead_words"]) | set(CUES["content_verbs"]) | set(MEASURE_SUFFIXES)
    words |= {w for w, _ in CUES["comparators"]["before"]} | {w for w, _ in CUES["comparators"]["after"]}
    for lst in CUES["decoys"].values():
        words |= set(lst)
    words |= {"签约率", "建档率", "知晓率", "覆盖率", "合格率", "达标率", "满意度", "满意率", "及时率", "办结率", "完好率",
              "人次", "服务期", "在职", "参保人数", "受益", "受益人数", "困难群众", "监测户", "脱贫户"}
    return sorted(w for w in words if 2 <= len(w) <= 8)


@lru_cache(maxsize=20000)
def cut(text: str) -> tuple[str, ...]:
    return tuple(tokenizer().lcut(text, HMM=True))


def word_starts(text: str) -> set[int]:
    """Offsets where a word starts in `text` (jieba), plus the end."""
    out, pos = {0}, 0
    for w in cut(text):
        pos += len(w)
        out.add(pos)
    return out


def strip_front(tokens: list[str]) -> list[str]:
    lead = set(CUES["lead_words"])
    i = 0
    while i < len(tokens) - 1 or (i < len(tokens) and tokens[i] in lead and len(tokens) == 1):
        w = tokens[i]
        if re.fullmatch(r"\d+(\.\d+)?", w):
            if i + 1 < len(tokens) and tokens[i + 1] in ("年", "年度", "年底", "年内"):
                i += 2
                continue
            break  # 65岁及以上老年人, 0—6岁儿童, 2型糖尿病: the number is part of the name
        if w.strip() == "" or w in lead or _TIME_WORDS.match(w) or _PLACE.match(w) or _PRONOUN.match(w) \
                or w in _STOP_START or re.fullmatch(r"[\W_\d.%]+", w):
            i += 1
            continue
        if w in _GENERIC_VERBS and i + 1 < len(tokens):
            i += 1
            continue
        if w in ("在", "于") or (w == "对" and i + 1 < len(tokens)):
            i += 1
            continue
        break
    out = tokens[i:]
    # a place or time phrase in front: 在全县范围内 / 在全省 / 2024年内
    joined = "".join(out)
    m = re.match(r"^(在)?[\u4e00-\u9fff]{1,8}?(范围内|范围|区域内|期间|之内|内|中)(?=[\u4e00-\u9fff]{2,})", joined)
    if m and (m.group(1) or m.group(2) in ("范围内", "区域内", "期间")):
        rest = joined[m.end():]
        out = list(cut(rest))
    return out


_COMPARATOR_WORDS = tuple(w for w, _ in CUES["comparators"]["before"]) + tuple(w for w, _ in CUES["comparators"]["after"])


def strip_back(tokens: list[str]) -> list[str]:
    out = list(tokens)
    joined = "".join(out)
    for w in sorted(_COMPARATOR_WORDS, key=len, reverse=True):
        if len(w) >= 2 and joined.endswith(w):
            out = list(cut(joined[: -len(w)])) if len(joined) > len(w) else []
            break
    while out and (out[-1] in _FILLER_END or out[-1].strip() == "" or re.fullmatch(r"[\W_]+", out[-1])):
        out.pop()
    return out


def clean_phrase(text: str) -> str:
    """The noun phrase inside `text`: lead words, time, place and filler words removed at word boundaries."""
    text = re.sub(r"[()（）\[\]【】\"“”‘’'《》<>]", "", text)
    plain = FILLER_WORDS.sub("", text)
    text = plain if re.search(r"[\u4e00-\u9fff]{2}", plain) else text
    tokens = list(cut(text.strip(" ,，、:：;；")))
    prev = None
    while prev != tokens:
        prev = tokens
        tokens = strip_back(strip_front(tokens))
        joined = "".join(tokens)
        for w in CUES["lead_words"]:  # a lead word glued to the next word by the segmenter (通过培训)
            rest = joined[len(w):]
            if len(w) >= 2 and joined.startswith(w) and tokens and tokens[0] != w and len(rest) >= 2 \
                    and len(cut(rest)[0]) >= 2:
                tokens = list(cut(rest))
                break
    return "".join(tokens).strip()


def has_measure(name: str) -> bool:
    return name.endswith(MEASURE_SUFFIXES)


def with_measure(name: str, unit: str, kind: str = "") -> str:
    """Append the measure word the unit implies, unless the name already ends in one."""
    if unit in ("%", "‰"):
        if name.endswith(_RATE_END) or name.endswith("度"):
            return name
        return name + "率"
    if unit == "个百分点":
        return name if name.endswith(_RATE_END) else name + "提高幅度"
    if unit in ("/10万", "/万"):
        return name if name.endswith(("率", "数")) else name + "率"
    if unit in ("元", "万元", "亿元", "千元"):
        if name.endswith(("金额", "成本", "标准", "费用", "单价", "总额", "投资", "产值", "收入", "额", "费", "资金", "经费", "预算",
                          "补助", "补贴", "奖励", "价格", "税收", "利润")):
            return name
        if kind == "output":
            return name + "额" if name.endswith(("金", "款", "资")) else name + "金额"
        return name + ("成本" if kind == "cost" else "金额")
    if unit in ("个工作日", "工作日", "天", "日", "小时", "分钟", "秒", "周"):
        if name.endswith(("时限", "时间", "时长", "天数", "周期", "期限", "工作日", "用时")):
            return name
        return name + ("时限" if kind == "limit" else "天数" if unit in ("天", "日") else "时长")
    if unit in ("年", "个月", "季度"):
        if name.endswith(("年限", "期限", "期", "周期", "寿命", "时间", "时限")):
            return name
        return name + ("期限" if kind != "limit" else "时限")
    if has_measure(name):
        if unit in ("人次", "万人次") and name.endswith("人数"):
            return name[:-2] + "人次"
        if unit in ("人", "名") and name.endswith("人次"):
            return name[:-2] + "人数"
        if unit in ("亩", "公顷", "平方米", "平方公里") and name.endswith(("数量", "个数")):
            return name[:-2] + "面积"
        return name
    measure = MEASURE_BY_UNIT.get(unit, "数量")
    if measure == "人数" and name.endswith("人员"):
        return name[:-2] + "人数"  # 在职参保人员 → 在职参保人数
    if measure == "人数" and name.endswith(("人", "人口")):
        return name + "数"  # 常住人口 → 常住人口数
    if measure == "户数" and name.endswith("户"):
        return name + "数"
    if name.endswith(measure[:1]) and measure.endswith("数") and len(measure) == 2 and measure != "数量":
        return name + "数"  # 培训期 + 期数 → 培训期数
    return name + measure


def trim(name: str, limit: int = 16) -> str:
    """Keep the head of a long phrase (Chinese heads come last), cut at a word boundary."""
    name = re.sub(r"^[的和及与或、,，:：\s]+", "", name)
    if len(name) <= limit:
        return name
    if "的" in name and len(name.rsplit("的", 1)[1]) >= 4:
        name = name.rsplit("的", 1)[1]  # X的Y: the head is Y
        if len(name) <= limit:
            return name
    tokens = list(cut(name))
    out: list[str] = []
    for w in reversed(tokens):
        if len("".join(out)) + len(w) > limit and out:
            break
        out.insert(0, w)
    res = re.sub(r"^[的和及与或、]+", "", "".join(out))
    return res if len(res) >= 2 else name[-limit:]
