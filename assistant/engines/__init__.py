"""Drafting engines: the offline default and the LLM chain, chosen from settings."""

from __future__ import annotations

from typing import Literal

from ..config import NO_MODEL_HINT, Settings
from .base import DraftOutcome, Engine, EngineError, ReviewOutcome, ReviseOutcome

EngineMode = Literal["auto", "offline", "llm"]


def get_engine(mode: EngineMode, settings: Settings) -> tuple[Engine, str]:
    """The engine to use and a Chinese sentence saying which one and why."""
    from .offline import OfflineEngine

    if mode == "offline":
        return OfflineEngine(), "使用离线规则引擎。"
    if settings.llm_configured:
        from .llm import LLMEngine

        eng = LLMEngine(settings)
        return eng, f"使用大模型：{settings.describe_llm()}。"
    if mode == "llm":
        raise EngineError("没有配置大模型，无法使用 --engine llm。" + NO_MODEL_HINT.split("。", 1)[1])
    return OfflineEngine(), NO_MODEL_HINT


__all__ = ["DraftOutcome", "Engine", "EngineError", "EngineMode", "ReviewOutcome", "ReviseOutcome", "get_engine"]
