"""Start-up: seconds from `indicator-assistant serve` to the first page answering, against `import gradio` alone.

    python benchmarks/startup.py [--runs 3]

Target (issue 12): ready ≤ import gradio + 1 s; printed as both times and their ratio.
"""

from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def import_gradio() -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import gradio"], check=True, cwd=ROOT)
    return time.perf_counter() - t0


def ready() -> float:
    port = _port()
    data = tempfile.mkdtemp()
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "assistant", "serve", "--port", str(port), "--data-dir", data],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while time.perf_counter() - t0 < 120:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
                return time.perf_counter() - t0
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("not ready in 120 s")
    finally:
        proc.kill()
        proc.wait()


def main(runs: int) -> None:
    import_gradio()  # warm the file cache
    g = statistics.median(import_gradio() for _ in range(runs))
    r = statistics.median(ready() for _ in range(runs))
    print(f"import gradio {g:.2f} s; app ready {r:.2f} s; ready − import = {r - g:.2f} s; ratio {r / g:.2f}")


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    main(ap.parse_args().runs)
