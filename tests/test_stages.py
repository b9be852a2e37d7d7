"""Each answering stage on a small hand-made knowledge folder (a town library, not the shipped
articles): retrieval, sentence reading, fact search, fact answers, and the decision."""

from __future__ import annotations

import pytest

from qa_bot.answering.analysis import quoted_names
from qa_bot.answering.answer_types import AnswerType
from qa_bot.answering.decision import Decider
from qa_bot.answering.definitions import undefined
from qa_bot.answering.expected import quotes_asked
from qa_bot.answering.guard import InputGuard
from qa_bot.answering.intent import QType, Question
from qa_bot.answering.measures import counts_other
from qa_bot.answering.pipeline import Pipeline
from qa_bot.answering.reading import PassageAnswer
from qa_bot.answering.retrieval import Retrieved
from qa_bot.answering.terms import split_among
from qa_bot.models import Fact, Passage
from qa_bot.weights import ScoringWeights

from .conftest import BotOf

LIBRARY = """---
title: 青山镇图书馆建设
date: 2023-05
---
## 一、概况
青山镇图书馆于2019年3月开馆，馆藏图书12万册。图书馆位于青山镇文化路8号。

## 二、服务
2022年，图书馆接待读者5.6万人次，举办讲座36场。2023年，图书馆接待读者7.1万人次。

## 三、志愿者
图书馆有志愿者40名，他们来自镇中学、卫生院和农业合作社。
"""
FACTS = """
- {subject: 青山镇图书馆, attribute: 接待读者人次, value: "5.6万", unit: 人次, time: "2022",
   doc: library, evidence: "2022年，图书馆接待读者5.6万人次"}
- {subject: 青山镇图书馆, attribute: 接待读者人次, value: "7.1万", unit: 人次, time: "2023",
   doc: library, evidence: "2023年，图书馆接待读者7.1万人次"}
"""


@pytest.fixture()
def pipeline(bot_of: BotOf) -> Pipeline:
    return bot_of({"docs/library.md": LIBRARY, "facts/library.yaml": FACTS}).pipeline


def analysed(pipeline: Pipeline, message: str) -> tuple[Question, Retrieved]:
    question = pipeline.analyser.run(pipeline.guard.run(message))
    assert question is not None
    return question, pipeline.retriever.run(question)


def test_guard_refuses_before_reading_an_enormous_message() -> None:
    guarded = InputGuard(max_chars=50).run("问" * 10_000_000)
    assert guarded.refusal == "too_long"
    assert guarded.length == 10_000_000
    assert len(guarded.text) == 51


def test_guard_normalises_once_and_strips_phrasing() -> None:
    guarded = InputGuard(max_chars=50).run("  請問圖書館在哪裡呢？ ")
    assert guarded.refusal is None
    assert "图书馆" in guarded.normalised
    assert "请问" not in guarded.asked


def test_retrieval_ranks_the_passage_that_has_the_words(pipeline: Pipeline) -> None:
    _, retrieved = analysed(pipeline, "志愿者来自哪些单位？")
    top = pipeline.retriever.passages[retrieved.hits[0][0]]
    assert "志愿者40名" in top.text
    assert retrieved.top_doc == "library"


def test_reading_picks_the_sentence_that_answers(pipeline: Pipeline) -> None:
    question, retrieved = analysed(pipeline, "图书馆位于哪里？")
    found = pipeline.reader.run(question, retrieved)
    assert found is not None
    assert "文化路8号" in found.answer
    assert not found.missing_names


def test_reading_prefers_the_sentence_of_the_asked_year(pipeline: Pipeline) -> None:
    question, retrieved = analysed(pipeline, "2022年举办讲座多少场？")
    found = pipeline.reader.run(question, retrieved)
    assert found is not None and "36场" in found.answer


def test_fact_search_ranks_the_fact_of_the_asked_year_with_its_series(pipeline: Pipeline) -> None:
    question, _ = analysed(pipeline, "2023年图书馆接待读者多少人次？")
    matches = pipeline.facts.search.match(question, question.asked)
    assert matches and matches[0].fact.attribute == "接待读者人次"
    series = pipeline.facts.search.series_of(matches[0].fact)
    assert [f.time for f in series.facts] == ["2022", "2023"]


def test_fact_answer_looks_up_the_asked_year(pipeline: Pipeline) -> None:
    question, retrieved = analysed(pipeline, "2023年图书馆接待读者多少人次？")
    found = pipeline.facts.run(question, retrieved)
    assert found is not None and found.answered
    assert "7.1万人次" in found.answer


def test_fact_answer_computes_a_change_over_the_series(pipeline: Pipeline) -> None:
    question, retrieved = analysed(pipeline, "2022年到2023年图书馆接待读者增加了多少？")
    found = pipeline.facts.run(question, retrieved)
    assert found is not None and found.kind == "compute"
    assert "15000" in found.answer


@pytest.mark.parametrize(
    "question",
    ["2023年图书馆接待读者比2022年涨了多少？", "2023年比2022年图书馆接待读者多了多少人次？"],
)
def test_spoken_words_for_a_rise_ask_for_the_difference(pipeline: Pipeline, question: str) -> None:
    asked, retrieved = analysed(pipeline, question)
    found = pipeline.facts.run(asked, retrieved)
    assert found is not None and found.kind == "compute"
    assert "15000" in found.answer


