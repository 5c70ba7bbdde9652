"""Read a filed form in its own layout: find the indicator block by its header, then everything above it.

The layout varieties handled (see data/layouts.yaml for every spelling):
- header row named in any template's words (三级指标 / 指标名称 / 指标内容 …), over one or two rows, under a
  group label (绩效指标) or beside a merged side label (年度目标1 / 长期目标绩效指标);
- 一级/二级 in their own columns, merged or printed once per group, or one 指标类型 column;
- the target in one cell, or split across 指标性质 (≥/≤/=) + 指标值 + 计量单位; weights (权重/分值);
  绩效标准 / 评分标准 / 取值依据; self-evaluation columns (实际完成值, 得分, 偏差原因);
- several blocks on one sheet (实施期 and 年度; one per 年度目标);
- label → value pairs above the block (value to the right, below, or after ：in the same cell), a year in
  the title, goals in one cell (目标1：… 目标2：…) or several, money blocks (资金来源, 收入/支出, 预算执行).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ...model import (
    Draft,
    Execution,
    FormType,
    Funding,
    FundingLine,
    Goal,
    Header,
    Indicator,
    Kind,
    Origin,
    Project,
    Scope,
)
from ...profiles import DATA_DIR, load_yaml, tier2_concept_of
from ..errors import FormatError
from .grid import Grid

_TIER1_OF = {"quantity": "产出指标", "quality": "产出指标", "timeliness": "产出指标", "cost": "产出指标",
             "economic": "效益指标", "social": "效益指标", "ecological": "效益指标", "sustainable": "效益指标",
             "satisfaction": "满意度指标", "cost_social": "成本指标", "cost_ecological": "成本指标"}
_OPS = {"≥": "≥", ">=": "≥", "≧": "≥", "大于等于": "≥", "不低于": "≥", "不少于": "≥", "正向": "≥", "正向指标": "≥",
        "≤": "≤", "<=": "≤", "≦": "≤", "小于等于": "≤", "不高于": "≤", "不超过": "≤", "反向": "≤", "反向指标": "≤",
        "=": "=", "＝": "=", "等于": "=", ">": ">", "大于": ">", "<": "<", "小于": "<"}
_STOP_WORDS = ("总分", "合计", "总计", "填表人", "填报人", "联系电话", "备注", "说明", "审核意见", "单位负责人",
               "单位领导", "财务负责人", "注：", "注:")
_PLACEHOLDER = re.compile(r"^[.…。\-—/／、\s]*$")
_BRACKET = re.compile(r"[（(][^）)]*[）)]")
_NUM = re.compile(r"-?\d+(?:\.\d+)?")


@lru_cache(maxsize=1)
def vocab() -> dict:
    return load_yaml(DATA_DIR / "layouts.yaml")


def norm(text: str) -> str:
    return re.sub(r"[\s*★☆:：]", "", text or "")


def _forms(text: str) -> tuple[str, str]:
    n = norm(text)
    return n, _BRACKET.sub("", n)


def role_of(text: str) -> str | None:
    n, bare = _forms(text)
    if not n or len(n) > 24:
        return None
    if n in vocab()["groups"] or bare in vocab()["groups"]:
        return None
    for role, spec in vocab()["roles"].items():
        if n in spec.get("exact", ()) or bare in spec.get("exact", ()):
            return role
        if any(w in n for w in spec.get("contains", ())):
            return role
    return None


@lru_cache(maxsize=1)
def _label_table() -> dict[str, str]:
    out: dict[str, str] = {}
    for key, words in vocab()["labels"].items():
        for w in words:
            out.setdefault(norm(w), key)
    return out


def label_of(text: str) -> str | None:
    n, bare = _forms(text)
    if not n or len(n) > 16:
        return None
    t = _label_table()
    return t.get(n) or t.get(bare)


def number(text: str) -> float | None:
    s = (text or "").replace(",", "").replace("，", "").strip()
    s = re.sub(r"(万元|元|亿元|分|%)$", "", s).strip()
    return float(s) if re.fullmatch(r"-?\d+(?:\.\d+)?", s) else None


@dataclass
class Block:
    header: int  # last header row
    first_header: int
    cols: dict[str, int]
    end: int = 0  # exclusive
    goal: int | None = None
    scope: Scope = Scope.ANNUAL
    budget_unit: str | None = None  # 元 in 预算数（元）


def _bracket_unit(g: Grid, r: int, c: int | None) -> str | None:
    if c is None:
        return None
    m = re.search(r"[（(]\s*(万元|元|亿元)\s*[）)]", g.shown(r, c))
    return m.group(1) if m else None


@dataclass
class Reading:
    """What was read from one form, and what the reader could not find (in words)."""

    draft: Draft
    source: str  # sheet / part the form came from
    found: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    skipped: int = 0  # rows under a header with a value but no name
    row_fields: dict[str, list[str]] = field(default_factory=dict)  # 项目名称/预算数/年度目标 printed on each row

    def summary(self) -> str:
        parts = [f"读取“{self.source}”：{len(self.draft.indicators)} 行指标"]
        if self.found:
            parts.append("读到" + "、".join(self.found))
        if self.missing:
            parts.append("表中没有找到" + "、".join(self.missing))
        return "；".join(parts) + "。" + "".join(self.notes)


# ---------------------------------------------------------------- header and blocks


def _header_roles(g: Grid, r: int) -> dict[str, int]:
    cols: dict[str, int] = {}
    for c in range(len(g.rows[r])):
        o = g.origin(r, c)
        if o[0] == r and o[1] != c:  # the same header cell spread over several columns
            continue
        role = role_of(g.shown(r, c))
        if role and role not in cols:
            cols[role] = c
    return cols


def _is_header(cols: dict[str, int]) -> bool:
    if "name" in cols:
        return bool({"value", "tier1", "tier2", "type", "actual", "weight"} & cols.keys()) and len(cols) >= 2
    return False


def find_blocks(g: Grid) -> list[Block]:
    blocks: list[Block] = []
    r = 0
    n = len(g.rows)
    while r < n:
        cols = _header_roles(g, r)
        if not _is_header(cols):
            r += 1
            continue
        first = r
        # a second header row below (指标值 over 指标性质 | 指标值 | 计量单位) refines the columns
        while r + 1 < n:
            below = _header_roles(g, r + 1)
            fresh = {k: v for k, v in below.items() if not (g.origin(r + 1, v)[0] <= r)}
            if len(fresh) >= 1 and _looks_like_header_row(g, r + 1):
                for k, v in below.items():
                    cols[k] = v
                r += 1
            else:
                break
        if "name" in cols and "value" in cols and cols["name"] == cols["value"]:
            del cols["value"]
        blocks.append(Block(header=r, first_header=first, cols=cols, budget_unit=_bracket_unit(g, r, cols.get("budget"))))
        r += 1
    for i, b in enumerate(blocks):
        b.end = blocks[i + 1].first_header if i + 1 < len(blocks) else n
    return blocks


def _looks_like_header_row(g: Grid, r: int) -> bool:
    texts = [t for t in (g.shown(r, c) for c in range(len(g.rows[r]))) if t]
    if not texts:
        return False
    return all(role_of(t) or len(norm(t)) <= 6 and not _NUM.search(t) for t in texts)


# ---------------------------------------------------------------- indicator rows


def _op(text: str) -> str | None:
    return _OPS.get(norm(text))


def compose_value(value: str, op: str, unit: str) -> str:
    value = value.strip()
    sym = _op(op) if op else None
    if sym and value and not re.match(r"^[≥≤=＝<>]", value):
        value = sym + value
    u = unit.strip()
    if u and value and u not in ("/", "／", "无", "-", "—") and not value.endswith(u) and re.search(r"\d$", value):
        value += u
    return value


def _goal_marker(text: str) -> int | None:
    m = re.search(r"(?:年度)?目标\s*(\d+)|目标([一二三四五六七八九十])", text)
    if not m:
        return None
    if m.group(1):
        return int(m.group(1))
    return "一二三四五六七八九十".index(m.group(2)) + 1


def _block_context(g: Grid, b: Block, start: int) -> None:
    """Goal number and scope from the nearest words: the side label beside the block first, then the rows just
    above its header, nearest first (实施期目标 above 年度目标 above the table: the table is 年度)."""
    side = min(b.cols.values())
    groups: list[list[str]] = []  # nearest first; one group per distance
    groups.append([g.shown(r, c) for r in range(b.first_header, min(b.end, b.header + 3)) for c in range(side)])
    groups.append([g.shown(r, c) for r in range(b.first_header, b.header + 1) for c in range(side, len(g.rows[r]))
                   if (c not in b.cols.values() and not role_of(g.shown(r, c))) or c == b.cols.get("goal")])
    for r in range(b.first_header - 1, max(start, b.first_header - 3) - 1, -1):
        groups.append(g.row_texts(r))
    near = [t for grp in groups for t in grp if t]
    for grp in groups:
        words = norm(" ".join(t for t in grp if t))
        if re.search(r"年度|本年|当年", words):  # annual wins where both stand side by side (中期目标 | 年度目标)
            break
        if re.search(r"长期|实施期|中期|整体绩效总目标", words):
            b.scope = Scope.LONG_TERM
            break
    for t in near:
        # a heading for one goal (年度目标2：…), not the cell listing every goal (目标1：… 目标2：…)
        if "目标" in t and len(re.findall(r"目标\s*[\d一二三四五六七八九十]+", t)) == 1:
            m = _goal_marker(t)
            if m:
                b.goal = m
                break


def read_rows(g: Grid, b: Block, reading: Reading, kind_hint: Kind | None) -> tuple[list[Indicator], float | None]:
    cols = b.cols
    out: list[Indicator] = []
    total_score: float | None = None
    t1 = t2 = ""
    side = min(cols.values())
    goal = b.goal

    head_width = g.widths.get(b.header)

    def cell(r: int, role: str) -> str:
        c = cols.get(role)
        if c is None:
            return ""
        if head_width and g.widths.get(r, head_width) != head_width and c > cols.get("name", c):
            # a table continued on the next PDF page without the split name column: shift right-hand columns
            c -= head_width - g.widths[r]
        o = g.origin(r, c)
        if o[0] == r and o[1] != c:
            # spread from another column of this row: a heading across the row, except 一级 written over 二级 too
            return g.shown(r, c) if role == "tier2" and o[1] == cols.get("tier1") else ""
        return g.shown(r, c)

    for r in range(b.header + 1, b.end):
        texts = g.row_texts(r)
        if not texts:
            continue
        first = norm(texts[0])
        if first.startswith(_STOP_WORDS) or (len(texts) <= 2 and label_of(texts[0]) in ("filler", "phone", "date")):
            if first.startswith(("总分", "合计", "总计")) and "score" in cols:
                total_score = number(cell(r, "score"))
            if first.startswith(("总分", "合计", "总计")):
                continue
            break
        # per-goal side label inside the block (年度目标1 | rows…)
        for c in range(side):
            t = g.shown(r, c)
            if t and "目标" in t and _goal_marker(t):
                goal = _goal_marker(t)
        name = cell(r, "name")
        if name and role_of(name) == "name":  # a header repeated on the next page
            continue
        typ = cell(r, "type")
        c1, c2 = cell(r, "tier1"), cell(r, "tier2")
        if typ:
            parts = re.split(r"[-—/／|｜、]", typ)
            if len(parts) >= 2:
                c1, c2 = parts[0].strip(), parts[-1].strip()
            elif tier2_concept_of(typ) or not c2:
                c2 = typ
                if "tier1" not in cols:
                    c1 = _TIER1_OF.get(tier2_concept_of(typ) or "", "") or c1
        if c1 and c1 != t1:
            t1, t2 = c1, ""
        if c2:
            t2 = c2
        if not t1 and t2:
            t1 = _TIER1_OF.get(tier2_concept_of(t2) or "", "")
        value = compose_value(cell(r, "value"), cell(r, "op"), cell(r, "unit"))
        if not name or _PLACEHOLDER.match(name):
            if value and not _PLACEHOLDER.match(value):
                reading.skipped += 1
            continue
        row = Indicator(tier1=t1, tier2=t2, name=name, value=value, standard=cell(r, "standard") or None,
                        origin=Origin.IMPORTED, goal=goal, scope=b.scope)
        if cell(r, "scoring"):
            row.extra["评(扣)分标准"] = cell(r, "scoring")
        if "weight" in cols:
            row.weight = number(cell(r, "weight"))
        if "score" in cols:
            row.score = number(cell(r, "score"))
        if "actual" in cols:
            row.actual = cell(r, "actual") or None
        if "deviation" in cols:
            row.deviation = cell(r, "deviation") or None
        if "goal" in cols:
            gtext = cell(r, "goal")
            if gtext.isdigit():
                row.goal = int(gtext)
            elif re.match(r"(?:年度)?目标\s*\d+", gtext):
                row.goal = _goal_marker(gtext)
                rest = re.sub(r"^(?:年度)?目标\s*\d+\s*[：:、.．]?\s*", "", gtext)
                if rest:
                    reading.row_fields.setdefault("goals", []).append(rest)
            elif gtext:
                reading.row_fields.setdefault("goals", []).append(gtext)
        for key in ("project", "budget", "org"):
            if cell(r, key):
                reading.row_fields.setdefault(key, []).append(cell(r, key))
        if "scope" in cols and cell(r, "scope") in ("长期", "实施期", "long_term"):
            row.scope = Scope.LONG_TERM
        if "origin" in cols or "note" in cols:
            from ..layout import parse_origin_note

            origin, note = parse_origin_note(cell(r, "origin"))
            o2, note2 = parse_origin_note(cell(r, "note"))
            row.origin = origin or o2 or Origin.IMPORTED
            row.note = note2 if "note" in cols else note
        out.append(row)
    return out, total_score


# ---------------------------------------------------------------- fields above the block


def _inline_pairs(text: str) -> list[tuple[str, str]]:
    """'单位名称：某局  填报日期：2021年' → [(unit, 某局), (date, 2021年)]."""
    out = []
    for m in re.finditer(r"([\u4e00-\u9fff（）()]{2,12})[：:]\s*([^：:\n]*?)(?=\s+[\u4e00-\u9fff（）()]{2,12}[：:]|\n|$)",
                         text):
        key = label_of(m.group(1))
        if key and m.group(2).strip():
            out.append((key, m.group(2).strip()))
    return out


def _value_right(g: Grid, r: int, c: int) -> str:
    """The texts right of a label within the label's rows, stopping at the next label."""
    o = g.origin(r, c)
    r2 = r
    while (r2 + 1, c) in g.merged and g.origin(r2 + 1, c) == o:
        r2 += 1
    parts: list[str] = []
    for rr in range(r, r2 + 1):
        cc = c + 1
        while cc < len(g.rows[rr]):
            oo = g.origin(rr, cc)
            if oo == o:
                cc += 1
                continue
            t = g.shown(rr, cc)
            if oo[0] < rr or (oo[0] == rr and oo[1] < cc):  # covered by a merge seen already
                cc += 1
                continue
            if t:
                if label_of(t) or role_of(t):
                    break
                parts.append(t)
                break  # one value per row: the cell beside the label
            cc += 1
    return "\n".join(p for p in parts if p)


