"""Does a line read like an interview question? Shared by every shape.

`strong` evidence is a question mark; `weak` evidence is an interrogative or an
imperative opening ("Explain…", "描述…", "請解釋…") or an interrogative word inside
Chinese text ("…如何…", "…哪些…").
"""

from __future__ import annotations

import re
import unicodedata

_EN_OPENERS = (
    "what", "how", "why", "when", "where", "which", "who", "whom", "whose", "can", "could",
    "would", "should", "is", "are", "was", "were", "do", "does", "did", "have", "has",
    "explain", "describe", "discuss", "compare", "contrast", "define", "list", "name",
    "give", "outline", "walk", "tell", "summarize", "summarise", "illustrate", "derive",
    "design", "propose", "suggest", "identify", "highlight", "elaborate", "mention",
    "state", "show", "prove", "write", "implement", "provide", "in what", "in which",
    "code", "build", "create", "calculate", "compute", "construct", "develop", "evaluate", "estimate", "solve",
    "analyze", "analyse", "draw", "sketch", "justify", "determine", "differentiate", "distinguish", "interpret",
)
_ZH_OPENERS = (
    "请", "請", "解释", "解釋", "描述", "讨论", "討論", "比较", "比較", "简述", "簡述", "简要",
    "簡要", "说明", "說明", "说说", "說說", "谈谈", "談談", "介绍", "介紹", "列举", "列舉", "阐述",
    "闡述", "分析", "举例", "舉例", "概述", "定义", "定義", "写出", "寫出", "推导", "推導",
    "设计", "設計", "对比", "對比", "详细", "詳細", "整理", "试述", "試述", "为何", "為何", "你",
    "讲", "講", "说", "說", "聊", "手写", "手寫", "手撕", "实现", "實現", "给定", "給定", "写一", "寫一", "计算", "計算",
)
_ZH_INTERROGATIVES = (
    "什么", "什麼", "甚麼", "如何", "为什么", "為什麼", "为何", "為何", "怎么", "怎麼", "怎样",
    "怎樣", "哪些", "哪个", "哪個", "哪种", "哪種", "是否", "有何", "何时", "何時", "多少",
    "吗", "嗎", "呢", "能否", "可否", "哪张", "哪張", "哪一", "哪几", "哪幾", "哪条", "哪條", "哪项", "哪項",
    "哪里", "哪裡", "哪类", "哪類", "下列", "以下哪", "有没有", "有沒有", "是不是", "能不能", "会不会", "會不會", "要不要",
)
_EN_OPENER = re.compile(r"^(?:" + "|".join(re.escape(w) for w in _EN_OPENERS) + r")\b", re.I)


_IMPERATIVES = (
    "explain", "describe", "discuss", "compare", "contrast", "define", "list", "name", "give", "outline",
    "walk", "tell", "summarize", "summarise", "illustrate", "derive", "propose", "suggest", "identify",
    "highlight", "elaborate", "mention", "state", "show", "write", "implement", "provide", "design",
    "code", "build", "create", "calculate", "compute", "construct", "develop", "evaluate", "estimate", "solve",
    "analyze", "analyse", "draw", "sketch", "justify", "determine", "differentiate", "distinguish", "interpret",
)
_IMPERATIVE = re.compile(r"^(?:please\s+|can you\s+|could you\s+)?(?:" + "|".join(_IMPERATIVES) + r")\b", re.I)
_ZH_IMPERATIVES = tuple(w for w in _ZH_OPENERS if w not in ("你", "为何", "為何", "整理", "分析", "详细", "詳細", "说", "說"))


_TAG_WRAP = re.compile(r"^(?:<[a-zA-Z][^>]*>\s*)+|(?:\s*</?[a-zA-Z][^>]*>)+$")  # "<h3>What is X?</h3>"


def clean(text: str) -> str:
    t = text.replace("**", "").replace("__", "").strip().strip("*_`").strip()
    return _TAG_WRAP.sub("", t).strip() if "<" in t else t


