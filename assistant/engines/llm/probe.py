"""测试连接: one small request per structured-output method, to tell in plain Chinese whether an endpoint answers
and which method it accepts (json_schema → tool call → json mode → plain), with the time it took."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field

METHODS = ("json_schema", "tool_call", "json_mode", "plain")
METHOD_LABELS = {"json_schema": "JSON Schema 结构化输出", "tool_call": "工具调用（function calling）",
                 "json_mode": "JSON 模式", "plain": "普通文本（从回答中提取 JSON）"}
_SCHEMA = {"type": "object", "properties": {"ok": {"type": "boolean"}}, "required": ["ok"],
           "additionalProperties": False}
_ASK = "请只回答 JSON：{\"ok\": true}"


@dataclass
class ProbeResult:
    ok: bool
    message: str  # Chinese, for the user
    method: str | None = None
    seconds: float = 0.0
    tried: list[str] = field(default_factory=list)


def explain(e: Exception, base_url: str | None, model: str) -> str:
    """An OpenAI client error in plain words."""
    import openai

    where = base_url or "https://api.openai.com/v1"
    if isinstance(e, openai.AuthenticationError):
        return "密钥无效（接口返回 401）：请检查 API 密钥。"
    if isinstance(e, openai.PermissionDeniedError):
        return "没有权限（接口返回 403）：这个密钥不能使用该模型。"
    if isinstance(e, openai.NotFoundError):
        return f"模型名不对或接口地址不对（接口返回 404）：请检查模型名“{model}”和地址“{where}”（通常以 /v1 结尾）。"
    if isinstance(e, openai.RateLimitError):
        return "请求太频繁或额度用完（接口返回 429），请稍后再试或检查账户余额。"
    if isinstance(e, openai.APITimeoutError):
        return f"连接超时：“{where}”在规定时间内没有回答。"
    if isinstance(e, openai.APIConnectionError):
        return f"无法连接“{where}”：请检查地址、端口和网络。"
    if isinstance(e, openai.APIStatusError):
        return f"接口返回错误 {e.status_code}：{str(getattr(e, 'message', e))[:120]}"
    return f"连接失败（{type(e).__name__}）。"


def _ok(text: str | None) -> bool:
    if not text:
        return False
    start, end = text.find("{"), text.rfind("}")
    try:
        return bool(json.loads(text[start:end + 1]).get("ok")) if start >= 0 else False
    except (ValueError, AttributeError):
        return False


def probe(base_url: str | None, model: str, api_key: str | None, timeout: float = 20.0) -> ProbeResult:
    """Try the methods in order; the first that returns {"ok": true} is the one to use. Stops at errors that no
    other method can fix (bad key, unknown model, unreachable)."""
    import openai

    if not model:
        return ProbeResult(False, "请填写模型名。")
    client = openai.OpenAI(base_url=base_url or None, api_key=api_key or "none", timeout=timeout, max_retries=0)
    messages = [{"role": "user", "content": _ASK}]
    t0 = time.perf_counter()
    tried: list[str] = []
    last = None
    for method in METHODS:
        tried.append(method)
        kwargs: dict = {"model": model, "messages": messages, "max_tokens": 20, "temperature": 0}
        if method == "json_schema":
            kwargs["response_format"] = {"type": "json_schema",
                                         "json_schema": {"name": "probe", "schema": _SCHEMA, "strict": True}}
        elif method == "tool_call":
            kwargs["tools"] = [{"type": "function", "function": {"name": "probe", "parameters": _SCHEMA}}]
            kwargs["tool_choice"] = {"type": "function", "function": {"name": "probe"}}
        elif method == "json_mode":
            kwargs["response_format"] = {"type": "json_object"}
        try:
            reply = client.chat.completions.create(**kwargs)
        except (openai.AuthenticationError, openai.PermissionDeniedError, openai.NotFoundError,
                openai.APIConnectionError, openai.RateLimitError) as e:
            return ProbeResult(False, explain(e, base_url, model), None, time.perf_counter() - t0, tried)
        except openai.APIStatusError as e:  # 400/422: this method isn't supported, try the next
            last = e
            continue
        msg = reply.choices[0].message if reply.choices else None
        text = None
        if msg is not None:
            calls = getattr(msg, "tool_calls", None) or []
            text = calls[0].function.arguments if calls else msg.content
        if _ok(text):
            secs = time.perf_counter() - t0
            return ProbeResult(True, f"连接成功：模型“{model}”有回答，支持{METHOD_LABELS[method]}，用时 {secs:.1f} 秒。",
                               method, secs, tried)
    secs = time.perf_counter() - t0
    why = explain(last, base_url, model) if last else "模型有回答，但不能按要求返回 JSON。"
    return ProbeResult(False, f"接口能连上，但没有一种结构化输出方式可用：{why}", None, secs, tried)