QUALIFIED = """
- {subject: 青山镇, attribute: 图书室数量, value: "12", unit: 个, time: "2023", doc: library,
   evidence: "全镇有图书室12个"}
- {subject: 青山镇, attribute: 申报图书室数量, value: "20", unit: 个, time: "2023",
   qualifiers: [申报], doc: library, evidence: "申报图书室20个"}
- {subject: 青山镇, attribute: 预计新增图书室数量, value: "5", unit: 个, time: "2023",
   qualifiers: [预计, 新增], doc: library, evidence: "预计新增图书室5个"}
"""


def test_plain_question_gets_the_plain_figure_and_mentions_the_qualified(bot_of: BotOf) -> None:
    bot = bot_of({"docs/library.md": LIBRARY, "facts/rooms.yaml": QUALIFIED})
    plain = bot.ask("2023年青山镇有多少个图书室？")
    assert plain.kind == "fact" and plain.answer.startswith("2023年，青山镇图书室数量为12个。")
    assert "20个" in plain.answer and "5个" in plain.answer
    assert "20个" in bot.ask("申报的", session_id="default").answer
    assert "20个" in bot.ask("2023年青山镇申报了多少个图书室？").answer.split("。")[0]


def test_fact_answer_says_which_years_it_has(pipeline: Pipeline) -> None:
    question, retrieved = analysed(pipeline, "2020年图书馆接待读者多少人次？")
    found = pipeline.facts.run(question, retrieved)
    assert found is not None and not found.answered
    assert "2022年" in found.answer and "2023年" in found.answer


def passage_answer(coverage: float, sentence: str, missing: set[str]) -> PassageAnswer:
    passage = Passage(id="p1", doc_id="d", ordinal=0, section="", text=sentence)
    return PassageAnswer(passage, sentence, sentence, 1.0, coverage, coverage, [], missing, [])


def test_decision_answers_strong_evidence_and_abstains_on_weak(pipeline: Pipeline) -> None:
    question, _ = analysed(pipeline, "图书馆位于哪里？")
    guarded = pipeline.guard.run("图书馆位于哪里？")
    decide = Decider(abstain_threshold=0.4, weights=ScoringWeights()).run
    strong = decide(guarded, question, None, passage_answer(0.9, "图书馆位于文化路8号。", set()))
    weak = decide(guarded, question, None, passage_answer(0.2, "图书馆开馆。", set()))
    assert (strong.action, weak.action) == ("passage", "abstain")
    assert strong.answered and not weak.answered


def test_decision_abstains_when_the_document_lacks_a_name_asked(pipeline: Pipeline) -> None:
    question, _ = analysed(pipeline, "图书馆位于哪里？")
    guarded = pipeline.guard.run("图书馆位于哪里？")
    found = passage_answer(0.9, "图书馆位于文化路8号。", {"白云镇"})
    decision = Decider(0.4, ScoringWeights()).run(guarded, question, None, found)
    assert decision.action == "abstain"


def test_decision_halves_a_how_many_answer_without_a_figure(pipeline: Pipeline) -> None:
    question, _ = analysed(pipeline, "图书馆有多少名志愿者？")
    decider = Decider(0.4, ScoringWeights())
    with_figure = decider.confidence(passage_answer(0.8, "有志愿者40名。", set()), question)
    without = decider.confidence(passage_answer(0.8, "有志愿者。", set()), question)
    assert without == pytest.approx(with_figure / 2)


def test_examples_are_questions_the_pipeline_answers(pipeline: Pipeline) -> None:
    examples = pipeline.examples.all()
    assert examples
    assert all(pipeline.decide(example).answered for example in examples)


def test_a_role_the_knowledge_never_names_is_not_answered_by_another(pipeline: Pipeline) -> None:
    assert pipeline.decide("青山镇图书馆的馆长是谁？").action == "abstain"
    assert "卫生院" in pipeline.run("图书馆的志愿者来自哪里？").reply.answer


UNDATED = """
- {subject: 青山镇图书馆, attribute: 馆藏图书, value: "12万", unit: 册, doc: library,
   evidence: "馆藏图书12万册"}
"""


def test_an_undated_figure_answers_for_the_year_of_its_report_and_says_so(bot_of: BotOf) -> None:
    bot = bot_of({"docs/library.md": LIBRARY, "facts/books.yaml": UNDATED})
    reported = bot.ask("2023年那篇报道里图书馆馆藏图书有多少册？")
    assert reported.answered and reported.answer.startswith("据2023年5月的报道")
    assert "12万册" in reported.answer
    other_year = bot.ask("2020年图书馆馆藏图书有多少册？")
    assert not other_year.answered
    assert "没有注明年份" in other_year.answer and "12万册" in other_year.answer
    whole_year = bot.ask("2023年全年图书馆馆藏图书有多少册？")  # the report came out in May
    assert not whole_year.answered
    assert "没有注明年份" in whole_year.answer


def test_a_report_from_the_first_weeks_of_a_year_gives_no_figure_for_that_year(
    bot_of: BotOf,
) -> None:
    """A report of 8 January 2024 gives a running total, not 2024's figure; asked for as that
    report gave it (那篇报道里…累计), it still answers, with the report's date."""
    early = LIBRARY.replace("date: 2023-05", "date: 2024-01-08")
    bot = bot_of({"docs/library.md": early, "facts/books.yaml": UNDATED})
    this_year = bot.ask("2024年图书馆馆藏图书有多少册？")
    assert not this_year.answered and "没有注明年份" in this_year.answer
    reported = bot.ask("2024年那篇报道里图书馆馆藏图书累计有多少册？")
    assert reported.answered and reported.answer.startswith("据2024年1月8日的报道")