def _trailing_marks(text: str) -> str:
    """Drop closing brackets, quotes, emphasis and emoji (difficulty marks like 👶 ⭐️ 🚀)."""
    end = len(text)
    while end and (text[end - 1] in " \t*_)）]】\"”'" or unicodedata.category(text[end - 1]) in ("So", "Sk", "Mn", "Cf")):
        end -= 1
    return text[:end]


# "What does row 2 hold? (Careful: …)", "What is X? [asked at Acme]": a note after the question
_NOTE_AFTER = re.compile(r"[?？]\s*(?:[(（][^()（）]{1,200}[)）]|\[[^\[\]]{1,200}\]|【[^【】]{1,200}】)$")
_ATTRIBUTION = re.compile(r"[?？][ \t]+[-–—|][ \t]+[^?？]{1,60}$")  # "What is X? - Google Interview Question"


# an exam item: "01 (单选)…", "【简答】…", "(Multiple choice) …"
_EXAM_TAG = re.compile(r"^(?:\d{1,3}[.、．]?\s*)?[(（【\[]\s*(?:单选|多选|简答|判断|填空|问答|选择|論述|论述|單選|多選|簡答|"
                       r"判斷|問答|選擇|single choice|multiple choice|short answer|true/false)[^)）】\]]{0,6}[)）】\]]", re.I)


def strong(text: str) -> bool:
    c = clean(text)
    t = _trailing_marks(c)
    return (t.endswith(("?", "？")) or bool(_ATTRIBUTION.search(t)) or bool(_EXAM_TAG.match(t))
            or bool(_NOTE_AFTER.search(c.rstrip())))


def _openers(words: tuple[str, ...]) -> re.Pattern[str]:
    """Starts with one of `words` and says more after it ("概述" alone is a title, "概述 BN" asks)."""
    return re.compile("^(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")(?=.{2})", re.S)


_ZH_OPENER = _openers(_ZH_OPENERS)
_ZH_IMPERATIVE = _openers(_ZH_IMPERATIVES)
_ZH_INTERROGATIVE = re.compile("|".join(re.escape(w) for w in _ZH_INTERROGATIVES))


# "手撕：反转链表", "场景题：…", "System design: a URL shortener": the kind of question, then the task
_KIND_TAG = re.compile(r"^(?:手撕|手写|手寫|场景题|場景題|场景|場景|算法题|算法題|编程题|編程題|代码题|代碼題|"
                       r"设计题|設計題|系统设计|系統設計|开放题|開放題|智力题|智力題|行为题|行為題|"
                       r"coding|code|design|system design|behavioral|behavioural|"
                       r"scenario|case study|take-home)(?:\s*(?:question|problem|task))?\s*[:：]\s*\S", re.I)


def kind_tagged(text: str) -> bool:
    return bool(_KIND_TAG.match(clean(text)))


def weak(text: str) -> bool:
    t = clean(text)
    return bool(_EN_OPENER.match(t) or _ZH_OPENER.match(t) or _ZH_INTERROGATIVE.search(t) or _KIND_TAG.match(t))


def imperative(text: str) -> bool:
    """Asks by command: "Explain …", "Describe …", "请解释 …", "简述 …"."""
    t = clean(text)
    return bool(_IMPERATIVE.match(t) or _ZH_IMPERATIVE.match(t))


def questionlike(text: str) -> bool:
    return strong(text) or weak(text)


def definition_like(text: str) -> bool:
    """`**Term:** explanation` or `Term：explanation` — a list entry inside an answer."""
    t = text.strip()
    if kind_tagged(t):
        return False
    m = re.match(r"^\*\*[^*]{1,60}?[:：]?\*\*\s*[:：]?\s*\S", t)
    if m and not strong(t):
        lead = t[2:t.index("**", 2)]
        return lead.rstrip().endswith((":", "：")) or t[t.index("**", 2) + 2:].lstrip().startswith((":", "："))
    return bool(re.match(r"^[^:：?？]{1,40}[:：]\s*\S", clean(t))) and not strong(t)
