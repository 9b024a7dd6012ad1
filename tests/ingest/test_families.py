"""The failure families of issue 8, each in a small document written for this test (no
text from any bank): questions that do not end in "?", answers given elsewhere, item
boundaries, labels that are not questions, noisy question text, silent losses, and the
language of Chinese questions with English terms."""

from __future__ import annotations

from interview_coach.bank.types import ItemData
from interview_coach.ingest.model import ParseResult
from interview_coach.ingest.parse import parse_lines


def parse(*lines: str) -> ParseResult:
    return parse_lines(list(lines))


def qs(result: ParseResult) -> list[tuple[int, str]]:
    return [(it.question_line, it.question) for it in result.items]


def by_line(result: ParseResult) -> dict[int, ItemData]:
    return {it.question_line: it for it in result.items}


# --- 1. questions that do not end in "?" ----------------------------------------------------

def test_imperative_and_title_entries_inherit_their_lists_role_and_tips_do_not() -> None:
    r = parse(
        "## Coding",                                            # 1
        "- Implement k-means from scratch.",                    # 2
        "- Code gradient descent for a linear model.",          # 3: "Code" is no known verb; it inherits
        "- Write a function for precision and recall.",         # 4
        "- How would you test a sampler?",                      # 5
        "## Advice",
        "- Focus on understanding",                             # 7: a list of tips, not questions
        "- Have examples ready",
        "- Know the trade-offs",
    )
    assert [line for line, _ in qs(r)] == [2, 3, 4, 5]


def test_a_numbered_list_where_nothing_asks_is_no_question_list() -> None:
    r = parse(
        "### 1. 什么是梯度消失？",
        "链式法则中连乘的导数过小。",
        "## 学习建议",
        "1. **理解原理比记答案更重要**",
        "2. **准备代码实现**",
    )
    assert qs(r) == [(1, "什么是梯度消失？")]


def test_a_question_table_without_answers_and_with_links_to_answers() -> None:
    r = parse(
        "No. | Question | Solution",                              # a table without outer pipes
        "--- | --- | ---",
        "1 | Two sum over a sorted array | [solution](two-sum.md)",
        "2 | Longest common prefix | [solution](lcp.md)",
    )
    assert qs(r) == [(3, "Two sum over a sorted array"), (4, "Longest common prefix")]
    assert [it.answer for it in r.items] == [None, None]  # a link to an answer elsewhere is no answer
    assert r.items[0].number == 1


def test_a_title_among_question_headings_is_a_question_and_a_section_name_is_not() -> None:
    r = parse(
        "## What is tokenisation?",
        "Splitting text into units.",
        "## Why do subwords help?",
        "They cover rare words.",
        "## Comparing BPE and unigram LM",                       # 5: a title among questions
        "One merges, the other prunes.",
        "## How is the vocabulary size chosen?",
        "By validation loss and speed.",
        "## References",                                         # 9: a section name
        "Some papers.",
    )
    assert [line for line, _ in qs(r)] == [1, 3, 5, 7]


def test_a_section_named_for_questions_holds_title_like_entries_with_answers_under_them() -> None:
    r = parse(
        "## 6. Notes",
        "- scaling laws are smooth",
        "## 7. 问答",
        "- 如何降低推理延迟",                                       # 4
        "  - 量化与批处理",
        "- KV cache",                                            # 6: a title, in a section of questions
        "  - 缓存历史的键值",
        "- 随着模型变大，学习率通常变小。这是经验规律。",                 # 8: a statement
    )
    r_items = by_line(r)
    assert sorted(r_items) == [4, 6]
    assert r_items[4].answer == "- 量化与批处理" and r_items[6].answer == "- 缓存历史的键值"


# --- 2. answers given elsewhere ----------------------------------------------------------------

def test_answers_in_a_later_section_that_repeats_each_question() -> None:
    r = parse(
        "# 面试题",
        "1. 什么是检索增强生成？它由哪些部分组成？",                   # 2
        "2. 如何评估检索的质量？",                                    # 3
        "",
        "--参考自某个仓库",                                           # 5: a citation, not an answer
        "",
        "## 参考回答",
        "1.",
        "    <strong>什么是检索增强生成？它由哪些部分组成？</strong>",   # 9
        "",
        "    先检索相关文档，再把它们放进提示里生成。",                    # 11
        "",
        "---",
        "2.",
        "    <strong>如何评估检索的质量？</strong>",                   # 15
        "",
        "    看召回率和排序指标。",                                     # 17
    )
    items = by_line(r)
    assert sorted(items) == [9, 15]
    assert (items[9].listed_line, items[9].answer) == (2, "先检索相关文档，再把它们放进提示里生成。")
    assert (items[15].listed_line, items[15].answer) == (3, "看召回率和排序指标。")