def _number_right(g: Grid, r: int, c: int) -> str:
    """The first amount right of a label in its own row (past sub-labels such as 资金总额); where the columns
    above say 年度 and something else (中期/实施期), the 年度 one."""
    found: list[tuple[int, str]] = []
    for cc in range(c + 1, len(g.rows[r])):
        if g.is_covered(r, cc):
            continue
        t = g.text(r, cc)
        if t and number(t) is not None:
            found.append((cc, t))
    for cc, t in found if len(found) > 1 else ():
        if any("年度" in g.shown(rr, cc) for rr in range(max(0, r - 6), r)):
            return t
    return found[0][1] if found else ""


def _value_below(g: Grid, r: int, c: int) -> str:
    for rr in range(r + 1, min(r + 3, len(g.rows))):
        if g.origin(rr, c)[0] <= r:
            continue
        t = g.shown(rr, c)
        if t:
            return "" if label_of(t) else t
    return ""


def split_goals(text: str) -> list[str]:
    return [g.strip().rstrip("；;，,").strip() for g in _split_goals(text) if g.strip().rstrip("；;，,").strip()]


def _split_goals(text: str) -> list[str]:
    text = text.strip()
    if not text or _PLACEHOLDER.match(text):
        return []
    # 1.…；2.…  or （1）…（2）… on one line
    marks = list(re.finditer(r"(?:^|(?<=[；;。\s]))(?:[(（]\d+[)）]|\d+[.．、](?!\d))\s*", text))
    if len(marks) >= 2 and marks[0].start() == 0:
        cuts = [m.end() for m in marks] + [len(text)]
        starts = [m.start() for m in marks[1:]] + [len(text)]
        return [text[a:b] for a, b in zip(cuts, starts)]
    parts = re.split(r"(?:^|\n|\s|(?<=[。；;，,]))(?:年度)?目标\s*[\d一二三四五六七八九十]+\s*[：:、.．)）]\s*", text)
    if len(parts) > 1:
        return [p.strip(" ；;\n") for p in parts if p.strip(" ；;\n") and not _PLACEHOLDER.match(p)]
    lines = [re.sub(r"^\s*[(（]?\d+[)）.．、]\s*", "", ln).strip() for ln in text.split("\n")]
    if len(lines) > 1 and all(re.match(r"^\s*[(（]?\d+[)）.．、]", ln) for ln in text.split("\n") if ln.strip()):
        return [ln for ln in lines if ln]
    return [text]


