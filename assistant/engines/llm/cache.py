"""A disk cache of model replies keyed by the request, so a model evaluation can be repeated at no cost.

`DiskCache` is a langchain_core `BaseCache`: installed with `langchain_core.globals.set_llm_cache` (see
`installed()`), every ChatOpenAI call first looks up its request, and stores the reply after a real call.

The key is the SHA-256 of what decides the reply: the messages (langchain's serialisation, message ids
dropped), the model name and generation parameters (max_tokens, temperature, extra_body such as the
provider's thinking switch), the bound call options (tools, tool_choice, response_format) and a salt (the
version of the output schemas). Transport settings are left out — endpoint URL, API key, timeout, retries —
so the same request sent to the same model through a different port or proxy hits the same entry.

Each entry is one JSON file `<key[:2]>/<key>.json` holding the whole reply: content, tool calls,
`additional_kwargs` (a structured-output `parsed` object is stored as a plain dict, which the parser
accepts), `usage_metadata` (so a cached run still reports the tokens the request cost), `response_metadata`
(finish_reason) and the latency of the original request. Failed requests are never stored.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from langchain_core.caches import BaseCache
from langchain_core.messages import AIMessage
from langchain_core.outputs import ChatGeneration, Generation

# constructor fields of the chat model that don't change the reply (transport and credentials)
_TRANSPORT = {"openai_api_base", "base_url", "openai_api_key", "api_key", "request_timeout", "timeout",
              "max_retries", "openai_proxy", "http_client", "http_async_client", "default_headers",
              "default_query", "openai_organization", "organization", "streaming", "stream_usage"}
FORMAT = 1


def request_key(prompt: str, llm_string: str, salt: str = "") -> str:
    """The cache key of one request: transport settings removed from `llm_string`."""
    head, sep, params = llm_string.partition("---")
    try:
        spec = json.loads(head)
        kwargs = spec.get("kwargs") or {}
        model = {k: v for k, v in kwargs.items() if k not in _TRANSPORT}
        norm = json.dumps({"id": spec.get("id"), "kwargs": model}, sort_keys=True, ensure_ascii=False)
    except (json.JSONDecodeError, AttributeError):
        norm = head
    blob = json.dumps([FORMAT, salt, norm, params, prompt], ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def _jsonable(x: Any) -> Any:
    if hasattr(x, "model_dump"):
        return x.model_dump(mode="json")
    if isinstance(x, dict):
        return {str(k): _jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_jsonable(v) for v in x]
    if isinstance(x, (str, int, float, bool)) or x is None:
        return x
    return str(x)


def _dump_generation(g: Generation) -> dict[str, Any]:
    if isinstance(g, ChatGeneration) and isinstance(g.message, AIMessage):
        m = g.message
        return {"type": "chat", "generation_info": _jsonable(g.generation_info),
                "message": {"content": _jsonable(m.content), "additional_kwargs": _jsonable(m.additional_kwargs),
                            "response_metadata": _jsonable(m.response_metadata),
                            "tool_calls": _jsonable(m.tool_calls),
                            "invalid_tool_calls": _jsonable(m.invalid_tool_calls),
                            "usage_metadata": _jsonable(m.usage_metadata)}}
    return {"type": "text", "text": g.text, "generation_info": _jsonable(g.generation_info)}


def _load_generation(d: dict[str, Any]) -> Generation:
    if d.get("type") == "chat":
        m = d["message"]
        msg = AIMessage(content=m.get("content") or "", additional_kwargs=m.get("additional_kwargs") or {},
                        response_metadata=m.get("response_metadata") or {}, tool_calls=m.get("tool_calls") or [],
                        invalid_tool_calls=m.get("invalid_tool_calls") or [],
                        usage_metadata=m.get("usage_metadata") or None)
        return ChatGeneration(message=msg, generation_info=d.get("generation_info"))
    return Generation(text=d.get("text") or "", generation_info=d.get("generation_info"))


class DiskCache(BaseCache):
    """Model replies as JSON files under `root`; counts hits, misses and stores (thread-safe)."""

    def __init__(self, root: str | Path, salt: str = ""):
        self.root = Path(root)
        self.salt = salt
        self.hits = self.misses = self.stores = 0
        self.hit_latency_ms = 0.0  # the original latency of the replies served from the cache
        self._lock = threading.Lock()
        self._started: dict[str, float] = {}

    def path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def counters(self) -> dict[str, float]:
        with self._lock:
            return {"hits": self.hits, "misses": self.misses, "stores": self.stores,
                    "hit_latency_ms": self.hit_latency_ms}

    def lookup(self, prompt: str, llm_string: str) -> list[Generation] | None:
        key = request_key(prompt, llm_string, self.salt)
        try:
            entry = json.loads(self.path(key).read_text(encoding="utf-8"))
            gens = [_load_generation(g) for g in entry["generations"]]
        except (OSError, ValueError, KeyError, TypeError):
            entry = None  # missing or unreadable: ask the model
        with self._lock:
            if entry is None:
                self.misses += 1
                self._started[key] = time.perf_counter()
                return None
            self.hits += 1
            self.hit_latency_ms += float(entry.get("latency_ms") or 0.0)
        return gens

    def update(self, prompt: str, llm_string: str, return_val: Sequence[Generation]) -> None:
        key = request_key(prompt, llm_string, self.salt)
        with self._lock:
            t0 = self._started.pop(key, None)
        entry = {"format": FORMAT, "key": key, "created": time.strftime("%Y-%m-%dT%H:%M:%S"),
                 "latency_ms": round((time.perf_counter() - t0) * 1000, 1) if t0 is not None else None,
                 "generations": [_dump_generation(g) for g in return_val]}
        path = self.path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(entry, f, ensure_ascii=False)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        with self._lock:
            self.stores += 1

    def clear(self, **kwargs: Any) -> None:
        for p in self.root.glob("*/*.json"):
            p.unlink(missing_ok=True)


def schema_salt() -> str:
    """A short hash of the output schemas: a change to them invalidates old entries."""
    from .schema import LLMDraft, LLMPatch, LLMReview

    blob = json.dumps([m.model_json_schema() for m in (LLMDraft, LLMPatch, LLMReview)], sort_keys=True,
                      ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


def default_cache_dir(data_dir: str | Path) -> Path:
    return Path(data_dir) / "llm-cache"


@contextmanager
def installed(cache: BaseCache | None) -> Iterator[BaseCache | None]:
    """Make `cache` langchain's global LLM cache for the duration of the block, then restore the previous one."""
    from langchain_core.globals import get_llm_cache, set_llm_cache

    previous = get_llm_cache()
    set_llm_cache(cache)
    try:
        yield cache
    finally:
        set_llm_cache(previous)
