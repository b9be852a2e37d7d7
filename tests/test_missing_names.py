"""A place said of a body the text names is not a name the text lacks."""

from qa_bot.answering.missing_names import locates

from .conftest import BotOf

DOCUMENT = "2016年，时任常务副市长率队到国家科技部汇报工作。学校设有大学生活动中心。"


def test_a_place_before_a_body_the_text_names_only_says_where_it_is() -> None:
    assert locates("北京", "他跑去北京科技部汇报了什么", DOCUMENT)


def test_a_place_before_a_bare_kind_of_body_is_still_asked() -> None:
    """湖南大学 is one university: a text saying only 大学 does not name it."""
    assert not locates("湖南", "湖南大学有多少学生", DOCUMENT)


def test_a_place_the_question_ends_with_is_still_asked() -> None:
    assert not locates("北京", "他去了北京", DOCUMENT)


def test_a_quoted_name_is_named_only_whole(bot_of: BotOf) -> None:
    """「大东亚战争」 is that name: a text about 东亚 does not name it, though 青海地区 is named
    by 青海 when unquoted."""
    text = (
        "# 青山史话\n\n1938年，青山首相提出了大东亚共荣圈构想，引发了邻国的强烈抗议。"
        "此后爆发的那场战争，史书称为北方战争。\n"
    )
    bot = bot_of({"docs/history.md": text})
    assert not bot.ask("「大东亚战争」又被称为什么战争？").answered
    assert bot.ask("「大东亚共荣圈」构想是谁提出的？").answered