def _period_years(text: str) -> tuple[int | None, int | None]:
    ys = [int(y) for y in re.findall(r"(20\d\d|19\d\d)", text or "")]
    return (ys[0] if ys else None, ys[-1] if ys else None)


def read_fields(g: Grid, blocks: list[Block], reading: Reading) -> dict[str, str]:
    """label → value for every label cell outside the indicator blocks (first occurrence wins)."""
    inside = set()
    for b in blocks:
        inside.update(range(b.first_header, b.end))
    fields: dict[str, str] = {}
    titles: list[str] = []
    years: list[str] = []
    for r in range(len(g.rows)):
        if r in inside:
            continue
        for c in range(len(g.rows[r])):
            if g.is_covered(r, c):
                continue
            t = g.text(r, c)
            if not t:
                continue
            key = label_of(t)
            if key:
                v = _number_right(g, r, c) if key in ("total", "total_score") else (
                    _value_right(g, r, c) or _value_below(g, r, c))
                v = re.sub(r"[（(]\s*盖章\s*[）)]$", "", v).strip()
                if v and key not in fields:
                    fields[key] = v
                continue
            for k, v in _inline_pairs(t):
                fields.setdefault(k, re.sub(r"[（(]\s*盖章\s*[）)]$", "", v).strip())
            if "表" in t and ("绩效" in t or "自评" in t) and len(t) <= 60:
                titles.append(t)
            elif len(fields) <= 1 and re.search(r"\d{4}\s*年", t) and len(t) <= 40:
                years.append(t)
    if titles:
        fields["_title"] = titles[0]
    fields["_title_all"] = " ".join(titles[:2] + years[:2])
    return fields


