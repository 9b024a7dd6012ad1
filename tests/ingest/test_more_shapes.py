"""Shapes seen in public question banks beyond the sample documents, each in a small
document written for this test: answers folded in `<details>`, bold question lines,
topic lines with sub-questions, Q/A inside bullets, headings without a space or with a
dotted number, lists of questions written as headings, imperative list questions."""

from __future__ import annotations

from interview_coach.ingest.parse import parse_lines


def parse(text: str) -> list[tuple[int, str, int | None, int | None, str | None]]:
    """(question line, question, answer start, answer end, answer text) per item."""
    items = parse_lines(text.split("\n")).items
    return [(it.question_line, it.question, it.answer_line_start, it.answer_line_end, it.answer) for it in items]


def test_details_labelled_answer_belongs_to_the_question_before_it() -> None:
    doc = "\n".join([
        "## Regularisation",                                   # 1
        "",
        "1. Why does weight decay help?",                       # 3
        "",
        "<details><summary><b>Answer</b></summary>",            # 5
        "",
        "It keeps weights small, which limits variance.",       # 7
        "",
        "</details>",                                           # 9
        "",
        "2. 什么是早停？",                                        # 11
        "<details>",                                            # 12
        "<summary>点击查看答案</summary>",
        "验证集损失不再下降时停止训练。",                            # 14
        "</details>",
        "",
        "3. What is label smoothing?",                          # 17
        "<details><summary>Show answer</summary>Soft targets instead of one-hot.</details>",  # 18
    ])
    assert parse(doc) == [
        (3, "Why does weight decay help?", 7, 7, "It keeps weights small, which limits variance."),
        (11, "什么是早停？", 14, 14, "验证集损失不再下降时停止训练。"),
        (17, "What is label smoothing?", 18, 18, "Soft targets instead of one-hot."),
    ]


def test_details_with_a_question_summary_is_still_a_question() -> None:
    doc = "<details><summary>What is a logit?</summary>\n\nA score before softmax.\n\n</details>"
    assert parse(doc) == [(1, "What is a logit?", 3, 3, "A score before softmax.")]


def test_bold_question_lines_with_difficulty_marks() -> None:
    doc = "\n".join([
        "# Notes",
        "",
        "## Trees",                                             # 3
        "",
        "**What is a decision stump? 👶**",                      # 5
        "",
        "A tree with a single split.",                          # 7
        "",
        "<br/>",
        "",
        "**Which criteria can a tree split on? ⭐️**",            # 11
        "",
        "1. Gini impurity.",                                    # 13
        "2. Entropy.",                                          # 14
    ])
    items = parse_lines(doc.split("\n")).items
    assert [(it.question, it.section, it.answer_line_start, it.answer_line_end) for it in items] == [
        ("What is a decision stump? 👶", "Trees", 7, 7),
        ("Which criteria can a tree split on? ⭐️", "Trees", 13, 14),
    ]
    assert {it.shape for it in items} == {"bold_questions"}


def test_topic_line_with_indented_sub_questions_is_one_question() -> None:
    doc = "\n".join([
        "1. Gradient boosting.",                                # 1
        "    1. How does it differ from bagging?",
        "    1. Why does a small learning rate help?",
        "",
        "Answer: Trees are fitted to residuals, one after another.",  # 5
        "",
        "2. What is a residual?",                               # 7
        "Answer: Target minus prediction.",
    ])
    assert parse(doc) == [
        (1, "Gradient boosting. How does it differ from bagging? Why does a small learning rate help?", 5, 5,
         "Trees are fitted to residuals, one after another."),
        (7, "What is a residual?", 8, 8, "Target minus prediction."),
    ]


def test_an_answer_with_a_numbered_list_is_not_taken_for_sub_questions() -> None:
    doc = "1. What is dropout?\n   1. Units are zeroed at random.\n   2. Scaling keeps the mean.\n2. What is BN?\n"
    assert [q for _, q, *_ in parse(doc)] == ["What is dropout?", "What is BN?"]


