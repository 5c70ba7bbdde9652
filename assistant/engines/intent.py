"""What a chat message is: new material to draft from, a revision of the open draft, a question, or unclear.

Rules, in order (the first that decides wins):
1. an offline command the revision grammar reads (or understands and can't do) → revise;
2. a question: ends with ？/吗/呢, starts with 什么/怎么/如何/为什么/能否/是否/请问 …, asks 怎么写/是什么/能写…吗,
   or a greeting or thanks → question;
3. an explicit request for a form (帮我做/起草/生成/新建 … 绩效目标/申报表/项目) or a long text with form
   sections (职能, 任务, 目标, 资金, 项目名称 …) → new;
4. an edit verb (改/删/加/补/移/换/确认/撤销) aimed at the table → revise (the reply says what it couldn't find);
5. with a draft open, a short text of targets and numbers (培训教师600人次，合格率95%) → unclear: ask;
   longer prose → new; with no draft, anything else → new.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from ..core.model import Draft
from ..core.values import normalize_text

Label = Literal["new", "revise", "question", "unclear"]

_QUESTION_END = re.compile(r"(?:[？?]|吗|呢|么|不|没有|是啥|咋办)[。\s]*$")
_QUESTION_START = re.compile(r"^(?:请问|问一下|问下|想问|什么|怎么|怎样|如何|为什么|为何|为啥|能否|是否|哪些|哪个|哪里|"
                             r"多少|有没有|是不是|可不可以|需不需要|要不要|啥)")
_QUESTION_IN = re.compile(r"怎么写|怎么填|如何写|如何填|是什么|什么意思|什么是|有什么区别|区别是|能写.*[吗么]|可以写.*[吗么]|"
                          r"要写.*[吗么]|应该怎么|该怎么|怎么办|为什么|能不能.*[吗么]|能否|写什么|填什么|有什么不同|"
                          r"有何不同|怎么区分|如何区分|哪里下载|在哪[里儿]?|哪个二级|哪个指标|举.{0,3}例|例子")
_GREETING = re.compile(r"^(?:你好|您好|hi|hello|嗨)[!！,，。~～\s]*", re.I)
_SOCIAL = re.compile(r"^(?:(?:你好|您好|hi|hello|嗨|谢谢|多谢|感谢|好的|好|ok|嗯|收到|明白了?|知道了|辛苦了?|再见|可以了|"
                     r"就这样吧?|没问题|行了?|不错)[!！。,，~～\s]*)+$", re.I)
_ANOTHER = re.compile(r"(?:再|另|换个|换一个|重新|单独|新)(?:帮我)?(?:做|起草|写|出|来|弄)(?:一个|一份|个|份)?|"
                      r"帮我(?:做|起草|写|出)(?:一个|一份|个|份)?.{0,6}(?:20\d\d|项目|的[：:])|另一个单位|换个项目")
_ASK_FORM = re.compile(r"(?:帮我|请|麻烦)?(?:起草|生成|做|写|编制|填|出|弄|拟|新建|另起|重新起草|再起草|再做|再写)"
                       r"(?:一个|一份|一张|个|份|张)?.{0,30}?(?:绩效目标|申报表|目标表|指标表|绩效指标|自评表)")
_SECTIONS = re.compile(r"职能|职责|工作任务|主要任务|年度目标|绩效目标|总体目标|资金|预算|项目名称|主管部门|实施单位|"
                       r"实施期|项目概况|建设内容|主要内容|用于|万元")
_EDIT = re.compile(r"改|删|去掉|加上|增加|添加|补(?!贴|助)|移|挪|换|调整|确认|撤销|撤回|重做|写成|写得|设为|设成|弄成|放到|"
                   r"填成|填上|填为|应该是|应为|不对|具体|细化|至少|最多|不超过|不低于|控制在|以内|以上|变得|更好|优化|"
                   r"完善一下|规范一下|润色|修改|重写|改写")
_START_EDIT = re.compile(r"^(?:把|将)?.{0,10}?(?:改成|改为|删除|删掉|去掉|加一个|补一个|增加一个|添加|确认|撤销|撤回)")
_TARGET = re.compile(r"\d+(?:\.\d+)?\s*(?:%|％|万?人次?|个|件|次|场|所|户|亩|公里|千米|米|吨|台|套|座|家|项|天|元|万元|辆|盏|株|"
                     r"棵|头|只|批次?|篇|期|班|册|本|间|栋|处|条|部|卷|画幅|平方米|立方米|公顷|小时|分钟)")


@dataclass
class Intent:
    label: Label
    reason: str


def classify(text: str, draft: Draft | None, parses: bool | None = None) -> Intent:
    """parses: whether the offline revision grammar reads the text (None: not tried)."""
    t = normalize_text(text or "").strip()
    if not t:
        return Intent("question", "空消息")
    long_text = len(t) >= 60
    sections = len(set(_SECTIONS.findall(t)))
    lines = [ln for ln in t.splitlines() if ln.strip()]
    material = long_text and (sections >= 2 or len(lines) >= 3 or len(_TARGET.findall(t)) >= 3)
    asks = bool(_QUESTION_END.search(t) or _QUESTION_START.match(t) or _QUESTION_IN.search(t))
    explicit = bool(re.search(r"改成|改为|删除|删掉|去掉|添加|增加|加一个|补一个|移到|确认|撤销", t))
    if draft is not None and parses and not material and not (asks and not explicit):
        return Intent("revise", "修改指令")
    if _SOCIAL.match(t):
        return Intent("question", "问候")
    t = _GREETING.sub("", t) or t
    if draft is not None and _ANOTHER.search(t[:16]):
        return Intent("new", "另起一份")
    if not long_text and (_QUESTION_END.search(t) or _QUESTION_START.match(t) or _QUESTION_IN.search(t)):
        return Intent("question", "提问")
    if _ASK_FORM.search(t) and not _QUESTION_END.search(t):
        return Intent("new", "要求起草")
    if material:
        return Intent("new", "材料")
    if draft is None:
        if _START_EDIT.search(t) and not long_text:
            return Intent("revise", "修改指令（没有草稿）")
        return Intent("new", "材料")
    if not long_text and (_EDIT.search(t) or _names_row(t, draft)):
        return Intent("revise", "修改指令")
    if _TARGET.search(t) or sections:
        return Intent("unclear", "可能是新材料，也可能是对当前表的补充")
    if long_text:
        return Intent("new", "材料")
    return Intent("unclear", "看不出是新材料还是修改")


_HEADER_WORDS = ("项目名称", "主管部门", "实施单位", "单位名称", "年度", "实施期", "项目期", "项目属性")
_TIER_WORDS = ("数量指标", "质量指标", "时效指标", "成本指标", "经济效益", "社会效益", "生态效益", "可持续", "满意度",
               "产出指标", "效益指标")


def _names_row(t: str, draft: Draft) -> bool:
    """The message starts by naming a row of the table, a 二级 or a header field, then says what it should be."""
    head = re.sub(r"^(?:把|将|请|帮我)", "", t)[:12]
    if re.match(r"第\s*[\d零〇一二两三四五六七八九十]+\s*(?:行|条)", head):
        return True
    if head.startswith(_HEADER_WORDS) or head.startswith(_TIER_WORDS):
        return True
    for r in draft.indicators:
        name = r.name or ""
        for n in (4, 3):  # a word of a row's name at the start: 合格率至少98%
            if any(name[i:i + n] and head.startswith(name[i:i + n]) for i in range(max(0, len(name) - n + 1))):
                return True
    return False
