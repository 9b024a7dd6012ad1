"""A bilingual (English ↔ Chinese) glossary mined from the bank's own texts.

Two sources of evidence:

* **Inline glosses** — a Chinese term followed by its English name in parentheses,
  full- or half-width: ``梯度裁剪（gradient clipping）``. The Chinese side is cut from the
  run of Chinese characters before the parenthesis: it is segmented with jieba and words
  are taken from the right while they are not function words (的, 是, 使用, 通过, 例如…)
  and the term stays short (8 characters, more for long English names).
* **Aligned translations** — pairs of texts known to say the same thing (an English line
  and its Chinese line). English 1–3-word phrases and Chinese words/compounds that keep
  appearing in the same pairs are linked (Dice coefficient + competitive linking).

`expand(query, pairs)` appends the counterparts of the glossary terms found in a query, so
that lexical search can match a Chinese document from an English query and vice versa.

Everything here is pure: texts in, pairs out.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from interview_coach.text.normalize import key as text_key
from interview_coach.text.script import to_simplified

from .tokenize import CJK_RUN, EN_STOPWORDS, ZH_STOPWORDS, fold, fold_plural, segment

Source = Literal["gloss", "aligned"]


@dataclass(frozen=True)
class TermPair:
    """An English term and its Chinese counterpart.

    `zh` is folded to simplified; `zh_original` is the form seen most often (possibly
    traditional). `count` is the number of occurrences (glosses) or of linked translation
    pairs (aligned) supporting it.
    """

    en: str
    zh: str
    count: int
    source: Source
    zh_original: str = ""


# ---------------------------------------------------------------------------------------
# shared helpers

# Words that end a Chinese term when met walking left from the parenthesis: function
# words, question and instruction verbs, determiners and vague modifiers. (上/下 are search
# stopwords but start terms: 下一句预测, 上下文.)
BOUNDARY_WORDS: frozenset[str] = (ZH_STOPWORDS - {"上", "下"}) | frozenset(
    """
    使用 利用 采用 应用 通过 基于 借助 根据 按照 关于 针对 用于 用 叫 叫做 称 称为 称作 被称为 所谓 也叫 又称
    就是 也就是 即是 包括 包含 比如说 譬如 以下 如下 这里 主要 常见 常用 经典 典型 传统 现代 不同 各种 所有
    任何 每个 相关 理解 讨论 比较 列举 分析 概述 定义 举例 说 提到 提出 引入 实现 解决 了解 知道 熟悉 掌握
    避免 防止 进行 容易 受到 像是 需要 帮助 使得 导致 确保 提高 降低 减少 增加 考虑 较 较小 较大 直接 依赖
    依靠 经过 作为 从而 于 结合 查阅 尝试 试试 试 先 看 先看 再 已 已经 正在 将会 可能 一般 通常 往往
    分为 分成 属于 称之为 叫作 看作 视为 当作
    到 向 跟 同 之间 当 时 后 前 来 去 个 次 是什么 什么样 还是 以及其 它的 其的
    """.split()
)
_CONJ_ZH = frozenset({"和", "与", "及", "或"})
_NAME_PAIR = re.compile(r"\b[A-Z][a-z]+-[A-Z][a-z]+\b")
_CONJ_EN = re.compile(r"\b(?:and|or)\b|&", re.IGNORECASE)

_EN_SPLIT = re.compile(r"[a-z0-9]+(?:[+.#][a-z0-9]+)*(?:\+\+|#)?")


def en_key(term: str) -> tuple[str, ...]:
    """Case-, width-, hyphen- and plural-insensitive key: "Self-Attention" == "self attention"."""
    text = unicodedata.normalize("NFKC", term).lower().replace("_", " ").replace("-", " ")
    return tuple(fold_plural(w) for w in _EN_SPLIT.findall(text))


def _pick(counter: Counter[str]) -> str:
    """Most frequent form; ties go to the first seen (Counter keeps insertion order)."""
    return max(counter, key=lambda form: counter[form])


# ---------------------------------------------------------------------------------------
# (a) inline glosses

_GLOSS = re.compile(
    rf"(?P<zh>{CJK_RUN.pattern}(?:[-‐–·]{CJK_RUN.pattern})*)"  # Chinese before the parenthesis
    r"[ \t*_`」』”\"']{0,4}"                                      # spaces, emphasis, closing quotes
    r"[（(](?P<inner>[^()（）\n]{1,80})[)）]"
)
# A Latin word glued to the Chinese run: "F1分数（F1 Score）", "16位整数（int16）".
_LATIN_PREFIX = re.compile(r"([A-Za-z0-9][A-Za-z0-9.+#\-]*)( ?)$")
_TERM = re.compile(r"[A-Za-z][A-Za-z0-9+#.&'_ \-]*[A-Za-z0-9+#]|[A-Za-z][A-Za-z0-9+#]")
_NOT_TERM_START = re.compile(
    r"^(?:e\.g|i\.e|eg|ie|see|cf|etc|vs|note|optional|ref|fig|figure|table|in|for)(?:[.:\s]|$)", re.IGNORECASE
)
MAX_ZH_CHARS = 8
MAX_EN_WORDS = 6


def _clean_term(text: str) -> str | None:
    """The English term inside a parenthesis, or None when it is not one."""
    term = " ".join(text.strip().strip("`*_\"'“”‘’").split())
    if not term or CJK_RUN.search(term) or "://" in term or term.lower().startswith("www."):
        return None
    if not _TERM.fullmatch(term) or _NOT_TERM_START.match(term) or term.endswith("."):
        return None
    words = term.split()
    if len(words) > MAX_EN_WORDS or sum(c.isalpha() for c in term) < 2:
        return None
    lowered = [w.lower() for w in words]
    if lowered[0] in EN_STOPWORDS or lowered[-1] in EN_STOPWORDS:
        return None
    if len(words) >= 3 and 3 * sum(w in EN_STOPWORDS for w in lowered) > len(words):
        return None  # reads like a phrase of prose ("from left to right"), not a name
    return term


def _inner_terms(inner: str) -> list[str]:
    """Terms in a parenthesis: one, or a name and its acronym ("Language Model, LM")."""
    parts = re.split(r"\s*[,;，；]\s*", inner.strip())
    if len(parts) == 1:
        term = _clean_term(parts[0])
        return [term] if term else []
    if len(parts) == 2:
        terms = [_clean_term(p) for p in parts]
        if all(terms) and any(t.replace("s", "").isupper() and len(t) <= 6 for t in terms if t):
            return [t for t in terms if t]
    return []


def _zh_term(run: str, en: str) -> tuple[str, str] | None:
    """The Chinese term, as (simplified, original), at the end of `run` for English `en`."""
    folded = to_simplified(run)
    words = segment(folded)
    if not words or words[-1] in BOUNDARY_WORDS:
        return None
    n_en = max(1, sum(w not in EN_STOPWORDS for w in en_key(en)))
    limit = min(12, max(MAX_ZH_CHARS, 3 * n_en))
    # "和/与/及/或" may sit inside the term when the English has "and"/"or" or joins two
    # names with a hyphen: "图片与文本对齐 (Image-Text Alignment)".
    conj_budget = len(_CONJ_EN.findall(en)) + len(_NAME_PAIR.findall(en))
    chosen = [words[-1]]
    size = len(words[-1])
    for word in reversed(words[:-1]):
        if word in _CONJ_ZH and conj_budget > 0:
            conj_budget -= 1
        elif word in BOUNDARY_WORDS:
            break
        if size + len(word) > limit:
            break
        chosen.append(word)
        size += len(word)
    while chosen[-1] in BOUNDARY_WORDS or chosen[-1] in _CONJ_ZH:  # never the head: checked above
        size -= len(chosen.pop())
    zh = folded[len(folded) - size:]
    return zh, (run[len(run) - size:] if len(run) == len(folded) else zh)


def glosses(text: str) -> list[tuple[str, str, str]]:
    """Every inline gloss in `text` as (english, chinese simplified, chinese as written)."""
    found: list[tuple[str, str, str]] = []
    for m in _GLOSS.finditer(text):
        run = m.group("zh")
        for en in _inner_terms(m.group("inner")):
            term = _zh_term(run, en)
            if term is None:
                continue
            zh, original = term
            prefix = _LATIN_PREFIX.search(text, max(0, m.start() - 40), m.start())
            if prefix and len(zh) == len(run):
                # A Latin word glued to the whole run: part of the term when the English name
                # starts with it ("F1分数 (F1 Score)"), else the run is only part of a term
                # ("16位整数 (int16)").
                if en.split()[0].lower() != prefix.group(1).lower():
                    continue
                zh, original = prefix.group() + zh, prefix.group() + original
            # A term shorter than its English name has words is a clipped heading, not a gloss:
            # "问题 (Common Interview Questions)".
            if len(zh.replace(" ", "")) < max(2, len(en_key(en))):
                continue
            found.append((en, zh, original))
    return found


# ---------------------------------------------------------------------------------------
# (b) aligned translations

# Tuned on generated translation pairs (12 question templates × 40 planted term pairs, half
# with one of 10 context clauses; 40, 100 and 400 pairs, 5 seeds each). At support >= 2 and
# Dice >= 0.6, 95% / 98% / 100% of the mined pairs were right (whole or part of a planted
# pair) and 91% / 94% / 98% of the planted terms seen at least twice were found; the misses
# are mostly terms with a stopword inside ("chain of thought"). Dice >= 0.4 let in pairs such
# as "learning rate ↔ 率中"; >= 0.8 started to lose planted terms (96% on 400 pairs); support
# >= 3 cut recall on 40 pairs from 91% to 34%. The wrong pairs left on small sets are a
# template word glued to a term ("Compare weight decay ↔ 方面比较权重") that occurred
# together by chance two or three times.
MIN_SUPPORT = 2
MIN_DICE = 0.6
MIN_COHESION = 0.5
_CLAUSE = re.compile(r"[,.;:!?()\[\]{}\"“”]+")


Key = tuple[str, ...] | str  # an English term key or a simplified Chinese term


@dataclass
class _Side:
    keys: dict[Key, set[int]]        # candidate → token positions it covers
    forms: dict[Key, str]            # candidate → surface form in this text
    parts: dict[Key, tuple[Key, ...]]  # multi-word candidate → its words
    size: int = 0                      # number of token positions in the text


def _en_candidates(text: str) -> _Side:
    keys: dict[Key, set[int]] = defaultdict(set)
    forms: dict[Key, str] = {}
    parts: dict[Key, tuple[Key, ...]] = {}
    pos = 0
    norm = unicodedata.normalize("NFKC", text)
    for clause in _CLAUSE.split(norm):
        words = re.findall(r"[A-Za-z][A-Za-z0-9+#]*(?:-[A-Za-z0-9]+)*", clause)
        for i in range(len(words)):
            for n in (1, 2, 3):
                gram = words[i:i + n]
                if len(gram) < n or any(w.lower() in EN_STOPWORDS for w in gram):
                    break
                if n == 1 and len(gram[0]) < 2:
                    continue
                key = en_key(" ".join(gram))
                keys[key].update(range(pos + i, pos + i + n))
                forms.setdefault(key, " ".join(gram))
                if n > 1:
                    parts[key] = tuple(en_key(w) for w in gram)
        pos += len(words)
    return _Side(dict(keys), forms, parts, pos)


def _zh_candidates(text: str) -> _Side:
    keys: dict[Key, set[int]] = defaultdict(set)
    forms: dict[Key, str] = {}
    parts: dict[Key, tuple[Key, ...]] = {}
    folded = fold(text)
    same_length = len(folded) == len(text)
    pos = 0
    for m in CJK_RUN.finditer(folded):
        words = segment(m.group())
        starts = [m.start()]
        for w in words:
            starts.append(starts[-1] + len(w))
        for i in range(len(words)):
            for n in (1, 2, 3):
                gram = words[i:i + n]
                if len(gram) < n:
                    break
                term = "".join(gram)
                if len(term) < 2 or gram[0] in BOUNDARY_WORDS or gram[-1] in BOUNDARY_WORDS:
                    continue
                if n > 1 and any(w in ZH_STOPWORDS for w in gram):
                    break  # "什么时候应该避免" is a phrase, not a term
                if n > 1 and len(term) > MAX_ZH_CHARS:
                    break
                keys[term].update(range(pos + i, pos + i + n))
                lo, hi = starts[i], starts[i + n]
                forms.setdefault(term, text[lo:hi] if same_length else term)
                if n > 1:
                    parts[term] = tuple(gram)
        pos += len(words)
    return _Side(dict(keys), forms, parts, pos)


def _inside(short: Key, long: Key) -> bool:
    """`short` is a proper contiguous part of `long` (words of a key, characters of a term)."""
    n = len(short)
    return n < len(long) and any(long[i:i + n] == short for i in range(len(long) - n + 1))


def align(aligned: Iterable[tuple[str, str]], *, min_support: int = MIN_SUPPORT,
          min_dice: float = MIN_DICE) -> list[TermPair]:
    """Term pairs linked across (english, chinese) translation pairs."""
    sides: list[tuple[_Side, _Side]] = []
    df_en: Counter[Key] = Counter()
    df_zh: Counter[Key] = Counter()
    seen: set[tuple[str, str]] = set()
    for en_text, zh_text in aligned:
        # The same translation pair copied into several files is one piece of evidence, not
        # several: counted twice, every word pair in it would look like a term.
        pair_key = (text_key(en_text), text_key(zh_text))
        if pair_key in seen:
            continue
        seen.add(pair_key)
        en, zh = _en_candidates(en_text), _zh_candidates(zh_text)
        # English words printed in the Chinese line too (GAN, Transformer) are shared, not translated.
        shared = set(en_key(" ".join(re.findall(r"[A-Za-z][A-Za-z0-9+#-]*", zh_text))))
        for key in [k for k in en.keys if set(k) <= shared]:
            del en.keys[key]
        sides.append((en, zh))
        df_en.update(list(en.keys))
        df_zh.update(list(zh.keys))

    def cohesive(key: Key, parts: tuple[Key, ...] | None, df: Counter[Key]) -> bool:
        # A multi-word candidate must mostly occur as a unit: "mixed precision" occurs about as
        # often as "precision", "avoid temperature" far less often than "temperature". One whose
        # parts are not all candidates themselves ("学习" + "率") is a unit by construction.
        if not parts:
            return True
        known = [df[p] for p in parts if p in df]
        return len(known) < len(parts) or df[key] >= MIN_COHESION * min(known)

    co: Counter[tuple[Key, Key]] = Counter()
    for en, zh in sides:
        e_keys = [k for k in en.keys if df_en[k] >= min_support and cohesive(k, en.parts.get(k), df_en)]
        z_keys = [k for k in zh.keys if df_zh[k] >= min_support and cohesive(k, zh.parts.get(k), df_zh)]
        co.update((e, z) for e in e_keys for z in z_keys)

    def dice(e: Key, z: Key) -> float:
        return 2 * co[e, z] / (df_en[e] + df_zh[z])

    scored = {pair: dice(*pair) for pair, n in co.items() if n >= min_support}
    scored = {pair: d for pair, d in scored.items() if d >= min_dice}

    # A longer term is kept only where it fits at least as well as the shorter term inside it:
    # "dropout differ ↔ 随机失活" goes (Dice below "dropout ↔ 随机失活"), "learning rate ↔ 学习率"
    # stays (above "learning ↔ 学习率").
    by_z: dict[Key, list[Key]] = defaultdict(list)
    by_e: dict[Key, list[Key]] = defaultdict(list)
    for e, z in scored:
        by_z[z].append(e)
        by_e[e].append(z)
    scored = {
        (e, z): d for (e, z), d in scored.items()
        if not any(_inside(e2, e) and scored[e2, z] > d for e2 in by_z[z])
        and not any(_inside(z2, z) and scored[e, z2] > d for z2 in by_e[e])
    }

    # Competitive linking inside each translation pair: the longest candidate pair is linked
    # first (then the best Dice, then the most frequent) and no word takes part in two links,
    # so "gradient clipping ↔ 梯度裁剪" is linked and "clipping ↔ 裁剪" not in that pair. Last,
    # terms at similar relative positions are preferred: "visual and textual" ↔ "视觉和文本".
    def rank(pair: tuple[Key, Key], en: _Side, zh: _Side) -> tuple[int, int, float, int, float]:
        e, z = pair
        distortion = abs(min(en.keys[e]) / max(1, en.size) - min(zh.keys[z]) / max(1, zh.size))
        return (-len(e), -len(z), -scored[pair], -co[pair], distortion)

    links: Counter[tuple[Key, Key]] = Counter()
    en_forms: dict[Key, Counter[str]] = defaultdict(Counter)
    zh_forms: dict[Key, Counter[str]] = defaultdict(Counter)
    for en, zh in sides:
        pairs = [(e, z) for e in en.keys for z in zh.keys if (e, z) in scored]
        candidates = sorted(pairs, key=lambda p: rank(p, en, zh))  # noqa: B023 - used at once
        used_en: set[int] = set()
        used_zh: set[int] = set()
        for e, z in candidates:
            if en.keys[e] & used_en or zh.keys[z] & used_zh:
                continue
            used_en |= en.keys[e]
            used_zh |= zh.keys[z]
            links[e, z] += 1
            en_forms[e][en.forms[e]] += 1
            zh_forms[z][zh.forms[z]] += 1
    return [
        TermPair(_pick(en_forms[e]), str(z), n, "aligned", _pick(zh_forms[z]))
        for (e, z), n in links.items()
        if n >= min_support
    ]


# ---------------------------------------------------------------------------------------
# the glossary


def _from_glosses(texts: Iterable[str]) -> list[TermPair]:
    counts: Counter[tuple[tuple[str, ...], str]] = Counter()
    en_forms: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    zh_forms: dict[str, Counter[str]] = defaultdict(Counter)
    for text in texts:
        for en, zh, original in glosses(text):
            key = en_key(en)
            if not key:
                continue
            counts[key, zh] += 1
            en_forms[key][en] += 1
            zh_forms[zh][original] += 1
    return [
        TermPair(_pick(en_forms[key]), zh, n, "gloss", _pick(zh_forms[zh]))
        for (key, zh), n in counts.items()
        if n
    ]


def mine(texts: Iterable[str], aligned: Iterable[tuple[str, str]] = ()) -> list[TermPair]:
    """Term pairs from inline glosses in `texts` and from translation pairs `aligned`.

    One pair per (English term case-insensitively, simplified Chinese term); a pair found
    both ways is reported as a gloss with the counts added. Sorted by count, then term.
    """
    merged: dict[tuple[tuple[str, ...], str], TermPair] = {}
    for pair in [*_from_glosses(texts), *align(aligned)]:
        key = (en_key(pair.en), fold(pair.zh))
        seen = merged.get(key)
        if seen is None:
            merged[key] = pair
        else:
            merged[key] = TermPair(seen.en, seen.zh, seen.count + pair.count, seen.source, seen.zh_original)
    return sorted(merged.values(), key=lambda p: (-p.count, p.en.lower(), p.zh))


def _zh_key(text: str) -> str:
    """Chinese terms are matched folded and without spaces ("BERT 模型" == "bert模型")."""
    return "".join(fold(text).split())


class Glossary:
    """Term pairs indexed for finding terms in queries."""

    def __init__(self, pairs: Iterable[TermPair], per_term: int = 2) -> None:
        en_to_zh: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
        zh_to_en: dict[str, Counter[str]] = defaultdict(Counter)
        for p in pairs:
            key = en_key(p.en)
            zh = _zh_key(p.zh)
            if key and len(zh) >= 2:
                en_to_zh[key][p.zh] += p.count
                zh_to_en[zh][p.en] += p.count
        self._en = {k: [zh for zh, _ in c.most_common(per_term)] for k, c in en_to_zh.items()}
        self._zh = {k: [en for en, _ in c.most_common(per_term)] for k, c in zh_to_en.items()}
        self._max_en = max((len(k) for k in self._en), default=0)
        self._zh_by_prefix: dict[str, list[str]] = defaultdict(list)
        for zh in sorted(self._zh, key=len, reverse=True):
            self._zh_by_prefix[zh[:2]].append(zh)

    def __len__(self) -> int:
        return len(self._en)

    def find(self, query: str) -> tuple[list[tuple[str, ...]], list[str]]:
        """English term keys and Chinese terms found in `query`, longest match first."""
        words = list(en_key(query))
        en_found: list[tuple[str, ...]] = []
        i = 0
        while i < len(words):
            for n in range(min(self._max_en, len(words) - i), 0, -1):
                if tuple(words[i:i + n]) in self._en:
                    en_found.append(tuple(words[i:i + n]))
                    i += n
                    break
            else:
                i += 1
        text = _zh_key(query)
        zh_found: list[str] = []
        i = 0
        while i < len(text) - 1:
            match = next((zh for zh in self._zh_by_prefix.get(text[i:i + 2], ()) if text.startswith(zh, i)), None)
            if match:
                zh_found.append(match)
                i += len(match)
            else:
                i += 1
        return en_found, zh_found

    def expand(self, query: str) -> str:
        """`query` followed by the counterparts of the glossary terms it contains."""
        en_found, zh_found = self.find(query)
        folded = _zh_key(query)
        query_keys = set(en_key(query))
        extra: list[str] = []
        for key in en_found:
            extra.extend(zh for zh in self._en[key] if _zh_key(zh) not in folded)
        for zh in zh_found:
            extra.extend(en for en in self._zh[zh] if not set(en_key(en)) <= query_keys)
        extra = list(dict.fromkeys(extra))
        return f"{query} {' '.join(extra)}" if extra else query


@lru_cache(maxsize=4)
def _glossary(pairs: tuple[TermPair, ...]) -> Glossary:
    return Glossary(pairs)


def expand(query: str, pairs: Glossary | Sequence[TermPair]) -> str:
    """Append to `query` the counterpart of every glossary term it contains (English term →
    its Chinese term, Chinese term → its English term). The index built from a list of pairs
    is cached by content; pass a `Glossary` to skip even that."""
    glossary = pairs if isinstance(pairs, Glossary) else _glossary(tuple(pairs))
    return glossary.expand(query)
