"""The embedded offline engine: deterministic extraction + indicator library + chat commands."""

from .drafter import OfflineEngine

__all__ = ["OfflineEngine"]