def test_an_answer_that_refers_back_takes_the_sentence_it_refers_to(bot_of: BotOf) -> None:
    text = "# 读书会\n\n青山镇图书馆的首任馆长是李明。他在2019年创办了青山读书会，会员有三百人。\n"
    bot = bot_of({"docs/club.md": text})
    reply = bot.ask("谁创办了青山读书会？")
    assert reply.answered and "李明" in reply.answer and "创办" in reply.answer


def test_a_name_with_a_generic_head_is_named_by_its_proper_part(bot_of: BotOf) -> None:
    text = "# 茶叶\n\n青海的牧民冬季转场，茶叶由商队从四川运来，每年约三百吨。\n"
    bot = bot_of({"docs/tea.md": text})
    assert "四川" in bot.ask("青海地区的茶叶从哪里运来？").answer
    assert "四川" in bot.ask("青海牧民用的东西茶叶是从哪里运来的？").answer
    assert not bot.ask("西藏地区的茶叶从哪里运来？").answered


EVENT = """
- {subject: 青山镇读书节, attribute: 开幕, value: 隆重开幕, time: 2023-04, kind: event,
   doc: library, evidence: "2023年4月，青山镇读书节隆重开幕。"}
"""


def test_a_fact_that_never_names_the_asked_attribute_does_not_answer(bot_of: BotOf) -> None:
    pipeline = bot_of({"docs/library.md": LIBRARY, "facts/event.yaml": EVENT}).pipeline
    question, retrieved = analysed(pipeline, "2023年4月青山镇读书节的主题是什么？")
    assert question.role == "主题"
    assert pipeline.facts.run(question, retrieved) is None
    question, retrieved = analysed(pipeline, "青山镇读书节是什么时候开幕的？")
    found = pipeline.facts.run(question, retrieved)
    assert found is not None and "2023年4月" in found.answer


def test_an_answer_without_the_asked_type_takes_the_next_sentence_that_has_it(
    bot_of: BotOf,
) -> None:
    text = (
        "# 协会\n\n青山镇读书协会由镇图书馆联合镇中学、镇文化站和几家农业合作社共同发起成立，"
        "面向全镇居民开放。那是2019年春天的事，首批会员三十人。\n"
    )
    bot = bot_of({"docs/club.md": text})
    reply = bot.ask("青山镇读书协会是哪一年成立的？")
    assert reply.answered and "2019年" in reply.answer and "发起成立" in reply.answer


def test_a_sentence_cut_at_a_semicolon_is_answered_whole(bot_of: BotOf) -> None:
    text = (
        "# 山村\n\n青山镇下辖的各个行政村与镇政府之间的关系，历来各有不同，情况十分复杂，"
        "也随着年代不断变化；有的签了合作协议，有的只派代表联络。\n"
    )
    bot = bot_of({"docs/village.md": text})
    question = "青山镇下辖的各个行政村与镇政府之间的关系各有不同，签了协议的以外，其他村怎么联系？"
    reply = bot.ask(question)
    assert reply.answered and "派代表联络" in reply.answer


def test_a_long_paragraph_cut_into_passages_keeps_its_sentences_together(bot_of: BotOf) -> None:
    filler = "镇上的老街保存完好，石板路两旁是百年老店，游客常常在这里停留拍照。" * 11
    text = (
        f"# 老街\n\n{filler}青山镇读书会的创办人很有名。"
        "他叫李明，是镇中学的退休语文教师，在镇上教了三十年书。\n"
    )
    bot = bot_of({"docs/street.md": text})
    assert len(bot.pipeline.retriever.passages) == 2  # the paragraph was cut between them
    reply = bot.ask("青山镇读书会的创办人是谁？")
    assert reply.answered and "李明" in reply.answer


def test_a_long_sentence_is_trimmed_around_the_clause_the_question_leaves_out(
    bot_of: BotOf,
) -> None:
    text = (
        "# 古镇\n\n近年来镇里的游客越来越多，街道两旁新开了不少商店，周末常常人头攒动，"
        "交通也变得拥挤起来，青山镇的老石屋经过修复，如今成了游客住宿的民宿，每到旺季一房难求，"
        "镇政府为此又规划了新的停车场和公交线路，方便外地游客前来观光。\n"
    )
    bot = bot_of({"docs/town.md": text})
    reply = bot.ask("青山镇的老石屋经过修复后用来做什么？")
    assert reply.answered and "民宿" in reply.answer
    assert len(reply.answer) <= bot.settings.answer.max_answer_chars + 1


def test_a_sentence_pointing_back_takes_the_one_it_points_to_even_when_long(bot_of: BotOf) -> None:
    text = (
        "# 治安\n\n青山镇在2015年以前一直实行村民轮流值守制度，每户每月出一名劳力，夜间在村口和"
        "山林巡查，防火防盗，这个做法延续了三十多年。到了2016年这项制度因年轻人大量外出务工而废弃，"
        "镇上改为聘请专职保安，并在主要路口安装了监控摄像头。\n"
    )
    bot = bot_of({"docs/watch.md": text})
    reply = bot.ask("青山镇因为年轻人外出务工而废弃了什么制度？")
    assert reply.answered and "轮流值守" in reply.answer and "废弃" in reply.answer
    assert len(reply.answer) <= bot.settings.answer.max_answer_chars + 1


