"""Stage 6: the 二级 concept of a target, from what it is (deadline, money, change…), its unit and the
head words of its name. The word lists are data (cues.yaml › concepts); the order of the rules is here.

| rule | concept |
|---|---|
| name says 满意 | satisfaction |
| a deadline, recurring day or period | timeliness |
| a time limit (≤ N 个工作日/小时/天, 及时率, 时限, 响应时间) | timeliness |
| a service period bought (服务期24个月) | quantity |
| money that measures a benefit | economic |
| any other money, per-unit costs and standards | cost |
| a relative change (提高1.5个百分点, 下降8%) | ecological / economic words, else social |
| 使用年限, 长效机制, 巩固率 … | sustainable |
| ecological words with a rate, a reduction or a change | ecological |
| social-outcome words (受益, 知晓率, 就业, 带动 …) | social |
| economic words (增收, 产值, 销售 …) | economic |
| a rate (%), quality words, negative events | quality |
| anything else (counts, areas, lengths) | quantity |
"""

from __future__ import annotations

from .lexicon import CUES

_C = CUES["concepts"]


def _has(words: list[str], name: str) -> bool:
    return any(w in name for w in words)


def concept(name: str, unit: str, *, kind: str, op: str | None = None, relative: bool = False,
            benefit_money: bool = False) -> str:
    """kind: quantity | money | deadline | recurring | period | duration | zero."""
    if _has(_C["satisfaction"], name):
        return "satisfaction"
    if kind in ("deadline", "recurring", "period"):
        return "timeliness"
    if kind == "service_period" or _has(_C["service_period"], name) and unit in ("年", "个月", "天", "日", "季度"):
        return "quantity"
    if kind == "duration" or _has(_C["timeliness_names"], name):
        return "timeliness"
    if kind == "money":
        return "economic" if benefit_money else "cost"
    if relative:
        if _has(_C["ecological"], name):
            return "ecological"
        if _has(_C["economic"], name):
            return "economic"
        return "social"
    if _has(_C["sustainable"], name):
        return "sustainable"
    if unit in ("%", "‰", "‱", "/10万", "/万") and name.endswith(tuple(_C["social_rates"])):
        return "social"  # 孕产妇死亡率, 发病率: outcomes, even though smaller is better
    if _has(("经济损失", "挽回损失"), name):
        return "economic"
    d = CUES["defaults"]
    if _has(d["negative"], name) and not _has(d["negative_exceptions"], name) and not relative:
        return "ecological" if _has(_C["ecological"], name) else "quality"  # 医疗纠纷≤29起, 森林火灾≤14起
    if unit in ("%", "‰", "‱"):
        if name.endswith(tuple(_C["social_rates"])):
            return "social"
        if name.endswith(tuple(w for w in _C["quality"] if w.endswith("率"))):
            return "ecological" if _has(_C["ecological"], name) and ("治理" in name or "处理" in name) else "quality"
    if _has(_C["ecological"], name) and (unit in ("%", "‰") or "减" in name or "削" in name or "下降" in name
                                         or "改善" in name or "恢复" in name or "治理" in name):
        return "ecological"
    if _has(("增收", "产值", "产能", "产量", "销售", "利润", "税收", "营业", "创收", "节支"), name):
        return "economic"
    if _has(_C["social"], name) and not _has(("合格率", "达标率", "验收", "准确率", "完好率"), name):
        return "social"
    if _has(_C["economic"], name):
        return "economic"
    if unit in ("%", "‰", "/10万", "/万") or _has(_C["quality"], name):
        return "quality"
    return "quantity"