def test_qa_pairs_inside_bullets_with_single_emphasis() -> None:
    doc = "\n".join([
        "## 2. Optimisers",                                     # 1
        "",
        "*   **Q: Why does Adam need bias correction?**",        # 3
        "    - *A:* The moment estimates start at zero.",       # 4
        "*   **Q: What does momentum smooth?**",                # 5
        "    > * A: The direction of successive updates.",      # 6
    ])
    items = parse_lines(doc.split("\n")).items
    assert [(it.question, it.answer, it.section, it.number) for it in items] == [
        ("Why does Adam need bias correction?", "The moment estimates start at zero.", "Optimisers", None),
        ("What does momentum smooth?", "The direction of successive updates.", "Optimisers", None),
    ]


def test_heading_without_space_and_dotted_numbers() -> None:
    doc = "\n".join([
        "## 4.2 正则化",                                          # 1
        "",
        "### 4.2.1 为什么需要正则化？",                             # 3
        "减少过拟合。",
        "",
        "### 4.2.2 常见的正则化方法",                               # 6
        "1. L1 正则",
        "2. L2 正则",
        "",
        "###3、Dropout 为什么有效？",                               # 10
        "相当于集成多个子网络。",
    ])
    items = parse_lines(doc.split("\n")).items
    assert [(it.question_line, it.question, it.number, it.section, it.answer_line_start, it.answer_line_end)
            for it in items] == [
        (3, "为什么需要正则化？", 1, "正则化", 4, 4),
        (6, "常见的正则化方法", 2, "正则化", 7, 8),
        (10, "Dropout 为什么有效？", 3, "正则化", 11, 11),
    ]


def test_a_list_of_questions_written_as_headings() -> None:
    doc = "\n".join([
        "# Interview prep",
        "",
        "## Deep learning",                                     # 3
        "",
        "#### **Why do residual connections help?**",           # 5
        "",
        "#### **Implement k-means from scratch**",              # 7
        "",
        "#### **Vanishing gradients in RNNs**",                 # 9
        "#### **What is teacher forcing?**",                    # 10
        "#### **How does beam search work?**",                  # 11
    ])
    items = parse_lines(doc.split("\n")).items
    assert [(it.question_line, it.question, it.section) for it in items] == [
        (5, "Why do residual connections help?", "Deep learning"),
        (7, "Implement k-means from scratch", "Deep learning"),
        (9, "Vanishing gradients in RNNs", "Deep learning"),
        (10, "What is teacher forcing?", "Deep learning"),
        (11, "How does beam search work?", "Deep learning"),
    ]


def test_imperative_list_entries_beside_question_entries() -> None:
    doc = "\n".join([
        "## Metrics",
        "- What is recall?",                                    # 2
        "  - Share of positives found.",
        "- Explain the F1 score.",                              # 4
        "  - Harmonic mean of precision and recall.",
        "- 简述 ROC 曲线的含义。",                                  # 6
        "- Accuracy: share of right predictions.",              # 7 a definition, not a question
        "- What is AUC?",                                       # 8
        "3. ...",
    ])
    got = parse(doc)
    assert [(line, q) for line, q, *_ in got] == [
        (2, "What is recall?"), (4, "Explain the F1 score."), (6, "简述 ROC 曲线的含义。"), (8, "What is AUC?")]
    assert got[1][4] == "- Harmonic mean of precision and recall."
    assert got[3][4] is None  # the "3. ..." placeholder is no answer


def test_admonition_questions_with_folded_answers_inside_a_folded_chapter() -> None:
    doc = "\n".join([
        "## Retrieval",                                                   # 1
        "<details>",
        "<summary>Chapter 3</summary>",                                   # a folded section
        "",
        ":::note[Question: Why chunk documents before embedding them?]{.q}",  # 5
        ":::",
        "<details>",
        "<summary>Answer</summary>",
        ":::tip",
        "Long texts blur into one vector; chunks keep passages findable.",   # 10
        ":::",
        "</details>",
        "",
        ":::note[Question: What is reranking?]",                          # 14
        ":::",
        "<details><summary>Answer</summary>",
        "",
        "A second, slower model reorders the top hits.",                  # 18
        "",
        "</details>",
        "</details>",
    ])
    items = parse_lines(doc.split("\n")).items
    assert [(it.question_line, it.question, it.section) for it in items] == [
        (5, "Why chunk documents before embedding them?", "Retrieval"),
        (14, "What is reranking?", "Retrieval"),
    ]
    assert "findable" in (items[0].answer or "") and items[1].answer == "A second, slower model reorders the top hits."


