"""Questions about the documents themselves (author, date, source, what it is about, its parts,
which documents there are), answered from front matter and headings — on a hand-made folder of
three documents about a small town, and on the shipped knowledge."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from qa_bot import QABot, Reply
from qa_bot.answering.document_fields import asks_about_a_document
from qa_bot.settings import Settings

from .conftest import BotOf

LIBRARY = """---
id: library
title: 青山镇图书馆建设
date: 2023-05-12
source: 青山日报
author: 李明
---
青山镇图书馆于2019年3月开馆，馆藏图书12万册。图书馆位于青山镇文化路8号。

## 一、概况
图书馆共三层，设有少儿阅览室和自习室。

## 二、服务
2022年，图书馆接待读者5.6万人次，举办讲座36场。

## 三、志愿者
图书馆有志愿者40名，他们来自镇中学、卫生院和农业合作社。
"""
BRIDGE = """---
id: bridge
title: 清河大桥通车
date: 2022-10
source: 清河晚报 · 城建特别报道
---
## 工程概况
### 桥梁结构
清河大桥全长1.2公里，双向四车道。

### 建设历程
大桥于2020年开工，2022年9月建成。

## 通车仪式
通车仪式在桥头广场举行，市长王强出席。
"""
PARK = """湖边公园改造纪要

