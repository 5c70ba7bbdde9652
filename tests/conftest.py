"""Test-wide isolation: no real model requests, no user config, only loopback network."""

from __future__ import annotations

import ipaddress
import os
import socket
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EVAL_CASES = ROOT / "evals" / "cases"
FILED_CASES = EVAL_CASES / "filed"  # real filed forms (public documents), kept in the repository
TYPED_CASES = EVAL_CASES / "typed"
SHARED_CASES = FILED_CASES  # the name older tests use
SEED = FILED_CASES / "seed-guangshui-labor-insurance-2020.json"
SEED_RAW = ROOT / "tests" / "fixtures" / "seed-raw-pdf.txt"


def _is_loopback(host: str) -> bool:
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


_real_connect = socket.socket.connect
_real_create_connection = socket.create_connection


def _guarded_connect(self, address):
    if isinstance(address, tuple) and not _is_loopback(str(address[0])):
        raise RuntimeError(f"tests must not reach non-loopback hosts: {address!r}")
    return _real_connect(self, address)


def _guarded_create_connection(address, *args, **kwargs):
    if not _is_loopback(str(address[0])):
        raise RuntimeError(f"tests must not reach non-loopback hosts: {address!r}")
    return _real_create_connection(address, *args, **kwargs)


@pytest.fixture(autouse=True, scope="session")
def _no_remote_network():
    socket.socket.connect = _guarded_connect  # type: ignore[method-assign]
    socket.create_connection = _guarded_create_connection  # type: ignore[assignment]
    yield
    socket.socket.connect = _real_connect  # type: ignore[method-assign]
    socket.create_connection = _real_create_connection  # type: ignore[assignment]


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch, tmp_path):
    """Tests never see the developer's model configuration or data directory."""
    for key in list(os.environ):
        if key.startswith(("ASSISTANT_", "OPENAI_")):
            monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ASSISTANT_ENV_FILE", str(tmp_path / "no.env"))
    monkeypatch.setenv("GRADIO_ANALYTICS_ENABLED", "False")
    yield


@pytest.fixture
def seed_path() -> Path:
    return SEED


@pytest.fixture(scope="session")
def postgres():
    """A PostgreSQL server for the session (tests/pg.py); skipped off CI when PostgreSQL isn't installed."""
    import os

    from .pg import PostgresServer

    try:
        import psycopg  # noqa: F401
        server = PostgresServer()
    except (ImportError, FileNotFoundError) as e:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is needed in CI: {e}")
        pytest.skip(f"PostgreSQL not available: {e}")
    yield server
    server.stop()