def test_labelled_question_with_its_translation_and_unfenced_code_comments() -> None:
    doc = "\n".join([
        "題目:",                                                   # 1
        "請說明如何處理類別不平衡的資料集。",                           # 2
        "(Explain how to handle an imbalanced dataset.)",          # 3
        "考察重點:",                                                # 4
        "是否了解重採樣與加權。",
        "解答:",                                                   # 6
        "可以過採樣少數類別，或在損失中加權。",                          # 7
        "import numpy as np",
        "",
        "# 1. 建立資料",                                            # 10 a code comment, not a title
        "x = np.zeros(10)",
        "# 觀察少數類別的召回率。",                                    # 12
        "",
        "題目:",                                                   # 14
        "什麼是 focal loss？",
        "解答:",
        "降低易分類樣本的權重。",                                       # 17
    ])
    items = parse_lines(doc.split("\n")).items
    assert [(it.question_line, it.question, it.lang, it.translations, it.section) for it in items] == [
        (2, "請說明如何處理類別不平衡的資料集。", "zh-Hant",
         {"zh-Hant": "請說明如何處理類別不平衡的資料集。", "en": "Explain how to handle an imbalanced dataset."}, None),
        (15, "什麼是 focal loss？", "zh-Hant", {}, None),  # a Chinese question with an English term is Chinese
    ]
    assert items[0].answer_line_end == 12 and "x = np.zeros(10)" in (items[0].answer or "")


def test_a_title_after_a_code_block_is_still_a_heading() -> None:
    doc = "\n".join([
        "## What does this print?",
        "```python",
        "print(1)",
        "```",
        "# Part two",
        "## Why use a virtual environment?",
        "Isolation of dependencies.",
    ])
    items = parse_lines(doc.split("\n")).items
    assert [(it.question, it.section) for it in items] == [
        ("What does this print?", None), ("Why use a virtual environment?", "Part two")]


def test_a_folded_list_of_questions_and_a_table_of_contents() -> None:
    doc = "\n".join([
        "# 大模型面试",
        "## 目录",
        "1. [检索](#检索)",                                          # 3: links, not questions
        "2. [部署](#部署)",
        "## 检索",                                                  # 5
        "<details>",
        "<summary>查看问题</summary>",
        "",
        "- **向量召回与关键词召回如何结合？**",                            # 9
        "- **重排模型的作用**",                                         # 10
        "",
        "[完整文档 →](/docs/rag)",
        "</details>",
    ])
    items = parse_lines(doc.split("\n")).items
    assert [(it.question_line, it.question, it.section, it.answer) for it in items] == [
        (9, "向量召回与关键词召回如何结合？", "检索", None), (10, "重排模型的作用", "检索", None)]


def test_lazy_numbering_and_a_separate_part_of_qa_pairs() -> None:
    doc = "\n".join([
        "## 基础",
        "1. 什么是梯度累积？",                                         # 2
        "   用多个小批次的梯度模拟大批次。",
        "1. 说明混合精度训练的原理",                                     # 4: no "?", numbered 1. like all
        "   前向用半精度，主权重保留单精度。",
        "1. 列举常见的学习率调度",                                       # 6
        "   余弦退火、线性预热。",
        "## 场景题",
        "Q：显存不够怎么办？",                                           # 9
        "A：减小批次，开启梯度检查点。",
    ])
    got = parse(doc)
    assert [(line, q, a) for line, q, _, _, a in got] == [
        (2, "什么是梯度累积？", "用多个小批次的梯度模拟大批次。"),
        (4, "说明混合精度训练的原理", "前向用半精度，主权重保留单精度。"),
        (6, "列举常见的学习率调度", "余弦退火、线性预热。"),
        (9, "显存不够怎么办？", "减小批次，开启梯度检查点。"),
    ]