def test_a_sentence_dated_the_asked_month_answers_when_the_facts_have_nothing_then(
    bot_of: BotOf,
) -> None:
    festival = "# 节庆\n\n2023年6月12日，青山镇茶文化节在镇广场举行，吸引游客两万人。\n"
    files = {"docs/library.md": LIBRARY, "docs/festival.md": festival, "facts/event.yaml": EVENT}
    bot = bot_of(files)
    reply = bot.ask("2023年6月在青山镇开幕的是什么节？")
    assert reply.answered and "茶文化节" in reply.answer
    assert not bot.ask("2021年6月在青山镇开幕的是什么节？").answered


READING_DAY = "# 读书节\n\n2023年4月，青山镇读书节隆重开幕，全镇12所学校参加。\n"
READING_EVENT = EVENT.replace("doc: library", "doc: reading")


def test_a_date_without_the_asked_day_is_no_answer_and_the_reply_says_what_is_known(
    bot_of: BotOf,
) -> None:
    """A journalist asking the day gets the month the text gives, marked as not the day."""
    files = {"docs/reading.md": READING_DAY, "facts/event.yaml": READING_EVENT}
    bot = bot_of(files)
    reply = bot.ask("青山镇读书节是4月几号开幕的？")
    assert not reply.answered
    assert "没有提到具体是哪一天" in reply.answer and "2023年4月" in reply.answer
    year = bot.ask("青山镇读书节是哪一年开幕的？")
    assert year.answered and "2023" in year.answer


def test_the_next_entry_of_a_chronicle_does_not_lend_its_date(bot_of: BotOf) -> None:
    chronicle = "# 大事记\n\n2016年，青山镇启动茶园改造。2020年11月，县里举办茶叶博览会。\n"
    bot = bot_of({"docs/chronicle.md": chronicle})
    assert not bot.ask("青山镇启动茶园改造是几月份？").answered
    assert "2016" in bot.ask("青山镇启动茶园改造是哪一年？").answer


@pytest.mark.parametrize(
    ("spoken", "fillers"),
    [
        ("呃，2022年那会儿图书馆接待读者多少人次来着", {"呃", "那会儿"}),
        ("额 2022年图书馆接待了多少人次的读者哈", {"额"}),
        ("诶，跟图书馆一起办讲座的是哪个中学", {"诶", "跟"}),
    ],
)
def test_spoken_fillers_are_not_looked_up(
    bot_of: BotOf,
    spoken: str,
    fillers: set[str],
) -> None:
    """An interjection or a spoken "back then" the text never says is not part of what is
    asked: as an unknown word it would weigh more than anything the text does say."""
    pipeline = bot_of({"docs/library.md": LIBRARY}).pipeline
    question, _ = analysed(pipeline, spoken)
    assert question.weights and not fillers & question.weights.keys()


CHRONICLE = (
    "# 大事记\n\n2021年3月，县人大代表视察青山镇图书馆建设工作。"
    "2021年5月，青山镇文化站站长王丽牵头制定全民阅读计划。\n"
)
CHRONICLE_FACTS = """
- {subject: 县人大代表, attribute: 视察, value: 青山镇图书馆建设工作, time: 2021-03, kind: event,
   doc: chronicle, evidence: "2021年3月，县人大代表视察青山镇图书馆建设工作"}
- {subject: 王丽, attribute: 牵头制定, value: 全民阅读计划, time: 2021-05, kind: event,
   doc: chronicle, evidence: "2021年5月，青山镇文化站站长王丽牵头制定全民阅读计划"}
"""


def test_who_led_an_event_whose_record_names_only_the_group_is_not_answered(bot_of: BotOf) -> None:
    files = {"docs/chronicle.md": CHRONICLE, "facts/chronicle.yaml": CHRONICLE_FACTS}
    bot = bot_of(files)
    led = bot.ask("2021年3月县人大代表视察青山镇图书馆建设工作，是谁带队的？")
    assert not led.answered  # the next entry's 王丽 led something else
    assert "没有提到具体是谁" in led.answer and "县人大代表视察" in led.answer
    assert "王丽" in bot.ask("全民阅读计划是谁牵头制定的？").answer


VENUES = (
    "# 场馆\n\n2023年，青山镇建成文化站、体育馆、图书室共12个。全镇引进大学生60名。"
    "对接会征集企业、科研院所技术成果40项。\n"
)
VENUE_FACTS = """
- {subject: 青山镇, attribute: 文化站、体育馆、图书室数量, value: "12", unit: 个, time: "2023",
   doc: venues, evidence: "2023年，青山镇建成文化站、体育馆、图书室共12个"}
- {subject: 青山镇, attribute: 引进大学生数量, value: "60", unit: 名, doc: venues,
   evidence: "全镇引进大学生60名"}
- {subject: 对接会, attribute: 征集企业、科研院所技术成果数量, value: "40", unit: 项, doc: venues,
   evidence: "对接会征集企业、科研院所技术成果40项"}
"""