def test_questions_listed_in_a_fenced_block_are_answered_under_short_titles() -> None:
    r = parse(
        "```text",
        "1.什么是零样本学习",                                          # 2
        "2.如何做多卡并行",                                            # 3
        "3.如何评估模型",                                              # 4: never answered
        "```",
        "### 解析",
        "1. 零样本学习",                                              # 7
        "训练时没见过的类别，靠描述来识别。",
        "2. 多卡并行",                                                # 9
        "数据并行或模型并行。",
    )
    items = by_line(r)
    assert sorted(items) == [4, 7, 9]
    assert items[7].question == "什么是零样本学习" and items[7].listed_line == 2
    assert items[9].answer == "数据并行或模型并行。" and items[4].answer is None


# --- 3. item boundaries ----------------------------------------------------------------------

def test_a_rule_inside_an_answer_and_a_reveal_block_with_same_level_headings() -> None:
    r = parse(
        "### 1. 如何处理不平衡数据？",                                   # 1
        "<details>",
        "<summary>点击查看答案</summary>",
        "",
        "**问题：** 模型偏向多数类。",                                  # 5
        "",
        "---",
        "",
        "### 1. 重采样",                                              # 9: a heading of the answer
        "过采样少数类。",
        "",
        "</details>",
        "",
        "### 2. 什么是数据泄露？",                                       # 14
        "<details><summary>点击查看答案</summary>",
        "训练时用了预测时拿不到的信息。",                                 # 16
        "</details>",
    )
    items = by_line(r)
    assert sorted(items) == [1, 14]
    assert (items[1].answer_line_start, items[1].answer_line_end) == (5, 10)


def test_the_candidates_own_questions_end_an_interview_write_up() -> None:
    r = parse(
        "## 一面",
        "面试官：讲讲 LoRA 的原理？",                                     # 2
        "我：在权重旁加低秩分解的增量。",                                   # 3
        "面试官：那 QLoRA 呢？",                                         # 4
        "我：在量化的底座上训练 LoRA。",                                   # 5
        "反问：",                                                    # 6
        "- 团队主要做什么？",
        "- 有哪些技术栈？",
    )
    items = by_line(r)
    assert sorted(items) == [2, 4]
    assert items[2].answer == "在权重旁加低秩分解的增量。"
    assert items[4].answer == "在量化的底座上训练 LoRA。"
    assert any("own questions" in n.message for n in r.notices)


def test_an_exercise_answer_starts_after_its_label_not_at_the_code_stub() -> None:
    r = parse(
        "### 练习 1：实现 softmax 函数。",                              # 1
        "```python",
        "def softmax(x):",
        "    # TODO: 你的代码",
        "    pass",
        "```",
        "**答案**：",                                                # 7
        "```python",                                                 # 8
        "def softmax(x):",
        "    e = np.exp(x - x.max())",
        "    return e / e.sum()",
        "```",                                                       # 12
        "### 练习 2：为什么要减去最大值？",
        "**答案**：防止指数溢出。",
    )
    first = r.items[0]
    assert (first.answer_line_start, first.answer_line_end) == (8, 12)


# --- 4. labels read as questions --------------------------------------------------------------

def test_an_answer_hint_summary_wraps_the_answer_of_the_question_above_it() -> None:
    r = parse(
        "1. 什么是温度系数？",                                           # 1
        "<details><summary>💡 答案提示</summary>",
        "",
        "控制采样分布的尖锐程度。",                                       # 4
        "</details>",
        "2. 什么是 top-p 采样？",                                        # 6
        "<details><summary>💡 答案提示</summary>",
        "",
        "从累计概率达到 p 的最小集合里采样。",                               # 9
        "</details>",
    )
    assert [(line, it.answer) for line, it in sorted(by_line(r).items())] == [
        (1, "控制采样分布的尖锐程度。"), (6, "从累计概率达到 p 的最小集合里采样。")]