def test_a_one_line_chinese_answer_is_not_a_translation_of_the_question() -> None:
    doc = "**1. KV cache vs prefix cache？**\n 前者缓存本次生成的键值，后者跨请求复用公共前缀。\n"
    items = parse_lines(doc.split("\n")).items
    assert [(it.question, it.translations, it.answer) for it in items] == [
        ("KV cache vs prefix cache？", {}, "前者缓存本次生成的键值，后者跨请求复用公共前缀。")]


def test_question_sub_headings_inside_an_answer_stay_in_it() -> None:
    doc = "\n".join([
        "#### Why clip gradients?",                             # 1
        "##### Short answer",                                     # 2: a label heading
        "- Exploding updates are bounded.",
        "##### What happens without it?",                       # 4: a sub-heading of the answer
        "Loss spikes to NaN.",
        "#### Why warm up the learning rate?",                  # 6
        "Adam's early moment estimates are noisy.",
    ])
    assert [(line, q, s, e) for line, q, s, e, _ in parse(doc)] == [
        (1, "Why clip gradients?", 3, 5), (6, "Why warm up the learning rate?", 7, 7)]


def test_scenario_labels_and_quoted_questions() -> None:
    doc = "\n".join([
        "### Scenario 1",
        "**Q: \"How would you serve a 70B model on one node?\"**",  # 2
        "",
        "**Your Answer:**",
        "Tensor parallelism across the GPUs, quantised weights.",  # 5
    ])
    assert parse(doc) == [(2, "How would you serve a 70B model on one node?", 5, 5,
                           "Tensor parallelism across the GPUs, quantised weights.")]


def test_bold_list_entries_with_answers_beside_asking_ones() -> None:
    doc = "\n".join([
        "## CNN",
        "- **Why share weights in a convolution?**",            # 2
        "    * Translation equivariance and fewer parameters.",
        "- **Receptive field growth with depth**",              # 4: bold, answered, no "?"
        "    * Each layer widens it by kernel size minus one.",
        "- **Pooling**: a downsampling step.",                  # 6: a definition, not a question
    ])
    got = parse(doc)
    assert [(line, q) for line, q, *_ in got] == [
        (2, "Why share weights in a convolution?"), (4, "Receptive field growth with depth")]


def test_a_table_of_questions_without_answers_keeps_their_topic() -> None:
    doc = "\n".join([
        "## 面試熱點",
        "| 主題 | 常見問題 |",
        "|------|----------|",
        "| KV Cache | 為什麼能加速推論？ |",                           # 4
        "| Speculative decoding | How is the draft verified? |",  # 5
    ])
    assert [(line, q, a) for line, q, _, _, a in parse(doc)] == [
        (4, "KV Cache：為什麼能加速推論？", None), (5, "Speculative decoding: How is the draft verified?", None)]


def test_a_code_fence_left_open_in_a_list_item_ends_with_the_item() -> None:
    doc = "\n".join([
        "## 1. 什么是工具调用？",                                   # 1
        "1. 模型输出调用：",
        "   ```json",
        "   {\"name\": \"search\"}",
        "2. 系统执行后返回结果",                                     # 5: the unclosed fence ends here
        "## 2. 什么是 RAG？",                                      # 6
        "检索增强生成。",
    ])
    assert [(line, q) for line, q, *_ in parse(doc)] == [(1, "什么是工具调用？"), (6, "什么是 RAG？")]


