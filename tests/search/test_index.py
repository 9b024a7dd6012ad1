"""Nearest-neighbour index: exact below the threshold, HNSW (usearch) above it; the approximate
results agree with exact search; the HNSW file is persisted next to the bank and rebuilt when
stale, missing or damaged."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from interview_coach.bank.store import Store
from interview_coach.search import index as index_mod
from interview_coach.search.engine import SearchEngine, cache_dir
from interview_coach.search.index import VectorIndex, open_index
from tests.conftest import Cli

MIN_RECALL = 0.98
SEED = 20250106


def _unit(x: np.ndarray) -> np.ndarray:
    return (x / np.linalg.norm(x, axis=-1, keepdims=True)).astype(np.float32)


def _recall(approx: np.ndarray, exact: np.ndarray) -> float:
    return float(np.mean([len(set(a.tolist()) & set(e.tolist())) / len(e) for a, e in zip(approx, exact, strict=True)]))


def _iid(rng: np.random.Generator, n: int, dim: int) -> np.ndarray:
    return _unit(rng.standard_normal((n, dim)))


def _clustered(rng: np.random.Generator, n: int, dim: int, clusters: int = 80) -> np.ndarray:
    """Unit vectors around a few random topics (cosine to the topic ~0.75), as embeddings are."""
    centres = _iid(rng, clusters, dim)
    return _unit(centres[rng.integers(0, clusters, n)] + 0.9 * rng.standard_normal((n, dim)) / np.sqrt(dim))


@pytest.fixture
def counted_builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many HNSW graphs were built (each entry: the number of vectors), around the real builder."""
    builds: list[int] = []
    real = index_mod._build_hnsw

    def build(vectors: np.ndarray) -> object:
        builds.append(len(vectors))
        return real(vectors)

    monkeypatch.setattr(index_mod, "_build_hnsw", build)
    return builds


def test_exact_below_the_threshold_and_hnsw_from_it() -> None:
    vecs = _iid(np.random.default_rng(SEED), 300, 16)
    assert open_index(vecs, None, "fp", approx_from=301).exact
    assert not open_index(vecs, None, "fp", approx_from=300).exact
    assert open_index(vecs[:10], None, "fp").exact  # the default threshold is far above


@pytest.mark.parametrize(("kind", "dim"), [("iid", 32), ("clustered", 384), ("clustered", 512)])
def test_hnsw_agrees_with_exact_search(kind: str, dim: int) -> None:
    rng = np.random.default_rng(SEED)
    make = _iid if kind == "iid" else _clustered
    drawn = make(rng, 4150, dim)  # queries from the same distribution as the data (held out) ...
    vecs, held_out = drawn[:4000], drawn[4000:]
    near = _unit(vecs[rng.integers(0, len(vecs), 50)] + 0.3 * rng.standard_normal((50, dim)) / np.sqrt(dim))
    queries = np.concatenate([held_out, near])  # ... and near-duplicates of stored vectors
    exact = open_index(vecs, None, "fp")
    approx = open_index(vecs, None, "fp", approx_from=1000)
    assert exact.exact and not approx.exact
    e_idx, e_sim = exact.search_many(queries, 10)
    a_idx, a_sim = approx.search_many(queries, 10)
    recall = _recall(a_idx, e_idx)
    one_by_one = _recall(np.array([approx.search(q, 10)[0] for q in queries]), e_idx)
    print(f"\nrecall@10 of HNSW vs exact, {len(vecs)} {kind} unit vectors of dim {dim}: "
          f"batch {recall:.4f}, single {one_by_one:.4f}")
    assert recall >= MIN_RECALL
    assert one_by_one >= MIN_RECALL
    # similarities are cosines, best first, and equal to the exact ones for the same rows
    assert np.all(np.diff(a_sim, axis=1) <= 1e-6)
    np.testing.assert_allclose(a_sim[:, 0], (vecs[a_idx[:, 0]] * queries).sum(axis=1), atol=1e-4)
    np.testing.assert_allclose(e_sim, np.take_along_axis(queries @ vecs.T, e_idx, axis=1), atol=1e-5)


def test_exact_search_edge_cases() -> None:
    vecs = _iid(np.random.default_rng(SEED), 20, 8)
    ix = VectorIndex(vecs)
    rows, sims = ix.search(vecs[3], 50)  # k above n: every row, best first
    assert len(rows) == 20 and rows[0] == 3 and sims[0] == pytest.approx(1.0, abs=1e-5)
    assert np.all(np.diff(sims) <= 1e-7)
    rows, sims = ix.search(vecs[3], 0)
    assert len(rows) == len(sims) == 0
    many, _ = ix.search_many(vecs[:5], 3)
    assert many[:, 0].tolist() == [0, 1, 2, 3, 4]
    assert [ix.search(v, 3)[0].tolist() for v in vecs[:5]] == many.tolist()
    empty = VectorIndex(np.zeros((0, 8), dtype=np.float32))
    assert len(empty.search(vecs[0], 5)[0]) == 0