湖边公园改造于2021年完成，新增步道3公里。公园还新建了儿童乐园。
"""


@pytest.fixture()
def town(make_knowledge: Callable[[dict[str, str | bytes]], Path], tmp_path: Path) -> QABot:
    root = make_knowledge(
        {"docs/library.md": LIBRARY, "docs/bridge.md": BRIDGE, "docs/park.txt": PARK}
    )
    return QABot.load(root, settings=Settings(cache_dir=tmp_path / "cache"))


def dialog(bot: QABot, *questions: str) -> Reply:
    """The reply to the last of ``questions`` asked in one fresh session."""
    bot.reset("t")
    reply = None
    for question in questions:
        reply = bot.ask(question, session_id="t")
    assert reply is not None
    return reply


@pytest.mark.parametrize(
    ("questions", "expected"),
    [
        (["《青山镇图书馆建设》是谁写的？"], "作者：李明"),
        (["《青山镇图书馆》的作者是谁"], "李明"),  # part of the title
        (["《青山镇图书馆建设》一文署名的作者是____。"], "李明"),  # a blank, 一文, 署名的作者
        (["《青山镇图书管建设》作者叫什么"], "李明"),  # a near spelling
        (["图书馆那篇是谁写的？"], "李明"),  # a title's distinctive word
        (["《青山镇图书馆建设》哪天发的"], "2023年5月12日"),
        (["《清河大桥通车》是什么时候发表的"], "2022年10月"),
        (["《清河大桥通车》来源是哪里"], "清河晚报"),
        (["青山镇图书馆有多少名志愿者？", "这篇报道是哪天发的？"], "2023年5月12日"),
        (["青山镇图书馆有多少名志愿者？", "出自哪家报纸"], "青山日报"),
        (["青山镇图书馆有多少名志愿者？", "该文的作者是谁"], "李明"),
        (["青山镇图书馆有多少名志愿者？", "作者是谁"], "李明"),
        (["《青山镇图书馆建设》是哪个记者写的"], "李明"),
        (["那篇“城建特别报道”是什么时候见报的"], "2022年10月"),  # named by its column
        (["城建特别报道是什么时候登报的"], "2022年10月"),  # by its column's words, unquoted
        (["李明写的那篇是哪天发的"], "2023年5月12日"),  # named by its author
        (["李明写的《青山镇图书馆建设》登在哪个栏目"], "青山日报"),
        (["《清河大桥通车》的标题是什么"], "标题是《清河大桥通车》"),
        (["《青山镇图书馆建设》署的是谁的名？"], "李明"),
        (["那期“城建特别报道”是哪一年出的报纸"], "2022年10月"),  # the issue of a paper
        (["《青山鎮圖書館建設》是哪一天登出來的？"], "2023年5月12日"),  # not 注销 (log out)
        (["《青山镇图书馆建设》署名的记者叫什么"], "李明"),
        (["青山镇图书馆建设 发表日期 星期几"], "2023年5月12日（星期五）"),  # keywords
    ],
)
def test_front_matter_answers(town: QABot, questions: list[str], expected: str) -> None:
    reply = dialog(town, *questions)
    assert reply.answered
    assert reply.kind == "fact"
    assert expected in reply.answer
    source = reply.sources[0]
    assert source.section == ""
    assert source.title in reply.answer
    assert source.title in reply.text


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("那篇讲大桥通车仪式的特别报道是什么时候见报的？", "《清河大桥通车》发表于2022年10月"),
        ("介绍馆藏图书和志愿者的那篇文章，作者是谁", "《青山镇图书馆建设》的作者：李明"),
        ("写桥梁结构和建设历程的报道，标题叫什么？", "标题是《清河大桥通车》"),
        ("写桥梁结构和建设历程的那篇报道，大标题是什么", "标题是《清河大桥通车》"),
        ("盘点公园步道改造的那篇稿子主要讲什么", "《湖边公园改造纪要》主要讲"),
        ("那篇講大橋通車儀式的特別報導是什麼時候刊出的", "《清河大桥通车》发表于2022年10月"),
    ],
)
def test_a_document_described_by_what_it_is_about(
    town: QABot, question: str, expected: str
) -> None:
    """A reader who does not remember the title says what the article was about."""
    reply = dialog(town, question)
    assert reply.answered
    assert expected in reply.answer


@pytest.mark.parametrize(
    "question",
    [
        "那篇讲火星探测的报道是哪天发的？",  # no document is about it
        "报道里说图书馆是哪一年开馆的",  # content asked, not a field of the document
    ],
)
def test_a_description_no_document_fits_is_no_document_answer(town: QABot, question: str) -> None:
    reply = dialog(town, question)
    assert reply.kind != "fact" or "发表于" not in reply.answer


def test_the_citation_quotes_the_front_matter_line(town: QABot) -> None:
    source = dialog(town, "《青山镇图书馆建设》是谁写的？").sources[0]
    assert (source.doc_id, source.title, source.snippet) == (
        "library",
        "青山镇图书馆建设",
        "author: 李明",
    )


@pytest.mark.parametrize(
    "questions",
    [
        ["《青山镇图书馆建设》这篇主要讲的是啥"],
        ["青山镇图书馆有多少名志愿者？", "这篇文章讲了什么"],
        ["《青山镇图书馆建设》的主要内容是什么？"],
    ],
)
def test_what_a_document_is_about_is_its_title_lead_and_parts(
    town: QABot, questions: list[str]
) -> None:
    reply = dialog(town, *questions)
    assert reply.answered
    assert "《青山镇图书馆建设》" in reply.answer
    assert "青山镇图书馆于2019年3月开馆" in reply.answer  # its first sentence
    assert "志愿者40名" not in reply.answer  # not the whole text
    assert "一、概况；二、服务；三、志愿者" in reply.answer
    assert reply.sources[0].snippet == "青山镇图书馆于2019年3月开馆，馆藏图书12万册。"


@pytest.mark.parametrize("follow_up", ["它有哪些部分", "分几个部分？", "有哪些小标题"])
def test_parts_are_the_headings_in_order_with_their_count(town: QABot, follow_up: str) -> None:
    reply = dialog(town, "清河大桥有多长？", follow_up)
    assert reply.answered
    assert reply.answer == (
        "《清河大桥通车》共2个部分：1. 工程概况（桥梁结构，建设历程）；2. 通车仪式。"
    )


@pytest.mark.parametrize("question", ["知识库里有哪些文章？", "收录了几篇", "一共有多少篇文档"])
def test_the_catalogue_lists_titles_with_dates(town: QABot, question: str) -> None:
    reply = dialog(town, question)
    assert reply.answered
    assert reply.kind == "list"
    assert "3篇" in reply.answer
    assert "《清河大桥通车》（2022年10月）" in reply.answer
    assert "《青山镇图书馆建设》（2023年5月12日）" in reply.answer
    assert "《湖边公园改造纪要》" in reply.answer
    assert [s.doc_id for s in reply.sources] == ["bridge", "library", "park"]


def test_a_missing_field_is_said_honestly(town: QABot) -> None:
    reply = dialog(town, "《清河大桥通车》是谁写的？")
    assert not reply.answered
    assert reply.answer == "《清河大桥通车》没有注明作者。"
    assert reply.sources[0].doc_id == "bridge"


def test_a_plain_text_document_has_its_first_line_as_title_and_no_parts(town: QABot) -> None:
    about = dialog(town, "《湖边公园改造纪要》讲了什么？")
    assert about.answered
    assert "湖边公园改造于2021年完成" in about.answer
    parts = dialog(town, "《湖边公园改造纪要》讲了什么？", "分几个部分")
    assert not parts.answered
    assert "《湖边公园改造纪要》没有分部分" in parts.answer


def test_this_document_without_a_dialog_asks_which_one_and_the_choice_answers(
    town: QABot,
) -> None:
    reply = dialog(town, "这篇报道的作者是谁？")
    assert reply.kind == "clarify"
    assert "3篇" in reply.answer
    for title in ["清河大桥通车", "青山镇图书馆建设", "湖边公园改造纪要"]:
        assert f"《{title}》" in reply.answer
    chosen = town.ask("第二篇", session_id="t")
    assert "作者：李明" in chosen.answer
    assert chosen.sources[0].doc_id == "library"
    after = town.ask("哪天发的？", session_id="t")  # 这篇 is now the chosen one
    assert "2023年5月12日" in after.answer


def test_with_one_document_this_document_is_that_one(
    make_knowledge: Callable[[dict[str, str | bytes]], Path], tmp_path: Path
) -> None:
    root = make_knowledge({"docs/library.md": LIBRARY})
    bot = QABot.load(root, settings=Settings(cache_dir=tmp_path / "cache"))
    assert "李明" in bot.ask("作者是谁").answer


@pytest.mark.parametrize(
    "question",
    [
        "图书馆有多少名志愿者？",
        "研究作者是谁",
        "志愿者来自哪里？",
        "科技工作者有多少",
        "图书馆的主要服务有哪些",
        "讲座的内容是什么",
        "《全民阅读促进条例》是什么时候发布的？",  # a title, but of no document here
    ],
)
def test_content_questions_are_not_taken_for_document_questions(town: QABot, question: str) -> None:
    guarded = town.pipeline.guard.run(question)
    assert town.pipeline.documents.run(guarded) is None
    assert not asks_about_a_document(guarded.normalised) or "《" in question


@pytest.mark.parametrize(
    ("follow_up", "expected"),
    [
        ("谁写了这篇报道", "作者：李明"),
        ("记者是谁？", "作者：李明"),
        ("发表日期是哪天", "2023年5月12日"),
        ("这篇是哪年写的", "2023年5月12日"),
        ("这篇报道刊登在哪份报纸上", "青山日报"),
        ("原文出自哪里", "青山日报"),
        ("介绍一下这篇文章", "主要讲"),
        ("文章的大意是什么", "主要讲"),
        ("这篇报道分为哪几部分", "共3个部分"),
        ("这篇报道分了几个方面讲", "共3个部分"),  # a verb of telling after the sections
        ("文章结构是怎样的", "共3个部分"),
    ],
)
def test_other_wordings_of_document_questions(town: QABot, follow_up: str, expected: str) -> None:
    reply = dialog(town, "青山镇图书馆有多少名志愿者？", follow_up)
    assert expected in reply.answer
    assert reply.sources[0].doc_id == "library"


def test_title_words_every_title_shares_do_not_name_a_document(bot: QABot) -> None:
    """衡阳 and 创新 are in both shipped titles: 衡阳创新的来源 asks about content."""
    guarded = bot.pipeline.guard.run("衡阳创新的来源是什么")
    assert bot.pipeline.documents.run(guarded) is None


def test_a_content_question_still_gets_its_content_answer(town: QABot) -> None:
    reply = dialog(town, "图书馆有多少名志愿者？")
    assert "40" in reply.answer
    assert reply.sources[0].section == "三、志愿者"


def test_shipped_author(bot: QABot) -> None:
    bot.reset("doc-author")
    reply = bot.ask("《创新衡阳 展示磅礴力量》是谁写的？", session_id="doc-author")
    assert reply.answered
    assert "谢丹" in reply.answer


def test_shipped_date_of_the_document_just_answered_from(bot: QABot) -> None:
    bot.reset("doc-date")
    first = bot.ask("2020年大数据科技传播与应用高峰论坛在哪里举行？", session_id="doc-date")
    assert first.sources[0].title == "创新衡阳 展示磅礴力量"
    reply = bot.ask("这篇报道是哪天发的？", session_id="doc-date")
    assert "2021年1月8日" in reply.answer


CAPTIONS = (
    "# 青山镇新闻\n\n青山镇图书馆开馆仪式 ■李明 摄\n\n青山中学学生参加机器人比赛 ■王芳 摄\n\n"
    "青山镇图书馆于2023年5月开馆，藏书十二万册。\n"
)


def test_a_photo_is_credited_by_its_caption(bot_of: BotOf) -> None:
    """A newspaper's caption (…… ■张三 摄) never says 照片: 那张照片是谁拍的 asks for the name
    before 摄, and the caption stands alone, not run on into the next one."""
    bot = bot_of({"docs/news.md": CAPTIONS})
    reply = bot.ask("图书馆开馆那张照片是谁拍的？")
    assert reply.answered and "李明" in reply.answer and "王芳" not in reply.answer
    assert "王芳" in bot.ask("机器人比赛的图片是哪位记者拍的").answer
    assert "王芳" in bot.ask("机器人比赛那张配图是哪个摄影记者拍的啊").answer
    shown = bot.ask("王芳拍的那张照片拍的是什么场景？")  # the caption credited to her
    assert shown.answered and "机器人比赛" in shown.answer and "开馆" not in shown.answer


SIGNED = (
    "---\ntitle: 青山镇年报\nauthor: 李明\n---\n\n青山镇今年引进博士50名。\n\n"
    "## 擦亮招牌，创新发展正当时\n\n■本报评论员\n\n创新是引领发展的第一动力。\n"
)


def test_a_signed_part_of_a_document_is_credited_to_its_signature(bot_of: BotOf) -> None:
    """A commentary under its own heading, signed ■本报评论员 on the line below it: asked by
    its heading or as 那篇评论, its signature answers; the page's own author is still 李明."""
    bot = bot_of({"docs/report.md": SIGNED})
    by_heading = bot.ask("“擦亮招牌，创新发展正当时”那篇评论是谁写的")
    assert by_heading.answered and "本报评论员" in by_heading.answer
    titled = bot.ask("那篇评论员文章的题目叫什么")
    assert "创新发展正当时" in titled.answer and "本报评论员" in titled.answer
    assert "李明" in bot.ask("《青山镇年报》是谁写的？").answer
    named = bot.ask("本报评论员那篇《擦亮招牌》的作者叫什么名字？")  # the signature is all there is
    assert not named.answered and "只署名" in named.answer and "本报评论员" in named.answer
    unnamed = bot.ask("“擦亮招牌，创新发展正当时”的作者叫什么名字？")  # a post signs, no name
    assert not unnamed.answered and "只署名" in unnamed.answer
    by_post = bot.ask("“擦亮招牌，创新发展正当时”这篇评论是哪位评论员写的？")
    assert by_post.answered and "本报评论员" in by_post.answer