def test_numbers_glued_to_words_headings_with_ids_and_more_answer_labels() -> None:
    doc = "\n".join([
        "## 面試問題 {#interview}",
        "1. What is an autoencoder?",                           # 2
        "Answer: A network trained to reconstruct its input.",
        "2.what does the bottleneck force?",                    # 4
        "Answer: A compressed representation.",
        "3. 如何評估檢索品質？",                                   # 6
        "**強力的回答：**",
        "看召回率與排序指標。",                                      # 8
    ])
    items = parse_lines(doc.split("\n")).items
    assert [(it.question_line, it.question, it.section, it.answer) for it in items] == [
        (2, "What is an autoencoder?", "面試問題", "A network trained to reconstruct its input."),
        (4, "what does the bottleneck force?", "面試問題", "A compressed representation."),
        (6, "如何評估檢索品質？", "面試問題", "看召回率與排序指標。"),
    ]


def test_plain_question_lines_outside_every_item_become_items() -> None:
    doc = "\n".join([
        "## 1. 什么是 SFT？",                                      # 1
        "用标注的指令数据微调。",
        "",
        "---",
        "",
        "面经补充：",
        "多路召回是什么？",                                          # 7
        "怎么规避大模型的幻觉？",                                     # 8
    ])
    got = parse(doc)
    assert [(line, q, a) for line, q, _, _, a in got] == [
        (1, "什么是 SFT？", "用标注的指令数据微调。"), (7, "多路召回是什么？", None), (8, "怎么规避大模型的幻觉？", None)]


def test_a_table_of_contents_is_no_section() -> None:
    doc = "\n".join([
        "# Notes",
        "## Table of Contents",
        "1. [What is a VAE?](#1-what-is-a-vae)",
        "## 1. What is a VAE?",                                # 4
        "An encoder-decoder with a latent distribution.",
        "## 2. What is a GAN?",                                # 6
        "A generator and a discriminator.",
    ])
    items = parse_lines(doc.split("\n")).items
    assert [(it.question_line, it.section) for it in items] == [(4, None), (6, None)]


def test_headings_that_open_like_questions_without_a_question_mark() -> None:
    doc = "\n".join([
        "# NLP notes",
        "## Embeddings",
        "### What is word2vec",                                 # 3
        "Predicts a word from its context, or the context from the word.",
        "### How does GloVe differ from word2vec",              # 5
        "It factorises global co-occurrence counts.",
        "### Why normalise embeddings",                         # 7
        "Cosine similarity becomes a dot product.",
        "### Training tips",                                    # 9: not a question
        "Use large batches.",
    ])
    assert [(line, q, a) for line, q, _, _, a in parse(doc)] == [
        (3, "What is word2vec", "Predicts a word from its context, or the context from the word."),
        (5, "How does GloVe differ from word2vec", "It factorises global co-occurrence counts."),
        (7, "Why normalise embeddings", "Cosine similarity becomes a dot product."),
    ]


def test_section_headings_that_open_like_questions_stay_sections() -> None:
    doc = "\n".join([
        "## How to use this list",
        "1. What is a tokenizer?",                               # 2
        "## What to expect",
        "2. Why use byte-level BPE?",                            # 4
        "## How we grade",
        "3. What is perplexity?",                                # 6
    ])
    items = parse_lines(doc.split("\n")).items
    assert [(it.question_line, it.section) for it in items] == [
        (2, "How to use this list"), (4, "What to expect"), (6, "How we grade")]


def test_metadata_and_an_admonition_before_the_answer() -> None:
    doc = "\n".join([
        "## Transformers",
        "### Why use layer normalization? - Asked at a big lab",   # 2
        "**Difficulty:** Easy",
        "??? success \"View Answer\"",
        "    It keeps each token's activations on one scale.",      # 5
        "### Why mask future tokens? - Asked twice",                # 6
        "??? success \"View Answer\"",
        "    The decoder must not see what it predicts.",           # 8
    ])
    assert [(line, q, s, a) for line, q, s, _, a in parse(doc)] == [
        (2, "Why use layer normalization? - Asked at a big lab", 5, "It keeps each token's activations on one scale."),
        (6, "Why mask future tokens? - Asked twice", 8, "The decoder must not see what it predicts."),
    ]


