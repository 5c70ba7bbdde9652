"""The LLM-facing schemas: flat and loose (every field required, no constraints), so they work with strict
json_schema, forced tools and json mode alike. The real checking happens in the core validator."""

from __future__ import annotations

from pydantic import BaseModel, Field


class LLMRow(BaseModel):
    """One 三级 indicator."""

    goal: int = Field(description="所属年度目标序号（从1开始；项目表填1）")
    tier1: str = Field(description="一级指标，照抄允许的写法")
    tier2: str = Field(description="二级指标，照抄允许的写法")
    name: str = Field(description="三级指标名称：对象+计量口径的名词短语")
    value: str = Field(description="指标值：比较符号+数值+单位，如≥47000人、=100%、2025年12月底前；原文没有的数值写（待填）")
    standard: str = Field(description="绩效标准：计划标准/行业标准/历史标准/预算支出标准/其他标准")
    evidence: str = Field(description="原文中支撑这一行的原句（照抄）；没有依据的写空字符串")


class LLMDraft(BaseModel):
    """A draft 绩效目标申报表."""

    unit: str = Field(description="单位名称")
    year: int = Field(description="预算年度，未知写0")
    kind: str = Field(description="department（部门整体）或 project（项目）")
    project_name: str = Field(description="项目名称；部门整体表写空字符串")
    long_term_goal: str = Field(description="长期目标或实施期目标；没有写空字符串")
    goals: list[str] = Field(description="年度目标，逐条")
    rows: list[LLMRow] = Field(description="指标行")


class LLMOp(BaseModel):
    """One edit to the table."""

    op: str = Field(description="update | add | delete | move | set_goal | set_header")
    row: int = Field(description="要修改/删除/移动的行号（从1开始）；add 时写0")
    goal: int = Field(description="所属年度目标序号；不涉及写0")
    tier1: str = Field(description="一级指标；不改写空字符串")
    tier2: str = Field(description="二级指标；不改写空字符串")
    name: str = Field(description="指标名称；不改写空字符串")
    value: str = Field(description="指标值；不改写空字符串")
    standard: str = Field(description="绩效标准；不改写空字符串")
    position: int = Field(description="move 的目标行号；其他写0")
    field: str = Field(description="set_header 的字段（unit/year/project_name）；其他写空字符串")
    text: str = Field(description="set_goal / set_header 的新内容；其他写空字符串")


class LLMPatch(BaseModel):
    """The edits that carry out the user's instruction."""

    ops: list[LLMOp] = Field(description="修改操作，按顺序执行")
    reply: str = Field(description="给用户的简短中文答复")


class LLMReviewItem(BaseModel):
    row: int = Field(description="行号（从1开始）；针对全表写0")
    problem: str = Field(description="问题（中文）")
    suggestion: str = Field(description="修改建议（中文）")
    new_name: str = Field(description="建议的指标名称；不改写空字符串")
    new_value: str = Field(description="建议的指标值；不改写空字符串")


class LLMReview(BaseModel):
    """A reviewer's comments on a filled form."""

    items: list[LLMReviewItem] = Field(description="审阅意见")
    summary: str = Field(description="总体评价（中文，一两句）")