def test_a_day_asked_of_a_document_dated_to_the_month_is_not_made_up(town: QABot) -> None:
    """清河大桥通车 is dated 2022-10: 哪一天见报 gets the month and says the day is not given;
    哪天的报纸 is a question about the date too."""
    reply = town.ask("《清河大桥通车》是哪一天见报的？")
    assert not reply.answered and "2022年10月" in reply.answer and "哪一天" in reply.answer
    assert "2022年10月" in town.ask("《清河大桥通车》是什么时候发的").answer
    assert "2023年5月12日" in town.ask("《青山镇图书馆建设》是哪天的报纸").answer


def test_a_weekday_asked_after_the_date_is_the_documents(town: QABot) -> None:
    """那天 of a second question points at the date the first one asked."""
    reply = dialog(town, "《青山镇图书馆建设》是哪天发的，那天星期几")
    assert reply.answered
    assert "2023年5月12日（星期五）" in reply.answer


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("《清河大桥通车》里面的“工程概况”分了哪几块？", "分为2个部分：桥梁结构；建设历程"),
        ("工程概况一共分成了几个方面", "分为2个部分"),  # the one document with that section
        ("《清河大桥通车》总结的工程概况分了哪几块？", "分为2个部分"),  # 总结的: no heading word
        # a story clause, the town before the heading's words, 的, and the count asked
        ("我在写作业，清河大桥的工程概况分成哪两个方面？", "分为2个部分"),
    ],
)
def test_the_parts_of_a_named_section(town: QABot, question: str, expected: str) -> None:
    """A question about how one section is divided gets that section's sub-headings."""
    reply = dialog(town, question)
    assert reply.answered
    assert expected in reply.answer