def test_hnsw_is_persisted_reused_and_rebuilt_when_stale(tmp_path: Path, counted_builds: list[int]) -> None:
    rng = np.random.default_rng(SEED)
    vecs = _clustered(rng, 1500, 64)
    path = tmp_path / "bank.sqlite3.index" / "use-m3.usearch"
    q = vecs[7]

    first = open_index(vecs, path, "fp-1", approx_from=1000)
    assert counted_builds == [1500]
    assert path.is_file() and json.loads(path.with_suffix(".json").read_text()) == {"fingerprint": "fp-1",
                                                                                    "count": 1500}
    assert not list(path.parent.glob("*.part")), "no temporary file is left behind"

    again = open_index(vecs, path, "fp-1", approx_from=1000)
    assert counted_builds == [1500], "an up-to-date index file is loaded, not rebuilt"
    assert not again.exact
    assert again.search(q, 10)[0].tolist() == first.search(q, 10)[0].tolist()

    open_index(vecs, path, "fp-2", approx_from=1000)  # the bank's texts changed
    assert counted_builds == [1500, 1500]
    assert json.loads(path.with_suffix(".json").read_text())["fingerprint"] == "fp-2"

    more = np.concatenate([vecs, _clustered(rng, 10, 64)])
    open_index(more, path, "fp-2", approx_from=1000)  # same fingerprint, another count: stale too
    assert counted_builds == [1500, 1500, 1510]

    path.unlink()  # missing
    assert open_index(more, path, "fp-2", approx_from=1000).search(more[1505], 1)[0].tolist() == [1505]
    assert len(counted_builds) == 4 and path.is_file()


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty", "manifest"])
def test_a_damaged_index_file_is_rebuilt(tmp_path: Path, counted_builds: list[int], damage: str) -> None:
    vecs = _clustered(np.random.default_rng(SEED), 1200, 32)
    path = tmp_path / "x.usearch"
    open_index(vecs, path, "fp", approx_from=1000)
    data = path.read_bytes()
    if damage == "garbage":
        path.write_bytes(b"not an index" * 100)
    elif damage == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "empty":
        path.write_bytes(b"")
    else:
        path.with_suffix(".json").write_text("{not json")
    ix = open_index(vecs, path, "fp", approx_from=1000)
    assert len(counted_builds) == 2, "the damaged file was not rebuilt"
    assert not ix.exact
    assert ix.search(vecs[42], 1)[0].tolist() == [42]
    assert path.read_bytes() != b"" and json.loads(path.with_suffix(".json").read_text())["fingerprint"] == "fp"


def test_engine_uses_hnsw_above_the_threshold_with_the_same_results(seed_copy: Path, counted_builds: list[int],
                                                                    cli: Cli, tmp_path: Path) -> None:
    queries = ["What is mode collapse in GANs?", "如何评估大语言模型的幻觉？", "自注意力機制如何運作？",
               "gradient clipping", "LoRA 低秩适配的原理", "beam search vs greedy decoding"]
    with Store.open(seed_copy) as store:
        exact = SearchEngine.build(store, names=["use"])
        approx = SearchEngine.build(store, names=["use"], approx_from=100)
        assert exact.indexes[0].exact and not approx.indexes[0].exact
        assert len(exact.corpus) > 100
        index_file = cache_dir(store) / "use-m3.usearch"  # type: ignore[operator]
        assert index_file.is_file(), "the HNSW index is persisted next to the bank"
        if not str(seed_copy).startswith("postgresql"):  # a server database keeps it under the data folder
            assert index_file.parent == Path(str(seed_copy) + ".index")
        for q in queries:
            # HNSW is approximate: the best hit must agree, and the top 5 nearly (a query the
            # bank has no answer for, like LoRA here, ranks noise whose order may differ)
            a = [(h.question_id, h.text) for h in approx.search(q, k=5)]
            e = [(h.question_id, h.text) for h in exact.search(q, k=5)]
            assert a[0] == e[0], q
            assert len(set(a) & set(e)) >= 4, (q, a, e)
        builds = len(counted_builds)
        SearchEngine.build(store, names=["use"], approx_from=100)
        assert len(counted_builds) == builds, "a second engine reuses the persisted index"
    # a changed bank (one more document) changes the fingerprint: the index is rebuilt
    doc = tmp_path / "extra.md"
    doc.write_text("# Extra\n\n1. What is speculative decoding and why is it faster?\n", encoding="utf-8")
    cli.db = seed_copy
    assert cli("ingest", doc).exit_code == 0
    with Store.open(seed_copy) as store:
        rebuilt = SearchEngine.build(store, names=["use"], approx_from=100)
        assert len(counted_builds) == builds + 1
        hits = rebuilt.search("speculative decoding", k=1)
    assert hits and "speculative decoding" in hits[0].text
