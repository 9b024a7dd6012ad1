"""Job profiles for the user of a store: add one from a description, edit its topics, print it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import numpy as np

from ..bank.profiles import JobRow
from ..bank.store import Store
from ..errors import InvalidInput
from ..providers import registry
from .profile import Embed, Profile, extract
from .taxonomy import load

EMBED_MODEL = "use"  # fast on many short lines, multilingual; see profile.py


def embedder(name: str = EMBED_MODEL) -> Embed:
    model = registry.load(name)

    def embed(texts: Sequence[str]) -> np.ndarray:
        return model.embed(list(texts), "query")

    return embed


def check_date(text: str | None) -> str | None:
    if text is None or not str(text).strip():
        return None
    try:
        return date.fromisoformat(str(text).strip()).isoformat()
    except ValueError:
        raise InvalidInput([f"--date {text!r}: expected YYYY-MM-DD"]) from None


def add(store: Store, text: str, *, title: str | None = None, interview_date: str | None = None,
        url: str | None = None, embed: Embed | None = None) -> tuple[JobRow, Profile]:
    """Extract the profile of a description and store it for the user; the URL is kept, never fetched."""
    when = check_date(interview_date)
    prof = extract(text, title=title.strip() if title and title.strip() else None,
                   embed=embed if embed is not None else embedder())
    job_id = store.profiles.add(title=prof.title, description=text, url=url or None, interview_date=when, lang=prof.lang,
                                unmatched=prof.unmatched, notes=prof.notes, topics=[t.as_json() for t in prof.topics])
    return store.profiles.get(job_id), prof


def edit(store: Store, job_id: int, *, add: Sequence[str] = (), remove: Sequence[str] = (), must: Sequence[str] = (),
         nice: Sequence[str] = (), title: str | None = None, interview_date: str | None = None) -> JobRow:
    """Add or remove topics (ids, names or aliases), mark topics must-have or nice-to-have, set title or date."""
    tax = load()
    job = store.profiles.get(job_id)
    present = {t.topic: t for t in job.topics}
    problems: list[str] = []
    resolved: dict[str, list[str]] = {}
    for what, names in (("add", add), ("remove", remove), ("must", must), ("nice", nice)):
        resolved[what] = []
        for name in names:
            try:
                resolved[what].append(tax.resolve(name))
            except InvalidInput as e:
                problems.extend(e.problems)
    for tid in resolved["remove"]:
        if tid not in present:
            problems.append(f"topic {tid} is not in job {job_id}")
    if problems:
        raise InvalidInput(problems)
    with store.writing():
        fields: dict[str, Any] = {}
        if title is not None and title.strip():
            fields["title"] = title.strip()
        if interview_date is not None:
            fields["interview_date"] = check_date(interview_date)
        if fields:
            store.profiles.update(job_id, **fields)
        for tid in resolved["remove"]:
            store.profiles.remove_topic(job_id, tid)
        for tid in resolved["add"]:
            store.profiles.set_topic(job_id, tid, present[tid].must_have if tid in present else True)
        for tid in resolved["must"]:
            store.profiles.set_topic(job_id, tid, True)
        for tid in resolved["nice"]:
            store.profiles.set_topic(job_id, tid, False)
    return store.profiles.get(job_id)


def as_json(job: JobRow) -> dict[str, Any]:
    """The profile as `coach job add/show --json` prints it."""
    tax = load()
    return {
        "id": job.id, "title": job.title, "interview_date": job.interview_date, "url": job.url, "lang": job.lang,
        "topics": [{"topic": t.topic, "name": tax.get(t.topic).name if t.topic in tax.topics else t.topic,
                    "must_have": t.must_have, "evidence": t.evidence, "origin": t.origin,
                    "score": None if t.score is None else round(t.score, 3)} for t in job.topics],
        "unmatched": job.unmatched, "notes": job.notes, "created_at": job.created_at,
    }


__all__ = ["add", "as_json", "check_date", "edit", "embedder"]
