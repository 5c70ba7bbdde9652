"""The LLM engine over any OpenAI-compatible endpoint."""

from .engine import LLMEngine

__all__ = ["LLMEngine"]
