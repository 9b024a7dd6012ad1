"""Where the user's data lives: one directory, overridable by INTERVIEW_COACH_HOME."""

from __future__ import annotations

import os
from pathlib import Path

ENV_HOME = "INTERVIEW_COACH_HOME"
ENV_DB = "INTERVIEW_COACH_DB"


def data_dir() -> Path:
    if os.environ.get(ENV_HOME):
        return Path(os.environ[ENV_HOME]).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "interview-coach"


def default_db() -> str:
    """The bank file or server URL to use when none is named."""
    if os.environ.get(ENV_DB):
        return os.environ[ENV_DB]
    return str(data_dir() / "bank.sqlite3")


def sample_bank_dir() -> Path:
    return Path(__file__).parent / "sample_bank"