def test_multiple_choice_options_stay_with_the_question() -> None:
    doc = "\n".join([
        "1. 哪一項最能說明 dropout 的作用？",                           # 1
        "A. 加快推論",
        "B. 降低過擬合",
        "**答案：** B",                                             # 4
        "2. 下面哪张图表示欠拟合",                                      # 5: no question mark
        "**答案：** 第三张",
    ])
    items = parse_lines(doc.split("\n")).items
    assert [(it.question, it.answer, it.answer_line_start) for it in items] == [
        ("哪一項最能說明 dropout 的作用？\nA. 加快推論\nB. 降低過擬合", "B", 4),
        ("下面哪张图表示欠拟合", "第三张", 6),
    ]


def test_a_translation_line_before_the_answer_label_and_headings_inside_list_entries() -> None:
    doc = "\n".join([
        "### 1. 为什么注意力要除以 √d_k？",                                # 1
        "**Why is attention divided by √d_k?**",
        "**答案：** 防止 softmax 饱和。",                               # 3
        "### 2. 多头注意力有什么好处？",                                  # 4
        "**答案：** 不同的头关注不同的子空间。",
    ])
    items = parse_lines(doc.split("\n")).items
    assert [(it.question, it.translations, it.answer) for it in items] == [
        ("为什么注意力要除以 √d_k？", {"zh-Hans": "为什么注意力要除以 √d_k？", "en": "Why is attention divided by √d_k?"},
         "防止 softmax 饱和。"),
        ("多头注意力有什么好处？", {}, "不同的头关注不同的子空间。"),
    ]
    listed = "1. ### What is the curse of dimensionality? ⭐\n   `Ans:` Distances lose meaning in many dimensions.\n"
    assert parse(listed) == [(1, "What is the curse of dimensionality? ⭐", 2, 2,
                              "Distances lose meaning in many dimensions.")]


def test_numbered_questions_run_together_in_one_paragraph() -> None:
    doc = "一面：\n1.LoRA 的原理是什么?2.为什么要做 warmup?3.说说你的项目中最难的部分。\n"
    assert [(line, q) for line, q, *_ in parse(doc)] == [
        (2, "LoRA 的原理是什么?"), (2, "为什么要做 warmup?"), (2, "说说你的项目中最难的部分。")]


def test_exam_items_tagged_with_their_kind() -> None:
    doc = "\n".join([
        "## 练习题",
        "- 01 (单选)下列哪种方法不能缓解过拟合",                          # 2
        "- 02 (简答)简述 L1 正则的作用",                                # 3
        "- 03 (判断)Batch Normalization 只能用在卷积层",                  # 4
    ])
    assert [(line, q) for line, q, *_ in parse(doc)] == [
        (2, "01 (单选)下列哪种方法不能缓解过拟合"), (3, "02 (简答)简述 L1 正则的作用"),
        (4, "03 (判断)Batch Normalization 只能用在卷积层")]


def test_obsidian_question_and_answer_callouts_and_a_wikilink_contents_list() -> None:
    doc = "\n".join([
        "# Clustering",
        "1. [[#K-Means]]",
        "2. [[#DBSCAN]]",
        "## K-Means",
        "> [!question] How it is asked",
        "> \"How do you choose k in k-means?\"",                 # 6
        "",
        "> [!tip] Strong answer",
        "> - Elbow method and silhouette score.",                # 9
        "## DBSCAN",
        "> [!question]- When is DBSCAN a better choice than k-means?",  # 11: the title asks
        "> [!success] Answer",
        "> Arbitrary cluster shapes and a noise label.",         # 13
    ])
    assert [(line, q, s, e) for line, q, s, e, _ in parse(doc)] == [
        (6, "How do you choose k in k-means?", 9, 9), (11, "When is DBSCAN a better choice than k-means?", 13, 13)]


