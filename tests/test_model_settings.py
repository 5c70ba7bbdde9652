"""Model settings made in the app and `doctor`: a probe per structured-output method against a loopback fake
server, errors in plain words, settings kept in the data directory (0600) and the key never sent back."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest

from assistant.app import create_service
from assistant.config import load_settings, saved_model_settings
from assistant.engines.llm.probe import probe

from .conftest import ROOT
from .fakellm import FakeLLM, error, json_reply, tool_reply


@pytest.fixture
def fake():
    servers = []

    def make(replies):
        f = FakeLLM(replies).__enter__()
        f.url = f.base_url
        servers.append(f)
        return f

    yield make
    for f in servers:
        f.__exit__(None, None, None)


def test_probe_finds_json_schema(fake):
    f = fake([json_reply({"ok": True})])
    r = probe(f.url, "qwen", "k")
    assert r.ok and r.method == "json_schema" and "JSON Schema" in r.message and "秒" in r.message
    assert f.requests[0]["response_format"]["type"] == "json_schema" and f.requests[0]["max_tokens"] == 20


def test_probe_falls_back_to_tool_calls(fake):
    f = fake([error(400, "response_format json_schema not supported"), tool_reply("probe", {"ok": True})])
    r = probe(f.url, "deepseek-chat", "k")
    assert r.ok and r.method == "tool_call" and r.tried == ["json_schema", "tool_call"]


@pytest.mark.parametrize("status,words", [(401, "密钥无效"), (404, "模型名不对"), (429, "太频繁")])
def test_probe_errors_in_plain_words(fake, status, words):
    f = fake([error(status, "nope")])
    r = probe(f.url, "m", "k")
    assert not r.ok and words in r.message and len(f.requests) == 1  # no point trying other methods


def test_probe_unreachable_and_timeout(fake):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    r = probe(f"http://127.0.0.1:{port}/v1", "m", "k", timeout=2)
    assert not r.ok and "无法连接" in r.message

    def slow(body):
        import time

        time.sleep(3)
        return json_reply({"ok": True})

    f = fake([slow])
    r = probe(f.url, "m", "k", timeout=1)
    assert not r.ok and ("超时" in r.message or "无法连接" in r.message)


def test_settings_saved_private_and_key_masked(fake, tmp_path, monkeypatch):
    for k in ("ASSISTANT_LLM_BASE_URL", "ASSISTANT_LLM_API_KEY", "ASSISTANT_LLM_MODEL", "OPENAI_API_KEY"):
        monkeypatch.delenv(k, raising=False)
    f = fake([json_reply({"ok": True})])
    svc = create_service(load_settings(), data_dir=tmp_path / "d")
    assert not svc.uses_model
    assert "连接成功" in svc.test_model(f.url, "qwen", "", "sk-secret-123456")
    msg = svc.configure_model(None, f.url, "qwen", "", "sk-secret-123456")
    assert "已保存" in msg and svc.uses_model
    path = tmp_path / "d" / "model-settings.json"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert saved_model_settings(tmp_path / "d")["llm_api_key"] == "sk-secret-123456"
    base, model, prov, key = svc.model_form()
    assert (base, model, key) == (f.url, "qwen", "••••3456") and "sk-secret" not in key
    # saving again with the masked key keeps the stored one
    svc.configure_model(None, f.url, "qwen2", "", key)
    assert saved_model_settings(tmp_path / "d")["llm_api_key"] == "sk-secret-123456"
    # a restart on the same data directory uses the saved model
    again = create_service(load_settings(), data_dir=tmp_path / "d")
    assert again.uses_model and again.settings.llm_model == "qwen2"


def test_settings_admin_only(tmp_path):
    svc = create_service(load_settings(), data_dir=tmp_path / "d", settings_admin="admin")
    assert "只有管理员" in svc.configure_model("zhang", "http://x/v1", "m", "", "")
    assert not (tmp_path / "d" / "model-settings.json").exists()


def test_doctor_command(fake, tmp_path):
    f = fake([error(400, "no json_schema"), error(400, "no tools"), json_reply({"ok": True})])
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ASSISTANT_LLM", "OPENAI"))}
    p = subprocess.run([sys.executable, "-m", "assistant", "doctor", "--base-url", f.url, "--model", "m",
                        "--data-dir", str(tmp_path)], capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert p.returncode == 0 and "JSON 模式" in p.stdout, p.stdout + p.stderr
    bad = fake([error(401, "bad key")])
    p = subprocess.run([sys.executable, "-m", "assistant", "doctor", "--base-url", bad.url, "--model", "m",
                        "--data-dir", str(tmp_path)], capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert p.returncode == 1 and "密钥无效" in p.stdout
    p = subprocess.run([sys.executable, "-m", "assistant", "doctor", "--data-dir", str(tmp_path / "none")],
                       capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert p.returncode == 1 and "未配置大模型" in p.stdout