def test_a_total_does_not_answer_a_question_about_a_part_of_it(bot_of: BotOf) -> None:
    files = {"docs/venues.md": VENUES, "facts/venues.yaml": VENUE_FACTS}
    bot = bot_of(files)
    one_kind = bot.ask("青山镇有几个体育馆？")
    assert not one_kind.answered and "12个" in one_kind.answer
    assert "12" in bot.ask("青山镇文化站、体育馆、图书室一共有多少个？").answer
    first = bot.ask("青山镇引进大学生60名，第一批是多少名？")
    assert not first.answered and "60名" in first.answer, first.answer
    part = bot.ask("青山镇引进的60名大学生里有多少是本地人？")
    assert not part.answered and "60名" in part.answer
    assert bot.ask("青山镇引进了多少名大学生？").answered
    # What the counted things share (征集…技术成果数量) is no thing of its own: a question
    # naming every one, even by part (院所 of 科研院所), gets the figure.
    assert "40项" in bot.ask("对接会征集了多少项企业和院所的成果？").answer
    assert not bot.ask("对接会征集了多少项企业技术成果？").answered


def test_a_deputy_is_not_named_by_the_role_it_deputises(bot_of: BotOf) -> None:
    text = "# 读书会\n\n2022年3月，青山镇读书会成立，镇文化站站长李华任会长，会员共86人。\n"
    bot = bot_of({"docs/club.md": text})
    deputy = bot.ask("青山镇读书会的副会长是谁？")
    assert not deputy.answered
    assert "没有提到副会长" in deputy.answer and "李华任会长" in deputy.answer
    assert "李华" in bot.ask("青山镇读书会的会长是谁？").answer


PROJECTS = (
    "# 大事记\n\n2020年12月，青山智慧农场正式开业，是全县首个数字农业基地。\n\n"
    "2021年3月，全镇一季度重大项目集中开工，总投资达50亿元的30个项目集中开工。\n"
)


def test_a_passage_that_leaves_the_asked_name_to_another_does_not_answer(bot_of: BotOf) -> None:
    files = {"docs/chronicle.md": PROJECTS, "dict/userdict.txt": "青山智慧农场 1000 nz\n"}
    bot = bot_of(files)
    farm = bot.ask("青山智慧农场总投资多少亿？")
    assert not farm.answered and "50亿" not in farm.answer
    assert "50亿元" in bot.ask("一季度集中开工的重大项目总投资多少？").answer


def test_a_fact_without_a_figure_does_not_answer_how_many(bot_of: BotOf) -> None:
    text = "# 阅读\n\n青山镇中学的学生参与了嫦娥五号科普阅读计划。全镇共有读书会3个。\n"
    facts = (
        "- {subject: 青山镇中学的学生, attribute: 参与, value: 嫦娥五号科普阅读计划,"
        " kind: relation, doc: reading, evidence: 青山镇中学的学生参与了嫦娥五号科普阅读计划}\n"
    )
    bot = bot_of({"docs/reading.md": text, "facts/reading.yaml": facts})
    reply = bot.ask("青山镇中学一共有多少学生参与了嫦娥五号科普阅读计划？")
    assert not reply.answered, reply.answer


CONTESTS = (
    "# 征文\n\n2022年，青山镇读书节征文比赛共收到作品86篇，评出优秀作品12篇，"
    "获奖作品在镇文化站展出一个月，吸引了全镇近千名读者前来参观。\n\n"
    "# 象棋\n\n2022年象棋比赛中，李华夺得冠军，王强屈居亚军。\n"
)


def test_who_holds_a_prize_is_answered_only_by_text_that_ranks_someone(bot_of: BotOf) -> None:
    bot = bot_of({"docs/contests.md": CONTESTS})
    essay = bot.ask("青山镇读书节征文比赛拿第一名的是谁？")
    assert not essay.answered and "没有提到第一名" in essay.answer
    assert "李华" in bot.ask("2022年象棋比赛是谁拿了冠军？").answer
    assert "王强" in bot.ask("2022年象棋比赛的亚军是谁？").answer
    assert "李华" in bot.ask("2022年象棋比赛拿第一名的是谁？").answer  # said 冠军


FORUMS = (
    "# 论坛\n\n2021年5月，青山乡村发展论坛隆重开幕，来自全省的三百多名代表参加了开幕式。\n\n"
    "2022年5月，青山乡村发展论坛以“乡村振兴”为主题，吸引了更多的代表。\n\n"
    "2023年4月，举办“书香青山”读书节，全镇二十多所学校参加，共借出图书一万余册。\n"
)


def test_a_theme_needs_the_text_that_words_or_quotes_it(bot_of: BotOf) -> None:
    bot = bot_of({"docs/forums.md": FORUMS})
    opening = bot.ask("2021年青山乡村发展论坛的主题是什么？")
    assert not opening.answered and "没有提到主题" in opening.answer
    assert "乡村振兴" in bot.ask("2022年青山乡村发展论坛的主题是什么？").answer
    assert "书香青山" in bot.ask("2023年读书节的主题叫什么？").answer  # a quotation


def test_a_count_of_occasions_is_not_answered_by_a_count_of_things(bot_of: BotOf) -> None:
    text = "# 申报\n\n2022年，青山镇分两批申报科技企业26家，申报数是上一年的两倍。\n"
    facts = (
        '- {subject: 青山镇, attribute: 申报科技企业数量, value: "26", unit: 家, time: "2022",'
        " doc: apply, evidence: 青山镇分两批申报科技企业26家}\n"
    )
    bot = bot_of({"docs/apply.md": text, "facts/apply.yaml": facts})
    assert "两批" in bot.ask("2022年青山镇申报了几批科技企业？").answer
    assert "26家" in bot.ask("2022年青山镇申报了多少家科技企业？").answer


