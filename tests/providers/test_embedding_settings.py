"""providers.toml: every problem is reported at once, naming the file, the table and the key."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from interview_coach.errors import ConfigError
from interview_coach.providers import registry
from interview_coach.providers.settings import read_endpoints, settings_path

Settings = Callable[[str], Path]


def test_no_file_means_no_endpoints(coach_home: Path) -> None:
    assert settings_path() == coach_home / "providers.toml"
    assert read_endpoints() == {}


def test_a_full_table(write_settings: Settings) -> None:
    path = write_settings(
        '[embeddings.openai]\nbase_url = "https://api.example.com/v1/"\nmodel = "text-embedding-3-small"\n'
        'api_key_env = "OPENAI_API_KEY"\nquery_input_type = "query"\npassage_input_type = "document"\n'
        "dim = 1536\ntimeout = 20\nbatch_size = 100\n\n[llm.other]\nanything = 1\n"
    )
    spec = read_endpoints()["openai"]
    assert spec.url == "https://api.example.com/v1/embeddings"
    assert (spec.api_key_env, spec.query_input_type, spec.passage_input_type) == ("OPENAI_API_KEY", "query", "document")
    assert (spec.dim, spec.timeout, spec.batch_size, spec.source) == (1536, 20.0, 100, str(path))


def test_malformed_toml(write_settings: Settings) -> None:
    path = write_settings('[embeddings.broken\nbase_url = "http://x"\n')
    with pytest.raises(ConfigError) as err:
        registry.load("broken")
    assert str(path) in str(err.value) and "not valid TOML" in str(err.value)
    with pytest.raises(ConfigError):
        registry.available()


def test_missing_keys_are_named(write_settings: Settings) -> None:
    path = write_settings('[embeddings.half]\nbase_url = "http://127.0.0.1:1/v1"\n')
    with pytest.raises(ConfigError) as err:
        registry.load("half")
    assert str(path) in str(err.value) and "[embeddings.half] missing key 'model'" in str(err.value)


def test_every_problem_is_reported_at_once(write_settings: Settings) -> None:
    write_settings(
        '[embeddings.a]\nbase_url = "127.0.0.1:8089"\nmodel = ""\napi_key = "sk-secret"\n'
        '[embeddings.b]\nbase_url = "http://x/v1"\nmodel = "m"\ndim = "384"\nbatchsize = 8\ntimeout = -1\n'
    )
    with pytest.raises(ConfigError) as err:
        read_endpoints()
    message = str(err.value)
    for fragment in (
        "[embeddings.a] 'model' must be a non-empty string",
        "[embeddings.a] 'base_url' must start with http:// or https://",
        "[embeddings.a] 'api_key': secrets must not be stored in this file",
        "[embeddings.b] 'dim' must be a positive integer",
        "[embeddings.b] unknown key 'batchsize'",
        "[embeddings.b] 'timeout' must be a positive number",
    ):
        assert fragment in message
    assert "sk-secret" not in message


def test_table_that_is_not_a_table(write_settings: Settings) -> None:
    write_settings('[embeddings]\nlocal = "http://127.0.0.1:8089/v1"\n')
    with pytest.raises(ConfigError, match=r"\[embeddings.local\] must be a table"):
        read_endpoints()