@pytest.mark.parametrize(
    "question",
    [
        "按“青山镇图书馆建设”那篇的说法，图书馆有多少名志愿者？",
        "据《青山镇图书馆建设》报道，图书馆有多少名志愿者",
        "城建特别报道里，清河大桥全长多少",
        "晚报特别报道发稿时，清河大桥全长多少",  # pieces of the source; as of publication
    ],
)
def test_a_content_question_scoped_to_a_named_document(town: QABot, question: str) -> None:
    """The words naming where to look are not words to look for: the question is answered."""
    reply = dialog(town, question)
    assert reply.answered
    assert "40名" in reply.answer or "1.2公里" in reply.answer


@pytest.mark.parametrize(
    ("question", "doc_id"),
    [
        ("第二篇文章是谁写的？", "library"),
        ("第1篇是哪天发表的", "bridge"),
        ("头一篇的来源是哪里", "bridge"),
        ("最后一篇讲的是什么", "park"),
    ],
)
def test_a_document_named_by_its_place_in_the_catalogue(
    town: QABot, question: str, doc_id: str
) -> None:
    """A reader who has seen the list of documents names one by its number there."""
    reply = dialog(town, "知识库里有哪些文章？", question)
    assert reply.kind in {"fact", "abstain"}
    assert reply.sources[0].doc_id == doc_id
    assert reply.sources[0].title in reply.answer