def test_a_translation_and_options_before_the_answer_and_an_explanation_after_it() -> None:
    doc = "\n".join([
        "### 1. 选择题：缩放点积注意力为什么要缩放？",                        # 1
        "**Why scale dot-product attention?**",
        "A) 减少参数",
        "B) 防止 softmax 饱和",
        "**答案：** B",                                             # 5
        "**解释：** 点积随维度增大而变大。",                               # 6
        "### 2. 判断题：Transformer 使用了循环结构？",                      # 7
        "**答案：** 错误",
    ])
    items = parse_lines(doc.split("\n")).items
    first = items[0]
    assert first.question == "选择题：缩放点积注意力为什么要缩放？\nA) 减少参数\nB) 防止 softmax 饱和"
    assert first.translations["en"] == "Why scale dot-product attention?"
    assert (first.answer, first.explanation) == ("B", "点积随维度增大而变大。")
    assert (items[1].question, items[1].answer) == ("判断题：Transformer 使用了循环结构？", "错误")


def test_question_n_headings_with_the_question_below_and_placeholder_answers() -> None:
    doc = "\n".join([
        "## Detection",
        "### Question 1",
        "**What does an anchor box encode?**",                  # 3
        "**Answer:** _To be filled_",
        "### Question 2",
        "**Explain non-maximum suppression.**",                 # 6
        "**Answer:** Keep the best box, drop overlapping ones above an IoU threshold.",
    ])
    items = parse_lines(doc.split("\n")).items
    assert [(it.question_line, it.question, it.section, it.answer) for it in items] == [
        (3, "What does an anchor box encode?", "Detection", None),
        (6, "Explain non-maximum suppression.", "Detection",
         "Keep the best box, drop overlapping ones above an IoU threshold."),
    ]


def test_a_bold_question_with_its_answer_on_the_same_line() -> None:
    doc = ("1.  **What is a stride?** How far the kernel moves at each step.\n"
           "2.  **Explain dilation.** Gaps between kernel taps widen the view.\n")
    assert parse(doc) == [(1, "What is a stride?", 1, 1, "How far the kernel moves at each step."),
                          (2, "Explain dilation.", 2, 2, "Gaps between kernel taps widen the view.")]


def test_decorated_question_headings_answer_sub_headings_and_group_headings() -> None:
    doc = "\n".join([
        "## Questions 1-2",
        "## 📌 Q1: Why does retrieval need chunking?",           # 2
        "### ✅ Answer",
        "Long documents blur into one vector.",                 # 4
        "## 📌 Q2: What does _re-ranking_ add?",                 # 5
        "### ✅ Answer",
        "A slower, more precise ordering of the top hits.",     # 7
        "## ✅ 3. 判断题",
        "注意力权重之和为 1。（对 / 错）",                              # 9
    ])
    items = parse_lines(doc.split("\n")).items
    assert [(it.question_line, it.question, it.number, it.answer) for it in items] == [
        (2, "Why does retrieval need chunking?", 1, "Long documents blur into one vector."),
        (5, "What does re-ranking add?", 2, "A slower, more precise ordering of the top hits."),
        (9, "注意力权重之和为 1。（对 / 错）", None, None),
    ]


def test_stray_questions_keep_the_answer_indented_under_them_and_not_the_next_label() -> None:
    doc = "\n".join([
        "#### 1. 稀疏",
        "**题目：** 长尾物品有哪些困难？",                                  # 2
        "**答案：** 曝光少。",
        "#### 2. 冷启动",
        "**题目：** 新用户怎么推荐？",                                    # 5
        "**答案：** 先用热门与画像。",
        "### 题库",
        "1. **如何缓解数据稀疏？**",                                      # 8
        "   - **答案：** 借助内容特征。",
        "2. **如何做实时推荐？**",                                        # 10
        "   - **答案：** 流式更新模型。",
        "面经：",
        "召回和排序有什么区别？",                                          # 13
        "多路召回怎么融合？",                                              # 14
        "Agent：",
    ])
    assert [(line, q, a) for line, q, _, _, a in parse(doc)] == [
        (2, "长尾物品有哪些困难？", "曝光少。"), (5, "新用户怎么推荐？", "先用热门与画像。"),
        (8, "如何缓解数据稀疏？", "借助内容特征。"), (10, "如何做实时推荐？", "流式更新模型。"),
        (13, "召回和排序有什么区别？", None), (14, "多路召回怎么融合？", None),
    ]