def test_q_meaning_query_in_an_attention_note_is_no_question_label() -> None:
    r = parse(
        "## 1. 注意力里的 Q、K、V 分别是什么？",                            # 1
        "- Q：查询向量，由当前位置生成",
        "- K：键向量",
        "- V：值向量",
        "## 2. 为什么要除以根号 d？",                                     # 5
        "防止点积过大导致 softmax 饱和。",
    )
    assert [line for line, _ in qs(r)] == [1, 5]
    assert "K：键向量" in (r.items[0].answer or "")


# --- 5. noisy or incomplete question text -----------------------------------------------------

def test_options_and_numbered_statements_stay_with_the_question_and_suffixes_go() -> None:
    r = parse(
        "1. 下列关于归一化的说法正确的是：",                                 # 1
        "（1）BN 依赖批大小",
        "（2）LN 在样本内归一化",
        "**答案：** 都正确",                                           # 4
        "2. What is a bloom filter? - Google, Amazon Interview Question",  # 5
        "Answer: A compact set with false positives.",
        "3. SVM 的核函数有什么作用？(字节跳动)",                             # 7
        "Answer: 把数据映射到高维空间。",
    )
    items = by_line(r)
    assert items[1].question == "下列关于归一化的说法正确的是：\n（1）BN 依赖批大小\n（2）LN 在样本内归一化"
    assert items[1].answer == "都正确"
    assert items[5].question == "What is a bloom filter?"
    assert items[7].question == "SVM 的核函数有什么作用？"


# --- 6. silent losses -------------------------------------------------------------------------

def test_unanswered_list_entries_are_reported_beside_answered_ones() -> None:
    r = parse(
        "## A",
        "- What is dropout?",                                      # 2
        "  - Units are zeroed at random.",
        "- What is weight decay?",                                 # 4: no answer
        "- What is label smoothing?",                              # 5: no answer
    )
    assert sorted(n.line for n in r.notices if "no answer" in n.message) == [4, 5]


def test_a_refused_group_is_reported_with_its_lines_and_why() -> None:
    r = parse(
        "### What is attention?",                                  # 1: one asking heading ...
        "Weights over positions.",
        "### Training",                                           # 3
        "Use warm-up.",
        "### Serving",
        "Batch requests.",
        "### Evaluation",
        "- Is perplexity enough?",                                 # 8
        "- Why use held-out data?",
        "- Latency budget",
        "- Cost per token",
        "- Memory footprint",
        "- Throughput",
    )
    refused = [n for n in r.notices if n.end is not None]
    listed = [n for n in r.notices if "not part of any item" in n.message or n.end is not None]
    assert listed, r.notices
    assert all(n.line >= 1 for n in refused)


def test_every_line_that_asks_outside_the_items_is_named() -> None:
    r = parse(
        "## 1. What is RAG?",
        "Retrieval, then generation.",
        "",
        "Some intro text.",
        "Why would anyone fine-tune instead?",                      # 5, inside the answer: not stray
        "## Notes",
        "> Explain the difference between recall and precision.",   # 7: a lone imperative in a quote
    )
    assert any(n.line == 7 for n in r.notices), r.notices


# --- 7. language of Chinese questions with English terms ---------------------------------------

def test_chinese_with_english_terms_is_chinese_and_bilingual_text_is_mixed() -> None:
    r = parse(
        "1. 如何在 fine tuning 时避免灾难性遗忘？",
        "2. 什麼是 focal loss？",
        "3. What is RLHF and why does it matter? 什么是RLHF？",
    )
    assert [it.lang for it in r.items] == ["zh-Hans", "zh-Hant", "mixed"]


def test_numbered_group_titles_end_the_answer_before_them_and_notes_are_no_questions() -> None:
    r = parse(
        "01. 概述",                                                   # 1: notes, not a question
        "Transformer (a network built on attention)",
        "02. 常见问题",                                               # 3: a group title
        "(1) 为什么要位置编码？",                                        # 4
        "注意力本身不知道顺序。",
        "",
        "03. 注意力相关",                                              # 7: ends the answer of (1)
        "(1) 为什么要缩放？",                                           # 8
        "防止 softmax 饱和。",
    )
    items = by_line(r)
    assert sorted(items) == [4, 8]
    assert (items[4].answer_line_start, items[4].answer_line_end) == (5, 5)


