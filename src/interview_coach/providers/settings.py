"""``providers.toml`` in the user data directory: embedding endpoints configured without code.

    [embeddings.local-e5]
    base_url = "http://127.0.0.1:8089/v1"   # required
    model = "e5-query"                      # required
    api_key_env = "OPENAI_API_KEY"          # optional: the variable holding the key, never the key
    query_input_type = "query"              # optional: sent as input_type for queries
    passage_input_type = "passage"          # optional: sent as input_type for passages
    dim = 384                               # optional: checked against what the endpoint returns
    timeout = 60                            # optional, seconds
    batch_size = 32                         # optional, texts per request

Tables other than ``[embeddings.*]`` are left to other readers. Every problem in the file is
collected and reported at once, each naming the file, the table and the key.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from interview_coach.config import data_dir
from interview_coach.errors import ConfigError

from .endpoint import DEFAULT_TIMEOUT, EndpointSpec

FILE_NAME = "providers.toml"
SECTION = "embeddings"
_REQUIRED = ("base_url", "model")
_OPTIONAL_STR = ("api_key_env", "query_input_type", "passage_input_type")
_POSITIVE_INT = ("dim", "batch_size")
_KEYS = (*_REQUIRED, *_OPTIONAL_STR, *_POSITIVE_INT, "timeout")
_SECRETS = ("api_key", "key", "token", "secret", "password")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


def settings_path() -> Path:
    return data_dir() / FILE_NAME


def read_endpoints(path: Path | None = None) -> dict[str, EndpointSpec]:
    """The endpoints configured in ``path`` (default: the data dir's providers.toml); {} if absent."""
    path = path or settings_path()
    if not path.is_file():
        return {}
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot be read: {exc}") from exc
    section = raw.get(SECTION, {})
    if not isinstance(section, dict):
        raise ConfigError(f"{path}: '{SECTION}' must be a table of [{SECTION}.NAME] tables")
    problems: list[str] = []
    specs: dict[str, EndpointSpec] = {}
    for name, table in section.items():
        where = f"[{SECTION}.{name}]"
        if not isinstance(table, dict):
            problems.append(f"{where} must be a table with at least base_url and model")
            continue
        found = _problems(name, table)
        problems.extend(f"{where} {p}" for p in found)
        if not found:
            specs[name] = _spec(name, table, path)
    if problems:
        raise ConfigError(f"{path}: " + "; ".join(problems))
    return specs


def _problems(name: str, table: dict[str, Any]) -> list[str]:
    problems = []
    if not _NAME.match(name):
        problems.append("has a bad name: use letters, digits, '-', '_' or '.'")
    for key in _REQUIRED:
        if key not in table:
            problems.append(f"missing key '{key}'")
    for key, value in table.items():
        if key in _SECRETS:
            problems.append(f"'{key}': secrets must not be stored in this file; put the key in an environment "
                            "variable and name that variable with api_key_env")
        elif key not in _KEYS:
            problems.append(f"unknown key '{key}' (known: {', '.join(_KEYS)})")
        elif key in _REQUIRED or key in _OPTIONAL_STR:
            if not isinstance(value, str) or not value.strip():
                problems.append(f"'{key}' must be a non-empty string")
        elif key in _POSITIVE_INT:
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                problems.append(f"'{key}' must be a positive integer")
        elif key == "timeout":
            if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
                problems.append("'timeout' must be a positive number of seconds")
    url = table.get("base_url")
    if isinstance(url, str) and url.strip() and not url.startswith(("http://", "https://")):
        problems.append("'base_url' must start with http:// or https://")
    return problems


def _spec(name: str, table: dict[str, Any], path: Path) -> EndpointSpec:
    return EndpointSpec(
        name=name,
        base_url=table["base_url"].strip(),
        model=table["model"],
        api_key_env=table.get("api_key_env"),
        query_input_type=table.get("query_input_type"),
        passage_input_type=table.get("passage_input_type"),
        dim=table.get("dim"),
        timeout=float(table.get("timeout", DEFAULT_TIMEOUT)),
        batch_size=table.get("batch_size", 32),
        source=str(path),
    )
