"""Classify the lines of a Markdown/text document once, for every shape parser.

Each `Line` knows its 1-based number, indentation and what it looks like: a heading,
a numbered line, a bullet, a separator, a table row, a fenced-code line or plain text.
Labels (`Answer:`, `答案：`, `解析`, `面试题：`, `Q:`) are recognised here too, so every
shape reads them the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum

from .questionlike import imperative, strong


class Kind(Enum):
    BLANK = "blank"
    HEADING = "heading"
    NUMBERED = "numbered"
    BULLET = "bullet"
    SEPARATOR = "separator"
    TABLE = "table"
    CODE = "code"
    TEXT = "text"


@dataclass(frozen=True, slots=True)
class Line:
    no: int  # 1-based line number in the file
    raw: str  # the line without its newline
    indent: int  # leading columns (a tab counts 4)
    kind: Kind
    level: int = 0  # heading level (1-6)
    number: int | None = None  # printed number of a numbered line / heading
    body: str = ""  # content without heading marks, list number, surrounding bold
    text: str = field(init=False, default="", compare=False)  # the line without surrounding whitespace

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", self.raw.strip())

    @property
    def blank(self) -> bool:
        return self.kind is Kind.BLANK


# "## title"; also "###2、title" (no space before a number, common in Chinese banks)
_HEADING = re.compile(r"^(#{1,6})(?:[ \t]+|(?=\d{1,3}(?:\.\d{1,3})*[ \t]*[、.．])|$)(.*?)[ \t]*#*[ \t]*$")
# "Q 1.a) …", "Q 5.a.) …": a sub-question's number before a heading's text; "练习 1：…", "Exercise 2." too
_SUB_NUMBER = re.compile(r"^(?:Q|Question)\s*(\d{1,3})\.?[a-z]\.?\)?[.:：)]?\s+(?=\S)"
                         r"|^(?:练习|練習|习题|習題|例题|例題|exercise|problem)\s*(\d{1,3})\s*[:：.、)]\s*(?=\S)", re.I)
_HEADING_ID = re.compile(r"[ \t]*\{#[^}\s]+\}[ \t]*$")  # "## Questions {#questions}" (an anchor id)
# "3.4.2 title": a dotted section number in a heading; the last part is the item's number
_DOTTED = re.compile(r"^(?:\*\*)?(\d{1,3}(?:\.\d{1,3}){1,3})\.?(?:\*\*)?[ \t]+(?=\S)")
_SEPARATOR = re.compile(r"^(?:-{3,}|\*{3,}|_{3,}|={3,}|(?:- ){2,}-|(?:\* ){2,}\*)$")
_FENCE = re.compile(r"^(```|~~~)")
_BULLET = re.compile(r"^[-*+•·][ \t]+\S")
_TASK_BOX = re.compile(r"^\[[ xX]\][ \t]+")
# "1. q", "1) q", "1、q", "1．q", "(1) q", "（1）q", "Q1. q", "**7.** q", "**1. q**", "第1题 q"
_NUMBERED = re.compile(
    r"^(?P<pre>\*\*)?(?:Q|q|No\.?\s*|第)?[(（]?(?P<n>\d{1,3})[)）]?"
    r"(?:\s*(?:[.．:：]|题|題|問|问)(?P<close>\*\*)?(?:[ \t]+|(?=\*\*)|(?=[\u3400-\u9fff「“《])|(?=[A-Za-z][a-z]))"
    r"|\s*[、)）](?P<close2>\*\*)?[ \t]*)"
    r"(?P<rest>\S.*)$"
)
# Docusaurus / Starlight admonitions: ":::tip" … ":::", ":::note[Title]{attrs}"
_DIRECTIVE_FENCE = re.compile(r"^:{3,}[ \t]*[\w-]*[ \t]*$")
_DIRECTIVE_TITLE = re.compile(r"^:{3,}[ \t]*[\w-]+\[(.+)\](?:\{[^}]*\})?[ \t]*$")
_BOLD_WRAP = re.compile(r"^\*\*(.+?)\*\*[ \t]*$")
_EMPH_WRAP = re.compile(r"^(\*\*|__|\*|_)(.+)\1$")


_EMOJI = r"[\u2600-\u27bf\U0001f300-\U0001faff]\ufe0f?"  # decoration: 📌 ✅ 🚀
_BLANKS = re.compile(r"_{3,}")
_PAIRED = re.compile(r"(\*\*|__)(.+?)\1")
_DECOR = re.compile(rf"^(?:{_EMOJI}[ \t]*)+")  # "📌 ", "✅ "
_INNER_EMPH = re.compile(r"(?<![\w*_])([*_])(?=\S)([^*_\n]+?)(?<=\S)\1(?![\w*_])")


def strip_bold(text: str) -> str:
    """Remove Markdown emphasis markers around and inside a short line (`_word_` and
    `*word*` too, not the underscores of snake_case names)."""
    if "*" not in text and "_" not in text:
        return text.strip()
    blanks = _BLANKS.findall(text)  # "来自 ______": a fill-in blank, not emphasis
    text = _BLANKS.sub("\x00", text.strip())
    text = _PAIRED.sub(r"\2", text).replace("**", "").replace("__", "")
    text = _INNER_EMPH.sub(r"\2", text).strip()
    m = _EMPH_WRAP.match(text)
    while m:
        text = m.group(2).strip()
        m = _EMPH_WRAP.match(text)
    for blank in blanks:
        text = text.replace("\x00", blank, 1)
    return text


def _indent_of(raw: str) -> int:
    col = 0
    for ch in raw:
        if ch == " ":
            col += 1
        elif ch == "\t":
            col += 4
        elif ch == "\u3000":
            col += 2
        else:
            break
    return col


def numbered_rest(text: str) -> str | None:
    """The raw text after a list number (`1.  **Q?** answer` → `**Q?** answer`)."""
    m = _NUMBERED.match(text)
    return m.group("rest") if m else None


def parse_numbered(text: str) -> tuple[int, str] | None:
    """`1. text` → (1, 'text'), also the bold and full-width variants."""
    m = _NUMBERED.match(text)
    if not m:
        return None
    rest = m.group("rest")
    if m.group("pre") and not (m.group("close") or m.group("close2")):
        # "**1. question**": the bold opened before the number closes at the end
        rest = rest[:-2] if rest.endswith("**") else rest
    return int(m.group("n")), strip_bold(rest)


_PROSE_INFO = {"", "text", "txt", "plain", "plaintext", "markdown", "md"}


def prose_fence(lines: list[str], start: int) -> int | None:
    """A fence around a numbered list of prose (```text / 1.什么是… / 2.如何… / ```): the
    index of its closing line, else None. Such a block is a list someone fenced, not code."""
    opening = lines[start].strip()
    m = _FENCE.match(opening)
    if not m or opening[3:].strip().lower() not in _PROSE_INFO:
        return None
    numbered = asking = total = 0
    for k in range(start + 1, min(len(lines), start + 400)):
        text = lines[k].strip()
        if text.startswith(m.group(1)):
            if total >= 3 and numbered * 10 >= total * 6 or 0 < total <= 3 and asking == total:
                return k
            return None
        if text:
            total += 1
            numbered += parse_numbered(text) is not None
            asking += _asks_in_prose(text)
    return None


def _asks_in_prose(text: str) -> bool:
    """A fenced line that asks or sets a task in words, not code ("给定一个数组…，使用dfs解决")."""
    return not _CODE_LIKE.match(text) and (strong(text) or imperative(text))


def classify(lines: list[str]) -> list[Line]:
    out: list[Line] = []
    in_fence: str | None = None
    fence_indent = 0
    prose_close = -1
    for i, raw in enumerate(lines, start=1):
        raw = raw.rstrip("\r\n")
        stripped = raw.strip()
        indent = _indent_of(raw)
        fence = _FENCE.match(stripped)
        if i - 1 == prose_close:  # the end of a fenced list: a frame line, like ":::"
            out.append(Line(i, raw, indent, Kind.BLANK))
            continue
        if in_fence is not None and stripped and indent < fence_indent:
            in_fence = None  # a fence opened inside a list item ends with the item (CommonMark)
        if in_fence is not None:
            if fence and stripped.startswith(in_fence):
                in_fence = None
            out.append(Line(i, raw, indent, Kind.CODE))
            continue
        if fence:
            close = prose_fence(lines, i - 1)
            if close is not None:
                prose_close = close
                out.append(Line(i, raw, indent, Kind.BLANK))
                continue
            in_fence, fence_indent = fence.group(1), indent
            out.append(Line(i, raw, indent, Kind.CODE))
            continue
        if not stripped or _DIRECTIVE_FENCE.match(stripped):  # ":::tip" / ":::" frame text only
            out.append(Line(i, raw, indent, Kind.BLANK))
            continue
        directive = _DIRECTIVE_TITLE.match(stripped)
        if directive:  # ":::note[Question: …]{.cls}": the title is the line's text
            out.append(Line(i, raw, indent, Kind.TEXT, body=strip_bold(directive.group(1))))
            continue
        if indent < 4:
            h = _HEADING.match(stripped)
            if h:
                body = _DECOR.sub("", strip_bold(_HEADING_ID.sub("", h.group(2))))
                num = parse_numbered(body)
                dotted = None if num else _DOTTED.match(body)
                if dotted:
                    num = int(dotted.group(1).split(".")[-1]), strip_bold(body[dotted.end():])
                sub = None if num else _SUB_NUMBER.match(body)
                if sub:
                    num = int(sub.group(1) or sub.group(2)), strip_bold(body[sub.end():])
                number, body = (num if num else (None, strip_bold(body)))
                out.append(Line(i, raw, indent, Kind.HEADING, len(h.group(1)), number, body))
                continue
        if _SEPARATOR.match(stripped.replace(" ", "") if stripped[0] in "-*_" else stripped):
            out.append(Line(i, raw, indent, Kind.SEPARATOR))
            continue
        if stripped.startswith("|") and stripped.count("|") >= 2:
            out.append(Line(i, raw, indent, Kind.TABLE, body=stripped))
            continue
        num = parse_numbered(stripped)
        if num:
            text = num[1]
            inner = _HEADING.match(text)  # "1. ### What is X? ⭐": a heading written inside the entry
            out.append(Line(i, raw, indent, Kind.NUMBERED, number=num[0], body=strip_bold(inner.group(2)) if inner else text))
            continue
        if _BULLET.match(stripped):
            entry = _TASK_BOX.sub("", stripped[1:].strip())  # "- [ ] What is X?": a task list's box
            out.append(Line(i, raw, indent, Kind.BULLET, body=strip_bold(entry)))
            continue
        out.append(Line(i, raw, indent, Kind.TEXT, body=strip_bold(stripped)))
    return _code_comments(out)


_CODE_LIKE = re.compile(
    r"^(?:[A-Za-z_][\w.\[\], ]*\s*[-+*/]?=[^=]"
    r"|(?:print|def|class|return|for|while|if|elif|else|try|except|with|assert)\b.*[:()]"
    r"|(?:import|from)[ \t]+[\w.]+(?:[ \t]+(?:import|as)[ \t]+\w+.*)?$"
    r"|[\w.]+\(.*\)\s*;?$)")


def _code_comments(lines: list[Line]) -> list[Line]:
    """`# step 3` between lines of unfenced code (or between two fenced blocks) is a
    comment, not a title: a level-1 heading with code on both sides (or after code, ending
    like a sentence) becomes text. Runs of such lines are judged together."""
    def code(ln: Line) -> bool:
        return ln.kind is Kind.CODE or (ln.kind is Kind.TEXT and bool(_CODE_LIKE.match(ln.text)))

    def comment(ln: Line) -> bool:
        return ln.kind is Kind.HEADING and ln.level == 1 and ln.raw.startswith("# ")

    out = list(lines)
    for k, ln in enumerate(lines):
        if not comment(ln):
            continue
        before = next((x for x in reversed(lines[:k]) if not x.blank and not comment(x)), None)
        after = next((x for x in lines[k + 1:] if not x.blank and not comment(x)), None)
        sentence = ln.raw.rstrip().endswith(("。", "."))  # a title does not end like a sentence
        if before is not None and code(before) and (after is not None and code(after) or sentence):
            out[k] = Line(ln.no, ln.raw, ln.indent, Kind.TEXT, body=ln.raw.strip())
    return out


# --- labels -----------------------------------------------------------------

# a colon after the label, or the closing bracket of "【答案】" / "[问题]" (a colon may follow it)
_COLON = r"[ \t]*(?:\*\*|\*|__|_|`)?[ \t]*(?:[:：]|[】\]][ \t]*[:：]?)[ \t]*(?:\*\*|\*|__|_|`)?"
# optional quote mark, bullet and emphasis before a label: "> * **A:**", "- *A:*", "`Ans:`"
_LEAD = (r"^(?:>[ \t]*)?(?:[-*+][ \t]+)?(?:\*\*|\*|__|_|`)?[ \t]*"
         rf"(?:{_EMOJI}[ \t]*)*[【\[]?")  # "📌 Q1:", "✅ Answer", "【答案】"


def _label(words: str, colon_required: str = "") -> re.Pattern[str]:
    # a label word followed by a colon (then optional inline text), or alone on its line
    return re.compile(
        _LEAD + rf"(?:(?P<w>{words})|(?P<wc>{colon_required}))"
        + rf"(?:{_COLON}(?P<rest>.*)|[ \t]*(?:\*\*|__)?[ \t]*(?:[:：])?[ \t]*$)",
        re.IGNORECASE,
    )


_ANSWER = _label(
    r"answer|answers|model answer|sample answer|suggested answer|reference answer|your answer|short answer|"
    r"solution|参考答案|參考答案|答案要点|答案要點|答题要点|答題要點|回答要点|回答要點|参考回答|參考回答|"
    r"答案思路|答题思路|答題思路|"
    r"[\u4e00-\u9fff]{1,3}的?(?:答案|回答)|答案|回答|解答|标准答案|標準答案|答",
    r"a\d{0,3}|ans|response|我|候选人|候選人|candidate|me",  # "A1：", "我：" (answers "面试官：")
)
_EXPLANATION = _label(r"解析|答案解析|详解|詳解|explanation|rationale|解题思路|解題思路", r"分析|说明|說明|解释|解釋|note")
_QUESTION = _label(r"面试题|面試題|题目|題目|问题|問題|question|interview question",
                   r"q|问|問|面试官|面試官|interviewer")


def _match(pattern: re.Pattern[str], text: str) -> str | None:
    """Return the inline text after a label ('' when the label stands alone), or None."""
    m = pattern.match(text.strip())
    if not m:
        return None
    if m.group("wc") and m.group("rest") is None:
        return None  # short labels (A, Q, 分析) need a colon
    rest = m.group("rest")
    return strip_bold(rest) if rest else ""


# MkDocs admonitions: '??? success "View Answer"', '!!! note "Answer"'
_ADMONITION = re.compile(r'^(?:\?\?\?\+?|!!!)[ \t]*[\w-]*(?:[ \t]+"([^"]*)")?[ \t]*$')


def answer_label(line: Line) -> str | None:
    if line.kind in (Kind.CODE, Kind.BLANK, Kind.TABLE):
        return None
    admonition = _ADMONITION.match(line.text)
    if admonition:
        return "" if not admonition.group(1) or reveal_label(admonition.group(1)) else None
    return _match(_ANSWER, line.body if line.kind is Kind.HEADING else line.text)


def explanation_label(line: Line) -> str | None:
    if line.kind in (Kind.CODE, Kind.BLANK, Kind.TABLE):
        return None
    return _match(_EXPLANATION, line.text)


# A heading that only names the next question: "### Question 3", "第3题", "✅ 2. 判断题"
_QUESTION_HEADING = re.compile(
    r"^(?:question|q|problem|问题|問題|题目|題目|面试题|面試題)\s*\d{1,3}$|^第\s*\d{1,3}\s*[题題]$"
    r"|^(?:选择|判断|填空|简答|编程|推导|計算|计算|問答|问答|選擇|判斷|簡答|程式|单选|多选|單選|多選|思维|思維|应用|應用|"
    r"综合|綜合|分析|设计|設計|开放|開放|论述|論述)[题題]?$",
    re.IGNORECASE)


def question_label(line: Line) -> str | None:
    if line.kind in (Kind.CODE, Kind.BLANK, Kind.TABLE):
        return None
    if line.kind is Kind.HEADING and _QUESTION_HEADING.match(strip_bold(line.body).strip()):
        return ""
    text = line.body if line.kind is Kind.HEADING or line.text.startswith(":::") else line.text
    return _match(_QUESTION, text)


_REVEAL = re.compile(
    r"^(?:click\s+(?:here\s+)?(?:to\s+|for\s+)?)?(?:show|see|view|reveal|expand|toggle|display)?\s*"
    r"(?:the\s+)?(?:answer|answers|solution|solutions|hint|hints|explanation)\b[\s:：.!]*$"
    r"|^(?:点击|點擊|点此|點此)?(?:查看|展开|展開|显示|顯示|看)?(?:参考|參考)?"
    r"(?:答案|解答|解析|參考答案|提示|思路|答案提示|解题思路|解題思路|答案与解析|答案與解析)(?:提示)?[\s:：.。!！]*$",
    re.IGNORECASE,
)


def reveal_label(text: str) -> bool:
    """A `<summary>` that only says where the answer is ("Answer", "Show answer", "点击查看答案")."""
    t = _DECOR.sub("", strip_bold(text).strip()).strip()  # "💡 答案提示"
    return bool(_REVEAL.match(t)) or _match(_ANSWER, t) == ""


# "反问：", "## 我提问", "Questions I asked": the candidate's own questions in an interview write-up
_ASK_BACK = re.compile(
    r"^(?:\d{1,2}[.、．]\s*)?(?:反问|反問|我提问|我提問|我的提问|我的提問|我问的问题|我問的問題|提问环节|提問環節|"
    r"(?:my\s+)?questions?\s+(?:i\s+asked|to\s+the\s+interviewer|for\s+the\s+interviewer)|reverse\s+questions?)"
    r"(?:环节|環節|部分)?\s*[:：]?\s*$", re.I)


_ASK_BACK_WORD = re.compile("反问|反問|提问|提問|问的|問的|uestion")


def ask_back(line: Line) -> bool:
    if line.kind is Kind.CODE or len(line.text) > 60 or not _ASK_BACK_WORD.search(line.text):
        return False
    return bool(_ASK_BACK.match(strip_bold(line.body or line.text)))