def _money_unit(g: Grid) -> str:
    for row in g.rows[:12]:
        for t in row:
            m = re.search(r"(?:金额)?单位[：:]\s*(万元|元|亿元)", t)
            if m:
                return m.group(1)
    return "万元"


def _execution(g: Grid, blocks: list[Block]) -> tuple[Execution | None, list[FundingLine]]:
    cols_words = vocab()["execution_columns"]
    for r in range(len(g.rows)):
        cols: dict[str, int] = {}
        for c in range(len(g.rows[r])):
            n, bare = _forms(g.shown(r, c))
            for key, words in cols_words.items():
                if (n in words or bare in words) and key not in cols:
                    cols[key] = c
        if len({"initial", "full_year", "executed", "rate"} & cols.keys()) < 2:
            continue
        ex: Execution | None = None
        lines: list[FundingLine] = []
        for rr in range(r + 1, min(r + 8, len(g.rows))):
            texts = g.row_texts(rr)
            if not texts or role_of(texts[0]) or label_of(texts[0]) not in (None, "total"):
                break
            left = [g.shown(rr, c) for c in range(min(cols.values()))]
            name = next((t for t in reversed(left) if t and label_of(t) != "project_name"), "")
            vals = {k: g.shown(rr, c) for k, c in cols.items()}
            if ex is None:
                ex = Execution(initial=number(vals.get("initial", "")), full_year=number(vals.get("full_year", "")),
                               executed=number(vals.get("executed", "")), weight=number(vals.get("weight", "")),
                               rate=vals.get("rate") or None, score=number(vals.get("score", "")))
            else:
                nm = re.sub(r"^其中[：:]?", "", name).strip()
                amt = number(vals.get("full_year", ""))
                amt = amt if amt is not None else number(vals.get("initial", ""))
                if nm:  # the lines under 年度资金总额 (其中：… included) are its parts
                    lines.append(FundingLine(name=nm, amount=amt, role="item"))
        return ex, lines
    return None, []


