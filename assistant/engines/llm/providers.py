"""Provider capability profiles (data/providers.yaml) and the structured-output method they allow."""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Literal

from pydantic import BaseModel, Field

from ...core.profiles import DATA_DIR, load_yaml

Method = Literal["json_schema", "function_calling", "json_mode", "tool_auto", "prompted"]
METHOD_ORDER: tuple[Method, ...] = ("json_schema", "function_calling", "json_mode", "tool_auto", "prompted")
PROVIDERS = ("openai", "deepseek", "qwen", "glm", "kimi", "ollama", "vllm", "generic")


class ProviderProfile(BaseModel):
    name: str
    label: str
    json_schema: bool = False
    strict: bool = False
    forced_tool: bool = False
    tool_auto: bool = False
    json_object: bool = True
    needs_json_word: bool = True
    blank_content_retry: bool = False
    thinking_off: dict[str, Any] | None = None
    guess: dict[str, list[str]] = Field(default_factory=dict)
    models: dict[str, dict[str, Any]] = Field(default_factory=dict)

    def for_model(self, model: str | None) -> ProviderProfile:
        """The profile with the overrides of the first model-name prefix that matches."""
        for prefix, over in self.models.items():
            if model and model.startswith(prefix):
                return self.model_copy(update=over)
        return self

    def methods(self) -> list[Method]:
        allowed = {"json_schema": self.json_schema, "function_calling": self.forced_tool,
                   "json_mode": self.json_object, "tool_auto": self.tool_auto, "prompted": True}
        return [m for m in METHOD_ORDER if allowed[m]]


@lru_cache(maxsize=1)
def _data() -> dict:
    return load_yaml(DATA_DIR / "providers.yaml")["providers"]  # type: ignore[index]


def get_provider(name: str) -> ProviderProfile:
    data = _data()
    if name not in data:
        raise KeyError(f"未知的模型服务商“{name}”。可用：{', '.join(data)}")
    return ProviderProfile(name=name, **data[name])


def guess_provider(base_url: str | None, model: str | None) -> str:
    url, mdl = (base_url or "").lower(), (model or "").lower()
    if not url:
        url = "api.openai.com"
    for name, spec in _data().items():
        g = spec.get("guess") or {}
        if any(s in url for s in g.get("url", [])):
            return name
    for name, spec in _data().items():
        g = spec.get("guess") or {}
        if any(mdl.startswith(s) for s in g.get("model", [])) and name != "openai":
            return name
    if "api.openai.com" in url:
        return "openai"
    return "generic"
