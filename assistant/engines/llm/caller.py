"""One structured call to an OpenAI-compatible endpoint, whatever the provider supports.

The method comes from the provider profile (json_schema → forced tool → json mode → tool_auto → prompted
JSON). A 400 that rejects the method moves to the next one; a reply that doesn't parse (no tool call,
blank content, invalid JSON, truncated) gets one corrective re-ask. Transport errors (timeouts, 401/403,
404, 429, 5xx) become Chinese EngineErrors and are never turned into prompt text; 429 and 5xx are retried
by the openai client itself, honouring Retry-After.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from typing import Any, TypeVar

import openai
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from pydantic import BaseModel, ValidationError

from ...config import Settings
from ..base import EngineError
from .prompts import format_hint
from .providers import Method, ProviderProfile

T = TypeVar("T", bound=BaseModel)
_CAPABILITY_400 = re.compile(r"response_format|json_schema|tool_choice|tools?\b|function|not support|unsupported|"
                             r"unavailable|invalid.*(type|param)", re.I)


class ShapeError(ValueError):
    """The reply was not the structure asked for (a retryable, non-transport failure)."""


@dataclass
class Attempt:
    purpose: str  # draft / reask / repair / revise / review
    method: str
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency_ms: float = 0.0
    outcome: str = "ok"


@dataclass
class Trace:
    provider: str
    model: str
    attempts: list[Attempt] = field(default_factory=list)
    method: str | None = None
    overhead_ms: float = 0.0

    @property
    def prompt_tokens(self) -> int:
        return sum(a.prompt_tokens for a in self.attempts)

    @property
    def completion_tokens(self) -> int:
        return sum(a.completion_tokens for a in self.attempts)

    def as_dict(self) -> dict[str, Any]:
        return {"provider": self.provider, "model": self.model, "method": self.method,
                "requests": len(self.attempts), "prompt_tokens": self.prompt_tokens,
                "completion_tokens": self.completion_tokens,
                "latency_ms": round(sum(a.latency_ms for a in self.attempts), 1),
                "overhead_ms": round(self.overhead_ms, 1),
                "attempts": [a.__dict__ for a in self.attempts]}


def transport_message(e: Exception, settings: Settings) -> str:
    """A Chinese message for a transport failure; never includes the key."""
    where = settings.llm_base_url or "https://api.openai.com/v1"
    if isinstance(e, openai.AuthenticationError):
        return "模型服务拒绝了访问密钥（401）。请检查 ASSISTANT_LLM_API_KEY 是否正确、是否过期。"
    if isinstance(e, openai.PermissionDeniedError):
        return "模型服务拒绝了请求（403，无权限）。请检查密钥的权限或账户状态。"
    if isinstance(e, openai.NotFoundError):
        return (f"模型“{settings.llm_model}”不存在，或接口地址不对（404）。请检查 ASSISTANT_LLM_MODEL 和 "
                f"ASSISTANT_LLM_BASE_URL（当前 {where}）。")
    if isinstance(e, openai.RateLimitError):
        return f"模型服务限流或额度不足（429），已自动重试{settings.llm_max_retries}次仍未成功。请稍后再试，或检查账户余额。"
    if isinstance(e, openai.APITimeoutError):
        return f"模型服务在{settings.llm_timeout:g}秒内没有响应（超时）。请稍后再试，或调大 ASSISTANT_LLM_TIMEOUT。"
    if isinstance(e, openai.APIConnectionError):
        return f"无法连接模型服务 {where}。请检查网络和 ASSISTANT_LLM_BASE_URL。"
    if isinstance(e, openai.InternalServerError):
        return f"模型服务内部错误（{getattr(e, 'status_code', '5xx')}），已重试仍失败。请稍后再试。"
    if isinstance(e, openai.APIStatusError):
        return f"模型服务返回错误（{e.status_code}）：{_short(str(e.message))}"
    return f"调用模型失败：{type(e).__name__}"


def _short(text: str, n: int = 160) -> str:
    text = re.sub(r"\s+", " ", text)
    return text if len(text) <= n else text[:n] + "…"


def extract_json(text: str) -> Any:
    """The first JSON object in a reply (bare, or inside a ``` fence)."""
    t = (text or "").strip()
    if not t:
        raise ShapeError("回复内容为空")
    fence = re.search(r"```(?:json)?\s*(\{.*\})\s*```", t, re.S)
    if fence:
        t = fence.group(1)
    start = t.find("{")
    if start < 0:
        raise ShapeError("回复中没有 JSON 对象")
    depth, in_str, esc = 0, False, False
    for i in range(start, len(t)):
        ch = t[i]
        if in_str:
            esc = (ch == "\\") and not esc
            if ch == '"' and not esc:
                in_str = False
            continue
        if ch == '"':
            in_str = True
        elif ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                try:
                    return json.loads(t[start:i + 1])
                except json.JSONDecodeError as e:
                    raise ShapeError(f"JSON 格式错误：{e.msg}") from e
    raise ShapeError("JSON 不完整（输出被截断）")


class StructuredCaller:
    def __init__(self, settings: Settings, profile: ProviderProfile, trace: Trace):
        self.settings = settings
        self.profile = profile
        self.trace = trace
        self.methods = profile.methods()
        self._clients: dict[str, Any] = {}

    # --- clients ----------------------------------------------------------------------------------
    def _client(self, method: Method):
        key = "auto" if method == "tool_auto" else "plain"
        if key not in self._clients:
            from langchain_openai import ChatOpenAI

            s = self.settings
            kwargs: dict[str, Any] = dict(
                model=s.llm_model, base_url=s.llm_base_url, timeout=s.llm_timeout, max_retries=s.llm_max_retries,
                max_tokens=s.llm_max_tokens,
                api_key=s.llm_api_key.get_secret_value() if s.llm_api_key else "not-needed")
            if self.profile.thinking_off:
                kwargs["extra_body"] = dict(self.profile.thinking_off)
            if method == "tool_auto":
                kwargs["disabled_params"] = {"tool_choice": None, "parallel_tool_calls": None}
            self._clients[key] = ChatOpenAI(**kwargs)
        return self._clients[key]

    def _runnable(self, method: Method, schema: type[BaseModel]):
        llm = self._client(method)
        if method == "prompted":
            return llm
        lc_method = {"json_schema": "json_schema", "function_calling": "function_calling",
                     "json_mode": "json_mode", "tool_auto": "function_calling"}[method]
        kwargs: dict[str, Any] = {"method": lc_method, "include_raw": True}
        if method == "json_schema" and self.profile.strict:
            kwargs["strict"] = True
        return llm.with_structured_output(schema, **kwargs)

    # --- the call ---------------------------------------------------------------------------------
    def call(self, system: str, messages: list[BaseMessage], schema: type[T], purpose: str) -> tuple[T, AIMessage]:
        """Send system+messages and return the parsed object. At most one re-ask for shape errors."""
        tried: set[str] = set()
        reask: str | None = None
        shape_failures = 0
        while True:
            method = next((m for m in self.methods if m not in tried), None)
            if method is None:
                raise EngineError("模型服务不支持本工具需要的任何结构化输出方式。请换用其他模型，或设置 ASSISTANT_LLM_PROVIDER。")
            self._check_budget()
            msgs: list[BaseMessage] = [SystemMessage(system + _hint(method, schema))] + list(messages)
            if reask:
                msgs.append(HumanMessage(reask))
            attempt = Attempt("reask" if reask else purpose, method)
            self.trace.attempts.append(attempt)
            t0 = time.perf_counter()
            try:
                parsed, raw = self._invoke(method, schema, msgs, attempt)
            except openai.BadRequestError as e:
                attempt.latency_ms = (time.perf_counter() - t0) * 1000
                attempt.outcome = "rejected"
                if _CAPABILITY_400.search(str(e.message)) and len(tried) + 1 < len(self.methods):
                    tried.add(method)  # this provider rejects the method: try the next one
                    continue
                raise EngineError(f"模型服务拒绝了请求（400）：{_short(str(e.message))}") from e
            except openai.APIError as e:
                attempt.latency_ms = (time.perf_counter() - t0) * 1000
                attempt.outcome = type(e).__name__
                raise EngineError(transport_message(e, self.settings)) from e
            except ShapeError as e:
                attempt.latency_ms = (time.perf_counter() - t0) * 1000
                attempt.outcome = f"shape: {e}"
                shape_failures += 1
                if shape_failures > 1:
                    if len(tried) + 1 < len(self.methods) and method in ("tool_auto", "function_calling"):
                        tried.add(method)
                        reask, shape_failures = None, 0
                        continue
                    raise EngineError(f"模型没有按要求的结构回答（{e}），重试后仍失败。请重试，或换用其他模型。") from e
                reask = (f"你的上一次回答无法使用：{e}。请严格按要求的结构重新输出完整结果"
                         f"{'（只输出 JSON）' if method in ('json_mode', 'prompted') else ''}。")
                continue
            attempt.latency_ms = (time.perf_counter() - t0) * 1000
            self.trace.method = method
            return parsed, raw

    def _invoke(self, method: Method, schema: type[T], msgs: list[BaseMessage], attempt: Attempt) -> tuple[T, AIMessage]:
        try:
            return self._invoke_once(method, schema, msgs, attempt)
        except openai.LengthFinishReasonError as e:
            usage = getattr(getattr(e, "completion", None), "usage", None)
            if usage is not None:
                attempt.prompt_tokens, attempt.completion_tokens = usage.prompt_tokens, usage.completion_tokens
            raise ShapeError("输出超过长度上限被截断") from e
        except openai.ContentFilterFinishReasonError as e:
            raise EngineError("模型服务的内容审核拦截了这次回答。请检查材料中是否有敏感内容后重试。") from e

    def _invoke_once(self, method: Method, schema: type[T], msgs: list[BaseMessage],
                     attempt: Attempt) -> tuple[T, AIMessage]:
        runnable = self._runnable(method, schema)
        if method == "prompted":
            raw = runnable.invoke(msgs)
            self._account(raw, attempt)
            self._check_finish(raw)
            try:
                return schema.model_validate(extract_json(_text(raw))), raw
            except ValidationError as e:
                raise ShapeError(_pydantic_summary(e)) from e
        out = runnable.invoke(msgs)
        raw = out.get("raw")
        self._account(raw, attempt)
        self._check_finish(raw)
        parsed, err = out.get("parsed"), out.get("parsing_error")
        if parsed is None or err is not None:
            if isinstance(err, ValidationError):
                raise ShapeError(_pydantic_summary(err))
            tool_mode = method in ("function_calling", "tool_auto")
            if isinstance(raw, AIMessage) and raw.tool_calls:
                raise ShapeError(f"工具参数无法解析（{type(err).__name__ if err else '空结果'}）")
            # no usable structure: accept JSON written in the text (some models answer that way), else say why
            try:
                return schema.model_validate(extract_json(_text(raw))), raw
            except ValidationError as e:
                raise ShapeError(_pydantic_summary(e)) from None
            except ShapeError as e:
                if tool_mode:
                    raise ShapeError("回复中没有调用工具提交结果") from None
                raise e
        if not isinstance(parsed, schema):
            try:
                parsed = schema.model_validate(parsed if isinstance(parsed, dict) else parsed.model_dump())
            except ValidationError as e:
                raise ShapeError(_pydantic_summary(e)) from e
        return parsed, raw

    def _account(self, raw: Any, attempt: Attempt) -> None:
        usage = getattr(raw, "usage_metadata", None) or {}
        attempt.prompt_tokens = int(usage.get("input_tokens") or 0)
        attempt.completion_tokens = int(usage.get("output_tokens") or 0)

    def _check_finish(self, raw: Any) -> None:
        meta = getattr(raw, "response_metadata", None) or {}
        if meta.get("finish_reason") == "length":
            raise ShapeError("输出超过长度上限被截断")

    def _check_budget(self) -> None:
        used = self.trace.prompt_tokens + self.trace.completion_tokens
        if used >= self.settings.llm_token_budget:
            raise EngineError(f"本次调用已用 {used} 个 token，超过预算 {self.settings.llm_token_budget}，已停止。")


def _text(raw: Any) -> str:
    content = getattr(raw, "content", "") or ""
    if isinstance(content, list):
        return "".join(c.get("text", "") if isinstance(c, dict) else str(c) for c in content)
    return str(content)


def _pydantic_summary(e: ValidationError) -> str:
    parts = []
    for err in e.errors()[:5]:
        loc = ".".join(str(x) for x in err.get("loc", ()))
        parts.append(f"{loc}: {err.get('msg')}")
    return "字段不符合要求：" + "；".join(parts)


def _hint(method: Method, schema: type[BaseModel]) -> str:
    if method in ("json_mode", "prompted"):
        return "\n" + format_hint(schema)
    if method == "tool_auto":
        return f"\n请调用工具 {schema.__name__} 提交结果，不要直接用文字回答。"
    return ""