def _funding_lines(g: Grid, blocks: list[Block]) -> tuple[list[FundingLine], list[FundingLine], list[FundingLine]]:
    """Sources (其中：财政拨款 …), income and expense lines from name | amount rows outside the blocks."""
    inside = set()
    for b in blocks:
        inside.update(range(b.first_header, b.end))
    v = vocab()
    items = {norm(w) for w in v["sources"]["item"]}
    sources: list[FundingLine] = []
    income: list[FundingLine] = []
    expense: list[FundingLine] = []
    section: list[FundingLine] | None = None
    heads_in = {norm(w) for w in v["income_heads"]}
    heads_out = {norm(w) for w in v["expense_heads"]}
    for r in range(len(g.rows)):
        if r in inside:
            continue
        cells = [(c, g.text(r, c)) for c in range(len(g.rows[r])) if not g.is_covered(r, c) and g.text(r, c)]
        texts = [t for _, t in cells]
        for t in texts[:1]:
            n = norm(t)
            if n in heads_in:
                section = income
            elif n in heads_out:
                section = expense
            elif section is not None and (label_of(t) or re.search(r"情况|概述|任务|目标|职能", n)):
                section = None  # the money block ended
        for i, (c, t) in enumerate(cells):
            n = re.sub(r"^其中[：:]?", "", norm(t))
            n = _BRACKET.sub("", n)
            if i + 1 < len(texts) and number(texts[i + 1]) is not None and (n in items or section is not None):
                if label_of(t) or n in ("合计", "总计") or n.endswith("合计"):
                    role = "total"
                else:
                    prev = (section if section is not None else sources)[-1:] or [None]
                    after_total = prev[0] is None or prev[0].role == "total"
                    role = "sub" if norm(t).startswith("其中") and not after_total else "item"
                share = next((x for x in texts[i + 2:i + 3] if x.endswith("%")), None)
                line = FundingLine(name=n, amount=number(_number_right(g, r, c)), share=share, role=role)
                target = section if section is not None else sources
                if n in items and section is None:
                    target = sources
                if not any(x.name == line.name and x.amount == line.amount for x in target):
                    target.append(line)
                break
    return sources, income, expense


