"""`coach search`, `coach related`, `coach glossary` on the real seed bank, through the real CLI."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Cli

from .conftest import SeedBank


@pytest.fixture
def seed_cli(cli: Cli, seed_copy: Path) -> Cli:
    cli.db = seed_copy
    return cli


def _gold_item(seed_bank: SeedBank, doc: str, words: str) -> str:
    gid = next(g["id"] for g in seed_bank.gold.values() if g["doc"] == doc and words in g["question"].lower())
    return seed_bank.item_of(gid).question_id


@pytest.mark.parametrize("query", [
    "What is mode collapse in GANs and how can it be avoided?",
    "什么是GAN中的模式崩溃？如何缓解？",
    "什麼是GAN中的模式崩潰？如何緩解？",
])
def test_search_json_in_english_simplified_and_traditional(seed_cli: Cli, seed_bank: SeedBank, query: str) -> None:
    hits = seed_cli.json("search", query, "-k", "5")
    assert 0 < len(hits) <= 5
    for h in hits:
        assert isinstance(h["question_id"], str) and h["question_id"].startswith("q")
        assert isinstance(h["score"], float)
        assert isinstance(h["text"], str) and h["text"]
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)
    assert len({h["question_id"] for h in hits}) == len(hits)
    assert hits[0]["question_id"] == _gold_item(seed_bank, "001", "mode collapse"), hits[0]
    assert "GAN" in hits[0]["text"]


def test_search_json_with_filters(seed_cli: Cli) -> None:
    hits = seed_cli.json("search", "attention", "--lang", "zh-Hant", "-k", "4")
    assert hits and all(h["lang"] == "zh-Hant" for h in hits)
    hits = seed_cli.json("search", "attention", "--source", "003_", "-k", "4")
    assert hits and all("003_" in h["source"] for h in hits)


def test_search_for_people_prints_ranked_lines(seed_cli: Cli) -> None:
    result = seed_cli("search", "gradient clipping", "-k", "3")
    assert result.exit_code == 0
    lines = [ln for ln in result.stdout.splitlines() if ln.strip()]
    assert len(lines) == 3 and lines[0].lstrip().startswith("1.")
    assert "gradient clipping" in result.stdout.lower()


def test_bad_lang_is_a_clear_error(seed_cli: Cli) -> None:
    result = seed_cli("search", "attention", "--lang", "fr")
    assert result.exit_code == 2
    assert "--lang" in result.output and "zh-Hant" in result.output


def test_related_lists_other_questions_on_the_topic(seed_cli: Cli, seed_bank: SeedBank) -> None:
    qid = _gold_item(seed_bank, "001", "mode collapse")
    rows = seed_cli.json("related", qid, "-k", "5")
    assert 0 < len(rows) <= 5
    assert all(r["question_id"] != qid and r["text"] and 0 < r["similarity"] <= 1.0001 for r in rows)
    # an item id is accepted too, and gives the same answer
    item = seed_bank.item_of(next(g for g in seed_bank.groups if any(
        seed_bank.items.get(i) and seed_bank.items[i].question_id == qid for i in g))[0])
    assert seed_cli.json("related", item.item_id, "-k", "5") == rows
    missing = seed_cli("related", "q_no_such")
    assert missing.exit_code == 3 and "q_no_such" in missing.output


def test_glossary_finds_term_pairs_from_the_bank(seed_cli: Cli) -> None:
    pairs = seed_cli.json("glossary", "gradient")
    assert pairs, "no glossary pair for 'gradient' in the seed bank"
    for p in pairs:
        assert "gradient" in p["en"].lower()
        assert p["zh"] and p["count"] >= 1 and p["source"] in ("gloss", "aligned")
    assert any("梯度" in p["zh"] for p in pairs)
    chinese = seed_cli.json("glossary", "梯度")
    assert chinese and all("梯度" in p["zh"] for p in chinese)
    assert seed_cli("glossary", "gradient").exit_code == 0
    nothing = seed_cli("glossary", "zzqx-no-such-term")
    assert nothing.exit_code == 0 and "no glossary terms" in nothing.stdout


def test_search_on_an_empty_bank_finds_nothing(cli: Cli) -> None:
    assert cli.json("search", "attention") == []
    result = cli("search", "attention")
    assert result.exit_code == 0 and "no matches" in result.stdout