@pytest.mark.parametrize(
    ("asked", "given", "other"),
    [
        ("批", "家", True),
        ("家", "届", True),
        ("批", "次", True),
        ("个", "家", False),
        ("家", "家", False),
        ("个", "年", True),  # a length of time counts no things
        ("年", "年", False),
    ],
)
def test_occasions_and_things_are_counted_apart(asked: str, given: str, other: bool) -> None:
    """几批 is not answered by a fact counting 家, nor 多少家 by one counting 届."""
    assert counts_other(asked, given) is other


def test_why_is_not_answered_by_a_count_or_a_date(bot_of: BotOf) -> None:
    text = (
        "# 读书会\n\n青山镇读书会会员2021—2023年分别为86人、40人、95人。\n\n"
        "2022年，青山镇图书室因为屋顶漏水闭馆维修半年，读书会活动暂停。\n"
    )
    facts = "".join(
        f'- {{subject: 青山镇读书会, attribute: 会员数量, value: "{n}", unit: 人, time: "{y}",'
        f" doc: club, evidence: 青山镇读书会会员2021—2023年分别为86人、40人、95人}}\n"
        for y, n in [(2021, 86), (2022, 40), (2023, 95)]
    )
    bot = bot_of({"docs/club.md": text, "facts/club.yaml": facts})
    reply = bot.ask("为什么青山镇读书会会员2022年从86人掉到40人？")
    assert not reply.answered or "屋顶漏水" in reply.answer, reply.answer  # not the count
    assert "屋顶漏水" in bot.ask("2022年青山镇图书室为什么闭馆？").answer


def test_the_members_of_a_set_named_by_its_count_are_not_that_count(bot_of: BotOf) -> None:
    text = (
        "# 园区\n\n2023年，青山镇引进创业团队7个，建成专业园区12个，园区全年产值较上年翻了"
        "一番，另有6人入选省级人才计划。\n"
    )
    facts = (
        '- {subject: 青山镇, attribute: 专业园区数量, value: "12", unit: 个, time: "2023",'
        " doc: parks, evidence: 建成专业园区12个}\n"
    )
    bot = bot_of({"docs/parks.md": text, "facts/parks.yaml": facts})
    for members in (
        "青山镇那12个专业园区里，哪个园区产值最高？",
        "青山镇引进的7个创业团队分别是哪几个？",
        "青山镇入选省级人才计划的6个人分别是谁？",  # said 6人
    ):
        reply = bot.ask(members)
        assert not reply.answered and "问题中已经提到的这个" in reply.answer, reply.answer
    assert "12" in bot.ask("2023年青山镇建成了多少个专业园区？").answer


def test_a_common_word_the_dictionary_tags_as_a_name_is_no_missing_name(bot_of: BotOf) -> None:
    """jieba's dictionary tags 海洋 and 都市 as places; a text that never writes them still
    answers (a real name the text lacks is still missing: see the test above)."""
    text = "# 青山镇\n\n青山镇位于半岛南端，东边临着太平洋。\n\n西南大区驻地在1950年设于青山市。\n"
    bot = bot_of({"docs/coast.md": text})
    assert "太平洋" in bot.ask("青山镇东边临着哪个海洋？").answer
    assert "青山市" in bot.ask("1950年西南大区驻地设于哪个都市？").answer


def test_a_name_in_quotes_must_be_in_the_answer_s_text(bot_of: BotOf) -> None:
    """「…」 marks a name whatever the dictionary makes of it: a text that never writes it is
    about something else (电学之父 for 「电视之父」), one that does answers; a quoted blank
    (“1+几”) and a quoted claim to check are no names."""
    text = (
        "# 青山人物\n\n青山镇的王大成被后人尊称为电学之父。\n\n"
        "李小龙提出“青山模式”，并构建“1+X”政策体系。\n"
    )
    bot = bot_of({"docs/people.md": text})
    assert not bot.ask("「电视之父」是谁？").answered
    assert "王大成" in bot.ask("「电学之父」是谁？").answer
    assert "李小龙" in bot.ask("“青山模式”是谁提出的？").answer
    assert "1+X" in bot.ask("李小龙构建的那个政策体系叫“1+几”来着？").answer


def test_a_long_title_in_guillemets_is_a_quoted_name() -> None:
    """Document titles run long (27 characters here): the question still quotes a name."""
    title = "关于实施创新驱动发展战略加快建设创新型乡镇的实施意见"
    assert title in quoted_names(f"青山镇党委是哪一年出台《{title}》的？")
    assert not quoted_names("青山镇构建了“____”政策体系。")  # a blank to fill, no name


def test_a_fact_about_another_quoted_title_does_not_answer() -> None:
    """Two alike titles: a fact that writes only the other one answers something else."""
    asked = Question(raw="", normalised="", terms=[], qtype=QType.DATE, expected=AnswerType.YEAR)
    asked.quoted = {"关于实施创新驱动发展战略加快建设创新型乡镇的实施意见"}
    other = Fact(
        subject="青山镇党委",
        attribute="出台",
        value="《关于加快实施创新引领发展战略建设科技强镇的意见》",
        time="2017-07",
        kind="event",
        doc="events",
        evidence="2017年7月，青山镇党委出台《关于加快实施创新引领发展战略建设科技强镇的意见》。",
    )
    assert not quotes_asked(asked, other)
    own = other.model_copy(
        update={"value": "《关于实施创新驱动发展战略加快建设创新型乡镇的实施意见》"}
    )
    assert quotes_asked(asked, own)