# ---------------------------------------------------------------- the form


def read_grid(g: Grid) -> Reading | None:
    """One grid as a form, or None when it has no indicator header."""
    blocks = find_blocks(g)
    if not blocks:
        return None
    draft = Draft(kind=Kind.PROJECT)
    reading = Reading(draft=draft, source=g.name)
    prev_end = 0
    total_score = None
    for b in blocks:
        _block_context(g, b, prev_end)
        rows, ts = read_rows(g, b, reading, None)
        draft.indicators.extend(rows)
        total_score = total_score if ts is None else ts
        prev_end = b.header + 1
    fields = read_fields(g, blocks, reading)
    _fill(draft, fields, g, blocks, reading)
    if total_score is not None:
        draft.total_score = total_score
    return reading


def _fill(draft: Draft, f: dict[str, str], g: Grid, blocks: list[Block], reading: Reading) -> None:
    title = f.get("_title") or ""
    h = Header(title=title or None)
    h.project_name = f.get("project_name")
    h.department = f.get("department")
    unit = f.get("unit") or f.get("unit_filer")
    if not f.get("period") and f.get("period_start") and f.get("period_end"):
        f["period"] = f"{f['period_start']}至{f['period_end']}"
    money = _money_unit(g)
    if unit in ("元", "万元", "亿元"):
        unit = None
    h.unit = unit
    h.money_unit = money
    h.attribute = f.get("attribute")
    h.period = f.get("period")
    h.filler, h.phone, h.date = f.get("filler"), f.get("phone"), f.get("date")
    year = None
    if f.get("year"):
        m = re.search(r"(20\d\d)", f["year"])
        year = int(m.group(1)) if m else None
    if year is None:
        m = re.search(r"(20\d\d)\s*年", f.get("_title_all") or title)
        year = int(m.group(1)) if m else None
    if year is None and h.period:
        year = _period_years(h.period)[0]
    if year is None and h.project_name:
        m = re.search(r"(20\d\d)\s*年", h.project_name)
        year = int(m.group(1)) if m else None
    h.year = year
    draft.header = h
    # kind and form from the form itself
    all_text = title + " " + " ".join(f.keys())
    if re.search(r"部门[（(]?单位[）)]?整体|部门整体|单位整体|整体支出", title):
        draft.kind = Kind.DEPARTMENT
    elif "项目" in title or h.project_name:
        draft.kind = Kind.PROJECT
    elif any(k in f for k in ("duties", "tasks")) or re.search(r"部门", all_text):
        draft.kind = Kind.DEPARTMENT
    cols = set().union(*(b.cols.keys() for b in blocks))
    if "自评" in title or {"actual", "score"} <= cols or ("actual" in cols and "自评" in title):
        draft.form = FormType.SELF_EVAL
    if draft.kind is Kind.DEPARTMENT and not h.unit:
        h.unit = f.get("department")
        if h.unit:
            h.department = None
    if draft.kind is Kind.DEPARTMENT and h.project_name:  # a 部门整体 form lists its projects
        draft.projects = [Project(name=h.project_name, type=f.get("project_type"))]
        h.project_name = None
    draft.duties = f.get("duties")
    draft.tasks = [t for t in (f.get("tasks") or "").split("\n") if t.strip()]
    lt = f.get("long_term_goal")
    draft.long_term_goal = lt if lt and not _PLACEHOLDER.match(lt) else None
    draft.goals = [Goal(text=t) for t in split_goals(f.get("goals", ""))]
    rf = reading.row_fields
    if rf.get("goals") and (not draft.goals or any(r.goal for r in draft.indicators)):
        # goals printed beside their rows (a merged first column of the table) say which row serves which goal
        draft.goals = [Goal(text=t) for t in dict.fromkeys(g for x in rf["goals"] for g in split_goals(x))]
    if not h.project_name and draft.kind is Kind.PROJECT and rf.get("project"):
        h.project_name = rf["project"][0]
    if not h.unit and rf.get("org"):
        h.unit = rf["org"][0]
    draft.actual_summary = f.get("actual_summary")
    # money
    fund = Funding(unit=money)
    fund.total = number(f.get("total", ""))
    if fund.total is None and rf.get("budget"):
        amounts = {number(x) for x in rf["budget"]} - {None}
        if len(amounts) == 1:  # one project: the same budget on every row
            fund.total = amounts.pop()
            unit = next((b.budget_unit for b in blocks if b.budget_unit), None)
            fund.unit = unit or fund.unit
    sources, income, expense = _funding_lines(g, blocks)
    ex, ex_lines = _execution(g, blocks)
    if ex is not None and draft.form is FormType.SELF_EVAL:
        draft.execution = ex
        sources = ex_lines or sources
        fund.total = ex.full_year if ex.full_year is not None else ex.initial
    fund.sources = [s for s in sources if s.role != "total"]
    fund.income, fund.expense = income, expense
    if fund.total is None:
        tot = next((s.amount for s in sources if s.role == "total"), None)
        tot = tot if tot is not None else next((s.amount for s in income if s.role == "total"), None)
        fund.total = tot
    draft.funding = fund
    if "total_score" in f and draft.total_score is None:
        draft.total_score = number(f["total_score"])
    # what was and wasn't found, in words
    names = {"unit": "单位", "year": "年度", "project_name": "项目名称", "department": "主管部门",
             "period": "实施期", "goals": "绩效目标", "funding": "资金"}
    have = {"unit": bool(h.unit), "year": bool(h.year), "project_name": bool(h.project_name),
            "department": bool(h.department), "period": bool(h.period), "goals": bool(draft.goals or draft.long_term_goal),
            "funding": not fund.is_empty()}
    wanted = ["unit", "year", "goals", "funding"]
    if draft.kind is Kind.PROJECT:
        wanted[1:1] = ["project_name", "department", "period"]
    reading.found = [names[k] for k in wanted if have[k]]
    reading.missing = [names[k] for k in wanted if not have[k]]


