"""The cue words of data/cues.yaml, loaded once (comparators sorted longest first)."""

from __future__ import annotations

from typing import Any

from ....core.profiles import DATA_DIR, load_yaml

CUES_FILE = DATA_DIR / "cues.yaml"


def _load() -> dict[str, Any]:
    data = load_yaml(CUES_FILE)
    comp = data["comparators"]
    comp["before"] = sorted(((w, op) for w, op in comp["before"]), key=lambda x: -len(x[0]))
    comp["after"] = sorted(((w, op) for w, op in comp["after"]), key=lambda x: -len(x[0]))
    data["lead_words"] = sorted(set(data["lead_words"]), key=len, reverse=True)
    return data


CUES: dict[str, Any] = _load()
