"""A Chat Completions server on 127.0.0.1 with scripted replies; records every request body."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable

Reply = tuple[int, dict | str, dict]  # status, body, headers


def completion(content: str | None = None, *, tool: tuple[str, dict] | None = None, finish: str = "stop",
               prompt_tokens: int = 900, completion_tokens: int = 300) -> Reply:
    message: dict[str, Any] = {"role": "assistant", "content": content}
    if tool:
        message["tool_calls"] = [{"id": "call_1", "type": "function",
                                  "function": {"name": tool[0], "arguments": json.dumps(tool[1], ensure_ascii=False)}}]
        finish = "tool_calls" if finish == "stop" else finish
    body = {"id": "chatcmpl-test", "object": "chat.completion", "created": 1700000000, "model": "fake",
            "choices": [{"index": 0, "message": message, "finish_reason": finish}],
            "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                      "total_tokens": prompt_tokens + completion_tokens}}
    return 200, body, {}


def json_reply(obj: dict, **kw) -> Reply:
    return completion(json.dumps(obj, ensure_ascii=False), **kw)


def tool_reply(name: str, obj: dict, **kw) -> Reply:
    return completion(None, tool=(name, obj), **kw)


def error(status: int, message: str, headers: dict | None = None) -> Reply:
    return status, {"error": {"message": message, "type": "invalid_request_error", "code": None}}, headers or {}


class FakeLLM:
    """Replies are consumed in order; the last one repeats. `requests` holds the decoded JSON bodies."""

    def __init__(self, replies: list[Reply | Callable[[dict], Reply]] | None = None):
        self.replies = list(replies or [])
        self.requests: list[dict] = []
        self.headers: list[dict] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output clean
                pass

            def do_POST(self):
                length = int(self.headers.get("content-length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                fake.requests.append(body)
                fake.headers.append(dict(self.headers))
                if not self.path.endswith("/chat/completions"):
                    status, payload, headers = error(404, f"no route {self.path}")
                else:
                    item = fake.replies[min(len(fake.requests) - 1, len(fake.replies) - 1)] if fake.replies else \
                        error(500, "no scripted reply")
                    status, payload, headers = item(body) if callable(item) else item
                data = payload if isinstance(payload, (bytes, str)) else json.dumps(payload, ensure_ascii=False)
                raw = data.encode() if isinstance(data, str) else data
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(raw)))
                for k, v in headers.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(raw)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def __enter__(self) -> FakeLLM:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
