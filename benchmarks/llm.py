"""LLM chain cost outside the model: prompt size and local overhead against a zero-latency loopback stub.

    python benchmarks/llm.py [--runs N]

Prompt tokens are estimated as 1 token per CJK character + 1 per 4 other characters (cl100k averages
~1.0–1.3 tokens per Chinese character; tiktoken's file can't be downloaded here).
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.config import load_settings  # noqa: E402
from assistant.engines.llm import LLMEngine  # noqa: E402
from tests.fakellm import FakeLLM, json_reply  # noqa: E402
from tests.test_llm import seed_reply  # noqa: E402


def estimate_tokens(text: str) -> int:
    cjk = sum(1 for ch in text if ord(ch) > 0x2E80)
    return cjk + (len(text) - cjk) // 4


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    prose = (ROOT / "examples" / "prose-guangshui-2020.txt").read_text(encoding="utf-8")
    with FakeLLM([json_reply(seed_reply())]) as fake:
        eng = LLMEngine(load_settings(llm_base_url=fake.base_url, llm_api_key="x", llm_model="stub",
                                      llm_provider="generic", llm_max_retries=0))
        eng.draft(prose)  # warm imports and caches
        overheads, totals = [], []
        for _ in range(args.runs):
            out = eng.draft(prose)
            overheads.append(out.trace["overhead_ms"])
            totals.append(out.trace["total_ms"])
        body = fake.requests[-1]
    prompt = "".join(m["content"] for m in body["messages"] if isinstance(m.get("content"), str))
    print(f"seed prompt: {len(prompt)} characters, ~{estimate_tokens(prompt)} tokens (estimate)")
    print(f"draft against a zero-latency stub: median total {statistics.median(totals):.1f} ms, "
          f"of which outside the model (prompt, parsing, grounding, validation) {statistics.median(overheads):.1f} ms")


if __name__ == "__main__":
    main()