def test_a_fact_that_says_no_reason_does_not_answer_why(bot_of: BotOf) -> None:
    """Where a festival was held is no answer to what it was held for: the sentence that
    says 旨在 is."""
    text = "# 青山读书节\n\n2023年5月，青山读书节在青山镇举行。\n\n青山读书节旨在推广全民阅读。\n"
    facts = (
        "- {subject: 青山读书节, attribute: 举办地点, value: 青山镇, kind: relation, doc: books,"
        " evidence: 青山读书节在青山镇举行}\n"
    )
    bot = bot_of({"docs/books.md": text, "facts/books.yaml": facts})
    assert "推广全民阅读" in bot.ask("办青山读书节的目的是什么？").answer
    assert "青山镇" in bot.ask("青山读书节在哪里举行？").answer


def test_a_figure_counting_things_does_not_say_how_many_people(bot_of: BotOf) -> None:
    """多少人 is not answered by 803所 or 长征5号 in the sentence about the students."""
    text = (
        "# 青山职校\n\n青山职校的学生承担了长征五号火箭某阀体的加工工作，航天803所发来感谢信。\n\n"
        "2022年，青山职校有120名学生参加了技能培训。\n"
    )
    bot = bot_of({"docs/school.md": text})
    assert not bot.ask("参加阀体加工工作的青山职校学生有多少人？").answered
    assert "120" in bot.ask("青山职校有多少名学生参加了技能培训？").answer


def test_a_district_in_a_few_passages_is_a_name_the_answer_must_give(bot_of: BotOf) -> None:
    """A district named in 2 of 30 passages is no word found everywhere: a sentence about
    the whole city does not answer what the district's figure is."""
    fillers = [f"青山市第{n}届文化节于{2000 + n}年举办，主题为乡土文化第{n}篇。" for n in range(27)]
    text = "\n\n".join(
        [
            "# 青山市",
            *fillers,
            "青山市研发投入强度增长了1.1倍。",
            "青峰区全年投入科研经费6.2亿元，位居全市第一。",
            "青峰区有高新技术企业57家。",
        ]
    )
    bot = bot_of({"docs/city.md": text})
    assert not bot.ask("青峰区研发投入强度是多少？").answered
    assert "1.1倍" in bot.ask("青山市研发投入强度增长了多少？").answer


def test_the_fact_the_question_names_is_preferred_among_near_ties(bot_of: BotOf) -> None:
    """湖南有几个案例入选 asks 湖南省's count, not the whole list's: a place counts nothing,
    and of two facts alike the one that writes the question's name answers."""
    text = (
        "# 典型案例\n\n2020年，全国共评出50个典型案例。\n\n2020年，湖南省有3个案例入选典型案例。\n"
    )
    facts = (
        '- {subject: 典型案例, attribute: 案例数量, value: "50", unit: 个, time: "2020",'
        " kind: metric, doc: cases, evidence: 全国共评出50个典型案例}\n"
        '- {subject: 湖南省, attribute: 入选典型案例数量, value: "3", unit: 个, time: "2020",'
        " kind: metric, doc: cases, evidence: 湖南省有3个案例入选典型案例}\n"
    )
    bot = bot_of({"docs/cases.md": text, "facts/cases.yaml": facts})
    question = bot.pipeline.analyser.run(bot.pipeline.guard.run("湖南一共有几个案例入选典型案例"))
    assert question is not None and question.focus != "湖南"
    assert "3个" in bot.ask("湖南一共有几个案例入选2020年典型案例？").answer


def test_what_a_term_means_is_not_answered_by_a_sentence_that_only_uses_it(
    bot_of: BotOf,
) -> None:
    """“QS”模式是什么意思 needs a sentence that defines it (a bracket, 即, 是指 … at the term)."""
    text = (
        "# 青山模式\n\n青山镇首创“QS”模式，引进科创团队7个。\n\n"
        "青山镇着力打造“两个第一”（技术第一、市场第一）的企业。\n"
    )
    bot = bot_of({"docs/modes.md": text})
    assert not bot.ask("“QS”模式的QS是什么意思？").answered
    meant = bot.ask("文中的“QS”模式，具体指什么？")  # the term in the clause before
    assert not meant.answered and "具体指什么" in meant.answer and "首创“QS”模式" in meant.answer
    assert not bot.ask("QS模式的QS是哪几个词的缩写").answered
    assert "技术第一" in bot.ask("“两个第一”是什么意思？").answer
    assert "7个" in bot.ask("青山镇通过“QS”模式引进了几个科创团队？").answer
    # the term asked about stands right before the asking words
    sentence = "在ROH中，如果X的值越大，则说明极化作用越强。"
    assert not undefined(set(), "在ROH中，X的值越大，代表什么？", sentence)
    assert undefined(set(), "QS模式的QS到底代表什么意思", "青山镇首创“QS”模式。")
    # a name given to what the sentence describes (俗称, 称其为, 即为) says what it means
    for said in ("最老的珊瑚群体，俗称“大蘑菇”。", "人们称其为“大蘑菇”", "其正式名称即为“大蘑菇”"):
        assert not undefined({"大蘑菇"}, "“大蘑菇”指的是什么？", said)
    # a numbered abbreviation asked by its count (哪三强) is a term too, quoted or not
    assert undefined(set(), "两强一化 具体是哪两强", "青山镇加快推进“两强一化”，增强实力。")
    # its parts listed right beside it say what it means; a list further off does not
    listed = "青山镇探索“四微”模式，打造微支部、微学习、微党课、微服务四大模块。"
    assert not undefined({"四微"}, "“四微”模式具体是哪四微", listed)
    quoted = "学生们践行“追逐梦想、勇于探索、协同攻坚、合作共赢”的探月精神。"
    assert not undefined({"探月精神"}, "“探月精神”是哪四句话", quoted)
    far = "有产品、有制度、有赛事、有论坛……这些成果助力了青山“一体两翼”战略的实施。"
    assert undefined({"一体两翼"}, "“一体两翼”分别指什么", far)
    items = "《青山报》、《红河报》、《白沙报》、《绿岛报》被称为四大报。"  # the term is an item
    assert undefined({"青山报"}, "《青山报》这名称的意思是什么？", items)


