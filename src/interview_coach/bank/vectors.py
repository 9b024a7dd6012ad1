"""The embedding cache: vectors by (model id, content hash), shared by the whole team."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sqlalchemy import Connection, select

from .database import upsert
from .schema import embeddings


def cached(conn: Connection, model_id: str, hashes: Sequence[str]) -> dict[str, np.ndarray]:
    out: dict[str, np.ndarray] = {}
    unique = list(dict.fromkeys(hashes))
    for i in range(0, len(unique), 900):
        part = unique[i:i + 900]
        rows = conn.execute(select(embeddings.c.content_hash, embeddings.c.vector)
                            .where(embeddings.c.model_id == model_id, embeddings.c.content_hash.in_(part)))
        for h, blob in rows:
            out[str(h)] = np.frombuffer(blob, dtype=np.float32)  # type: ignore[call-overload]
    return out


def put(conn: Connection, model_id: str, rows: Sequence[tuple[str, np.ndarray]]) -> None:
    values = []
    for h, v in rows:
        vec = np.ascontiguousarray(v, dtype=np.float32)
        values.append({"model_id": model_id, "content_hash": h, "dim": int(vec.shape[0]), "vector": vec.tobytes()})
    upsert(conn, embeddings, values, ["model_id", "content_hash"])
