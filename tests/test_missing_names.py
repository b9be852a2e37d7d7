"""A place said of a body the text names is not a name the text lacks."""

from qa_bot.answering.missing_names import locates

DOCUMENT = "2016年，时任常务副市长率队到国家科技部汇报工作。学校设有大学生活动中心。"


def test_a_place_before_a_body_the_text_names_only_says_where_it_is() -> None:
    assert locates("北京", "他跑去北京科技部汇报了什么", DOCUMENT)


def test_a_place_before_a_bare_kind_of_body_is_still_asked() -> None:
    """湖南大学 is one university: a text saying only 大学 does not name it."""
    assert not locates("湖南", "湖南大学有多少学生", DOCUMENT)


def test_a_place_the_question_ends_with_is_still_asked() -> None:
    assert not locates("北京", "他去了北京", DOCUMENT)
