"""The embedded offline engine: deterministic extraction + indicator library."""

from .drafter import OfflineDrafter, OfflineResult

__all__ = ["OfflineDrafter", "OfflineResult"]