def test_task_list_boxes_kind_tags_and_example_headings() -> None:
    checklist = parse(
        "## Statistics",
        "- [ ] What is a p-value?",
        "- [x] Explain the central limit theorem.",
        "- [ ] Bayesian vs frequentist inference",
    )
    assert [q for _, q in qs(checklist)] == [
        "What is a p-value?", "Explain the central limit theorem.", "Bayesian vs frequentist inference"]
    interview = parse(
        "## 一面",
        "1. 讲一下你的项目",
        "2. 为什么用 LayerNorm？",
        "3. 手撕：反转链表",                                            # a kind tag, not a definition
        "4. 场景题：如何设计一个客服机器人",
    )
    assert [line for line, _ in qs(interview)] == [2, 3, 4, 5]
    headings = parse(
        "### What is dense retrieval?", "Embeddings in one space.",
        "### What is BM25?", "A bag-of-words ranking function.",
        "### How is recall measured?", "Recall@k.",
        "### Example", "score = dense + bm25",                          # a section name, not a question
    )
    assert [line for line, _ in qs(headings)] == [1, 3, 5]


def test_q_then_k_lines_are_queries_and_keys() -> None:
    r = parse(
        "### 为什么注意力要用三个矩阵？",
        "Q: 当前词去匹配别人时用的表示",
        "K: 被匹配时用的表示",
        "V: 被取走的内容",
        "### 为什么要多头？",
        "不同子空间。",
    )
    assert [line for line, _ in qs(r)] == [1, 5]


def test_html_headings_ask_and_a_numbered_table_without_a_question_column_is_reported() -> None:
    r = parse(
        "<h3>What is a bloom filter?</h3>",
        "A compact set with false positives.",
        "<h3>What is consistent hashing?</h3>",
        "Keys and nodes on one ring.",
        "## Practice",
        "| # | Title | Level |",
        "|---|---|---|",
        "| 1 | Two sum | easy |",
        "| 2 | LRU cache | medium |",
        "| 3 | Word ladder | hard |",
    )
    assert qs(r) == [(1, "What is a bloom filter?"), (3, "What is consistent hashing?")]
    assert any(n.line == 6 and n.end == 10 and "question_column" in n.message for n in r.notices), r.notices


def test_a_list_of_links_to_answers_elsewhere_is_a_question_list_and_contents_are_not() -> None:
    r = parse(
        "## Contents",
        "- [Basics](#basics)",
        "- [Models](#models)",
        "## Questions",
        "- [What is a kernel?](answers/kernel.md)",                # 5
        "- [Why normalise inputs?](answers/normalise.md)",         # 6
        "- [Explain early stopping](https://example.org/early)",   # 7
    )
    assert qs(r) == [(5, "What is a kernel?"), (6, "Why normalise inputs?"), (7, "Explain early stopping")]
    assert all(it.answer is None for it in r.items)


def test_numbered_and_bracketed_labels() -> None:
    r = parse(
        "Q1：什么是过拟合？",
        "A1：训练集好，测试集差。",
        "【问题】什么是梯度消失？",
        "【答案】反向传播时梯度越来越小。",
        "【解析】连乘的导数小于一。",
    )
    assert [(line, it.answer, it.explanation) for line, it in sorted(by_line(r).items())] == [
        (1, "训练集好，测试集差。", None), (3, "反向传播时梯度越来越小。", "连乘的导数小于一。")]


def test_two_rounds_of_numbered_questions_are_not_joined_by_their_numbers() -> None:
    r = parse(
        "## 一面",
        "1. 讲一下 Transformer 的结构？",                              # 2: unanswered
        "2. 介绍一下你的项目？",
        "## 二面",
        "1. 如何做模型的蒸馏？",                                       # 5
        "答：用大模型的输出训练小模型。",
        "2. 数据怎么清洗？",                                          # 7
        "答：去重，过滤低质量样本。",
    )
    items = by_line(r)
    assert sorted(items) == [2, 3, 5, 7] and items[5].listed_line is None and items[2].answer is None


def test_a_rule_ends_an_answer_only_before_the_next_part() -> None:
    r = parse(
        "### 1. What is dropout?",                                 # 1
        "It zeroes units at random.",
        "",
        "---",                                                    # 4: inside the answer
        "",
        "At inference the weights are scaled.",                   # 6
        "### 2. What is weight decay?",                           # 7
        "It shrinks weights.",                                    # 8
        "",
        "======",                                                 # 10: the end of a part
        "",
        "Here are ten more questions on optimisers:",             # 12
        "### 1. What is momentum?",
        "A running average of gradients.",
    )
    items = by_line(r)
    assert (items[1].answer_line_start, items[1].answer_line_end) == (2, 6)
    assert (items[7].answer_line_start, items[7].answer_line_end) == (8, 8)