def test_a_compound_is_partly_found_when_its_halves_are_written_apart() -> None:
    assert split_among("塔筒变压器", frozenset({"塔筒", "专用", "变压器"}))
    assert not split_among("塔筒变压器", frozenset({"变压器"}))


@pytest.mark.parametrize(
    ("message", "kind"), [("青山技校在哪个区？", "区"), ("还有哪个部门负责推荐项目？", "部门")]
)
def test_the_kind_a_which_question_asks_for_weighs_little(
    pipeline: Pipeline, message: str, kind: str
) -> None:
    """哪个区 says a district is wanted, not that the text is about districts: a sentence
    about other 区 must not win on that word."""
    question, _ = analysed(pipeline, message)
    others = [w for t, w in question.weights.items() if t != kind]
    assert question.weights[kind] < min(others)


SETS = (
    "# 青山市纪事\n\n2018年4月，科技部发函支持包括青山市在内的17个城市开展创新试点。\n\n"
    "2020年，全省共有3个案例入选全国改革典型案例，青山市的《“三微”模式》是其中之一。\n\n"
    "青山市有省级农业科技园区2个，省级重点实验室31家。\n\n"
    "2021年3月，青山市一季度重大项目集中开工，102个项目总投资达533亿元。\n\n"
    "全市实现了12个县（市）区科技专家服务团全覆盖，共有科技专家1007名。\n"
)


@pytest.mark.parametrize(
    "message",
    [
        "和青山一起入选的其他16个城市有哪些",  # the list of two ministries is not 16 cities
        "全省另外两个入选的案例是什么",
        "青山市2个省级农业科技园区分别叫什么名字",  # a set of two the question does not name
        "102个项目里投资最大的是哪个",  # which one of a stated set
        "102个项目里，单个投资最大的是哪个项目",  # with a comma after 里
        "12个县市区里哪个县科技专家最多",
    ],
)
def test_members_of_a_stated_set_are_not_answered_by_its_count(bot_of: BotOf, message: str) -> None:
    """A question about the members of a set it names by its count (其他16个, 另外两个,
    2个…分别, 102个…里哪个) is not answered by a sentence that only gives that count."""
    reply = bot_of({"docs/news.md": SETS}).ask(message)
    assert not reply.answered, reply.answer


PRIZES = (
    "# 青山纪事\n\n## 技能大赛\n\n去年在全省技能大赛中，青山技校参赛选手斩获1枚银牌和8个优胜奖。"
    "\n\n## 创业大赛\n\n2022年青山创业大赛决赛圆满收官，一等奖由“智慧果园”项目获得。\n"
)


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("青山技校在全省技能大赛拿的那枚银牌是哪个比赛项目", None),  # only counted
        ("青山创业大赛一等奖是哪个项目", "智慧果园"),
    ],
)
def test_which_named_thing_needs_a_name(bot_of: BotOf, message: str, expected: str | None) -> None:
    """哪个项目 asks for a name (quoted, titled, a code, or a word ending in 项目): a
    sentence that only counts medals names no project."""
    reply = bot_of({"docs/news.md": PRIZES}).ask(message)
    if expected is None:
        assert not reply.answered, reply.answer
    else:
        assert reply.answered and expected in reply.answer


CASES_DOC = """---
id: cases
title: 青山改革案例
---
青山改革案例征集活动由省改革办发起，先后征集了来自全省各县近千个改革案例。
经过多轮评审，最终遴选出50个典型案例。青山镇的案例入选，是该活动开展11年来全镇首次入选。
"""
CASES_FACTS = """
- {subject: 青山改革案例征集活动, attribute: 开展年数, value: "11", unit: 年, doc: cases,
   evidence: "是该活动开展11年来全镇首次入选"}
"""


def test_a_length_of_time_answers_no_count_of_things(bot_of: BotOf) -> None:
    """征集了多少个案例 is not answered by the 11 years the activity ran, though the fact
    names the activity: the sentence of the cases collected answers."""
    bot = bot_of({"docs/cases.md": CASES_DOC, "facts/cases.yaml": CASES_FACTS})
    reply = bot.ask("青山改革案例征集活动一共征集了多少个案例？")
    assert reply.answered and "近千个" in reply.answer, reply.answer
    assert "11年" in bot.ask("青山改革案例征集活动开展了多少年？").answer