def test_a_place_past_the_last_document_is_said(town: QABot) -> None:
    reply = dialog(town, "第5篇文章是谁写的")
    assert not reply.answered
    assert "只收录了3篇" in reply.answer


@pytest.mark.parametrize("question", ["这3篇文章分别是哪天发表的？", "每篇文章的发表日期是什么"])
def test_every_document_is_answered_at_once(town: QABot, question: str) -> None:
    """A journalist checks every article's date in one question: no clarification."""
    reply = dialog(town, question)
    assert reply.answered
    assert "2022年10月" in reply.answer and "2023年5月12日" in reply.answer
    assert "《湖边公园改造纪要》没有注明发表日期" in reply.answer


def test_a_column_is_not_a_newspaper(bot_of: BotOf) -> None:
    """A source naming only a column does not say which paper printed it."""
    front = "---\ntitle: 青山年度盘点\nsource: 2023 年度热词·特别报道\n---\n"
    bot = bot_of({"docs/a.md": front + "青山镇有图书馆1座。\n"})
    paper = bot.ask("这篇报道登在哪家报纸上？")
    assert not paper.answered
    assert "年度热词·特别报道" in paper.answer and "没有写明是哪家报纸" in paper.answer
    column = bot.ask("这篇报道出自哪个栏目？")
    assert column.answered and "年度热词·特别报道" in column.answer


@pytest.mark.parametrize(
    ("question", "title"),
    [
        ("哪篇报道里提到了图书馆的志愿者？", "青山镇图书馆建设"),
        ("市长王强出席通车仪式是在哪篇报道里？", "清河大桥通车"),
    ],
)
def test_which_document_says_it_is_named_first(town: QABot, question: str, title: str) -> None:
    """Asked which article says something, the answer leads with that article's title."""
    reply = dialog(town, question)
    assert reply.answered
    assert reply.answer.startswith(f"见《{title}》：")


def test_a_description_before_a_title_is_not_content(town: QABot) -> None:
    reply = dialog(town, "介绍馆藏图书的那篇《青山镇图书馆建设》，作者署名是谁？")
    assert reply.answered and "李明" in reply.answer


def test_a_section_of_another_document_than_the_last_answer(town: QABot) -> None:
    """The dialog's last document need not be the one with the section asked about."""
    reply = dialog(town, "青山镇图书馆有多少名志愿者？", "工程概况一共分了几个方面来介绍")
    assert reply.answered
    assert "《清河大桥通车》的“工程概况”分为2个部分" in reply.answer
