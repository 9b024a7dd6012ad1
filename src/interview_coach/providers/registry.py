"""Finding embedding models by name.

Two sources, nothing hard-coded:

* Python classes registered as setuptools entry points in the group
  ``interview_coach.embedding_models`` (``name = "package.module:Class"``). The built-ins ``e5``
  and ``use`` are registered there exactly as a third-party plugin would be.
* OpenAI-compatible endpoints configured in ``providers.toml`` in the user data directory
  (see :mod:`interview_coach.providers.settings`).

``load(name)`` returns one shared instance per name (and per endpoint settings: editing the
file takes effect on the next ``load``). Entry points are scanned once per process.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import lru_cache
from importlib.metadata import EntryPoint, entry_points

from interview_coach.errors import ConfigError

from .base import EmbeddingModel
from .endpoint import EndpointModel, EndpointSpec
from .settings import read_endpoints, settings_path

GROUP = "interview_coach.embedding_models"
DEFAULT = "e5"

_cache: dict[object, EmbeddingModel] = {}
_lock = threading.Lock()


def available() -> dict[str, str]:
    """Every model name that ``load`` accepts, with a one-line description of it and its source."""
    plugins = _plugins()
    endpoints = _endpoints(plugins)
    names: dict[str, str] = {name: _describe(ep) for name, ep in plugins.items()}
    for name, spec in endpoints.items():
        names[name] = f"endpoint: {spec.model} at {spec.base_url} ({spec.source})"
    return names


def load(name: str = DEFAULT) -> EmbeddingModel:
    """The embedding model called ``name``; ConfigError if there is none or it cannot be built."""
    plugins = _plugins()
    if name in plugins:
        ep = plugins[name]
        return _cached(("plugin", name, ep.value), lambda: _instantiate(name, ep))
    endpoints = _endpoints(plugins)
    if name in endpoints:
        spec = endpoints[name]
        return _cached(("endpoint", spec), lambda: EndpointModel(spec))
    known = ", ".join(sorted(plugins) + sorted(endpoints)) or "none"
    raise ConfigError(
        f"unknown embedding model {name!r}; available: {known} "
        f"(endpoints are configured in {settings_path()})"
    )


def clear_cache() -> None:
    """Forget loaded models (closing endpoint connections) and the entry-point scan."""
    _plugins.cache_clear()
    with _lock:
        models = list(_cache.values())
        _cache.clear()
    for model in models:
        if isinstance(model, EndpointModel):
            model.close()


@lru_cache(maxsize=1)
def _plugins() -> dict[str, EntryPoint]:
    """Installed entry points, scanned once per process (a scan costs several ms)."""
    found: dict[str, EntryPoint] = {}
    for ep in entry_points(group=GROUP):
        found.setdefault(ep.name, ep)
    return found


def _endpoints(plugins: dict[str, EntryPoint]) -> dict[str, EndpointSpec]:
    endpoints = read_endpoints()
    clashes = sorted(set(endpoints) & set(plugins))
    if clashes:
        raise ConfigError(
            f"{settings_path()}: [embeddings.{clashes[0]}] uses the name of an installed model "
            f"({', '.join(clashes)}); rename the table"
        )
    return endpoints


def _cached(key: object, build: Callable[[], EmbeddingModel]) -> EmbeddingModel:
    with _lock:
        model = _cache.get(key)
        if model is None:
            model = build()
            _cache[key] = model
        return model


def _instantiate(name: str, ep: EntryPoint) -> EmbeddingModel:
    try:
        model = ep.load()()
    except Exception as exc:  # a broken plugin must not look like a crash of ours
        raise ConfigError(f"embedding model {name!r} ({ep.value}) cannot be loaded: {exc}") from exc
    if not isinstance(model, EmbeddingModel):
        raise ConfigError(f"embedding model {name!r} ({ep.value}) is not an EmbeddingModel")
    return model


def _describe(ep: EntryPoint) -> str:
    try:
        cls = ep.load()
    except Exception as exc:
        return f"cannot be loaded: {exc} ({ep.value})"
    text = getattr(cls, "description", "") or (cls.__doc__ or "").strip().split("\n")[0]
    return f"{text} ({ep.value})" if text else ep.value