def read_form(grids: list[Grid], name: str) -> Reading:
    """The best form among the grids (sheets): the one with the most indicator rows."""
    best: Reading | None = None
    seen_headers = []
    for g in grids:
        rd = read_grid(g)
        if rd is None:
            continue
        seen_headers.append(g.name)
        if best is None or len(rd.draft.indicators) > len(best.draft.indicators):
            best = rd
    if best is None:
        where = "、".join(f"“{g.name}”" for g in grids if g.rows) or "文件"
        raise FormatError(name, f"在{where}中没有找到指标表的表头（需要“三级指标/指标名称/指标内容”一列，以及"
                                f"“指标值”或“一级/二级指标/指标类型”列）。请确认这是绩效目标申报表或自评表。")
    if not best.draft.indicators:
        extra = f"（另有 {best.skipped} 行只有指标值、没有指标名称）" if best.skipped else ""
        raise FormatError(name, f"在“{best.source}”找到了指标表头，但表头下面没有填写指标名称的行{extra}。"
                                + (f"读到了{'、'.join(best.found)}。" if best.found else ""))
    if best.skipped:
        best.notes.append(f"有 {best.skipped} 行填了指标值但没有指标名称，未读入。")
    others = [s for s in seen_headers if s != best.source]
    if others:
        best.notes.append(f"另有工作表{'、'.join(others)}也有指标表，本次只读了指标最多的一张。")
    return best
