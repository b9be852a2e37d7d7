"""Question analysis stage: a guarded message → a ``Question`` (type, slots, weighted terms)."""

from __future__ import annotations

import re
from functools import cache

from qa_bot import lexicon
from qa_bot.answering.answer_types import FIGURES, STRICT, AnswerType, expected_type
from qa_bot.answering.guard import Guarded
from qa_bot.answering.intent import QType, Question, analyse
from qa_bot.answering.mending import mended
from qa_bot.answering.rejoining import rejoined
from qa_bot.answering.terms import TermScorer
from qa_bot.lexicon import operators, resource_lines
from qa_bot.text import normalise
from qa_bot.tokenizer import Tokenizer


class Analyser:
    """Stage 2: tokenise once, type the question, weigh its terms, find its names."""

    def __init__(self, tokenizer: Tokenizer, scorer: TermScorer) -> None:
        self.tokenizer = tokenizer
        self.scorer = scorer

    def run(self, guarded: Guarded) -> Question | None:
        """The analysed question, or None when it has no term to look up (“？？”, “嗯”)."""
        terms = mended(self.tokenizer.tokenise(guarded.asked), self.scorer.idf, self.tokenizer)
        terms = rejoined(terms, self.scorer.idf.keys())
        if not terms:
            return None
        question = analyse(guarded.text, guarded.standard, terms)
        tags = self.tokenizer.tags(guarded.asked)
        question.weights = self.scorer.question_weights(terms, tags)
        if question.qtype == QType.YESNO:
            self.discount_claimed_figures(question)
        self.discount_asked_kind(question)
        self.discount_figure_links(question)
        self.discount_story(question, guarded.asked, tags)
        # A name the knowledge writes otherwise (雷射 for 激光) is not missing from it.
        names = self.tokenizer.proper_nouns(tags)
        question.names = {name for name in names if not self.scorer.stand_ins(name)}
        if question.qtype != QType.YESNO:  # a claim quoted to be checked may be wrong
            question.quoted = quoted_names(guarded.standard)
        question.asked = {
            t for t in terms if t in question.weights and not is_figure(t) and t not in operators()
        }
        question.expansions = self.scorer.expansions(sorted(question.asked))
        nouns = {t for t in question.asked if tags.get(t, "x")[:1] in _NOUN_TAGS}
        words = self.tokenizer.words(guarded.asked)
        modifiers = {w for w in words if tags.get(w, "x")[:1] not in _NOT_MODIFIER_TAGS}
        question.role, person = asked_role(words, nouns)
        kind = None if question.expected in STRICT else named_kind(question.normalised)
        if kind is not None:  # 几月几号在哪个场馆 keeps its date: that is checked anyway
            question.names_kind, question.expected = True, kind
        question.kind_word = (
            None if question.expected in STRICT else named_after(question.normalised)
        )
        if question.kind_word is not None:  # 首台装在哪个海上风电场
            question.names_kind, question.expected = True, AnswerType.PLACE
        question.focus = (
            asked_focus(words, nouns - question.names, modifiers)  # 湖南有几个: no count of 湖南
            or self.unknown_role(question.role if person else None)
            or asked_prize(question)
            or (question.role if question.role in focus_words()["quoted"] else None)
        )
        return question

    def discount_claimed_figures(self, question: Question) -> None:
        """A figure a yes/no question claims (有50个项目进了决赛吗) may be the wrong one: the
        sentence with the right figure must not lose to one that only lacks the claim."""
        share = self.scorer.settings.claimed_figure_share
        for match in lexicon.ASKED_FIGURE.finditer(question.normalised):
            if match.group(1) in question.weights:
                question.weights[match.group(1)] *= share

    def discount_asked_kind(self, question: Question) -> None:
        """The kind a which-question asks for (哪个区, 哪个部门) says what answer is wanted,
        not what the text is about: a sentence about other 区 must not win for it. So does
        the word for a model number (型号), which the text shows as the number itself."""
        share = self.scorer.settings.function_word_share
        kinds = [m.group(1) or m.group(2) for m in asked_kind().finditer(question.normalised)]
        if lexicon.CODE_ASKED.search(question.normalised):
            kinds += re.findall(lexicon.CODE_WORD, question.normalised)
        for kind in kinds:
            if kind in question.weights:
                question.weights[kind] *= share

    def discount_figure_links(self, question: Question) -> None:
        """In a question asking for a figure, the words that only link the thing counted to
        its figure (拥有, 达到, 实现, 总量: ``figure_link`` in focus.txt) weigh like function
        words: a text states the figure with its own verb or none (高新技术企业415家), and a
        sentence that shares only the link (该区拥有…57家) must not win for it. So in a yes/no
        question claiming a figure (已达273家吗)."""
        claims = question.qtype == QType.YESNO and lexicon.ASKED_FIGURE.search(question.normalised)
        if question.expected not in FIGURES and not claims:
            return
        share = self.scorer.settings.function_word_share
        for word in focus_words()["figure_link"] & question.weights.keys():
            question.weights[word] *= share

    def discount_story(self, question: Question, asked: str, tags: dict[str, str]) -> None:
        """What the asker tells about themselves or others around the question (老师让我们
        查资料，…; …，我想给客户推附近的房子) is no topic: a clause that opens with a person and
        asks nothing loses the weight of the words the knowledge base never uses, for those would
        only block the answer. Its known words (衡阳技师学院) may say what is asked about and
        keep half their weight. In any other clause before the question, an unknown word of two
        characters or more that is no noun (好像, 厉害) is comment, not topic; an unknown noun
        there still counts."""
        clauses = [c for c in _CLAUSE.split(asked) if c]
        asking = [c for c in clauses if asks(c)]
        if not asking or len(asking) == len(clauses):
            return
        kept = {term for clause in asking for term in self.tokenizer.tokenise(clause)}
        share = self.scorer.settings.function_word_share
        claims_nothing = question.qtype != QType.YESNO  # a claim's words are what is checked
        for clause in clauses:
            if asks(clause):
                claims_nothing = False  # a clause after the question may say what it is about
                continue
            story = story_teller().match(clause.strip()) is not None
            for term in self.tokenizer.tokenise(clause):
                if term not in question.weights or term in kept:
                    continue
                if term in self.scorer.idf:
                    question.weights[term] *= _STORY_SHARE if story else 1.0
                elif story or (claims_nothing and len(term) > 1 and not_noun(term, tags)):
                    question.weights[term] *= share

    def unknown_role(self, role: str | None) -> str | None:
        """The person's role asked about (南华大学的校长是谁 → 校长) when the knowledge base
        never uses that word nor a synonym of it: then no text of it can say who holds the
        role, and an answer must at least name it in other characters (院长 is not 校长)."""
        scorer = self.scorer
        if role is None or role in scorer.idf or scorer.stand_ins(role) or scorer.pieces(role):
            return None
        return role


_HOLDER_QUESTIONS = {QType.WHO, QType.WHAT, QType.WHERE}
_NOUN_TAGS = {"n", "x", "j"}  # nouns, words jieba does not know, abbreviations
# Verbs, prepositions, conjunctions, particles, adverbs, numbers end a noun phrase.
_NOT_MODIFIER_TAGS = {"v", "p", "c", "u", "d", "m", "r", "q", "x"}


_CLAUSE = re.compile(r"[,，。；;!！?？]+")
_STORY_SHARE = 0.5


def not_noun(term: str, tags: dict[str, str]) -> bool:
    """A word tagged as no noun (好像, 厉害: comment in a clause before the question)."""
    return tags.get(term, "n")[:1] not in _NOUN_TAGS


def asks(clause: str) -> bool:
    """Whether a clause asks something (多少, 谁, 吗 …)."""
    return bool(lexicon.QUESTION_WORD.search(clause)) or expected_type(clause) is not None


@cache
def story_teller() -> re.Pattern[str]:
    """A clause's subject that is a person the asker tells about (``resources/askers.txt``;
    我市 / 我省 are places, and 领导小组 is no person)."""
    words = "|".join(sorted(lexicon.word_list("askers"), key=len, reverse=True))
    return re.compile(
        rf"(?:那|但|可是|因为|所以|而且|其实|反正)?(?:{words})(?![市省国区县乡镇村校小])"
    )


@cache
def focus_words() -> dict[str, frozenset[str]]:
    """The word lists of ``resources/focus.txt`` by name (read once)."""
    lists = {}
    for line in resource_lines("focus"):
        if line.strip() and not line.startswith("#"):
            name, words = line.split("\t", 1)
            lists[name.strip()] = frozenset(words.split())
    return lists


@cache
def asked_kind() -> re.Pattern[str]:
    """哪个 / 什么 before a kind of place or body (哪个区, 哪一家公司), or before a word for an
    honour, perhaps qualified (什么国家级称号, not 国家): the kind as group 2 or 1."""
    lists = focus_words()
    kinds = lists["place_noun"] | lists["body_noun"] | lists["any_place"]
    alternatives = "|".join(sorted(kinds, key=len, reverse=True))
    honours = "|".join(sorted(lists["honour_kind"], key=len, reverse=True))
    return re.compile(
        rf"(?:哪|什么)一?(?:个|项)?(?:[^\W\d_]{{1,4}}?)?({honours})"
        rf"|(?:哪|什么)一?(?:个|家|所|座)?({alternatives})(?![长员民])"
    )


def asked_focus(words: list[str], asked: set[str], modifiers: set[str]) -> str | None:
    """The noun a how-many question is about: 多少名学生 → 学生, 总金额是多少 → 总金额; None when
    the question has no such noun (or only a generic one). Who-questions have none: their
    role noun (作者是谁) is the kind of answer, which the answer need not repeat.

    ``asked`` are the question's content nouns: a verb or a time word beside the question
    word (由谁创办, 2012年时有多少) is not what is asked about.
    """
    lists = focus_words()
    for at, word in enumerate(words):
        if word not in lists["question"]:
            continue
        after = at + 1 if word in lists["counting"] else len(words)
        if after < len(words) and words[after] in lists["classifier"]:
            after += 1
        elif after < len(words) and words[after][:1] in lists["classifier"]:
            after = len(words)  # 多少家电商: jieba joined the classifier to the noun (家电)
        before = at - 1
        while before >= 0 and words[before] in lists["skip"]:
            before -= 1
        after_head = head_noun(words, after, asked | lists["generic"], modifiers, lists)
        candidate = after_head or (words[before] if before >= 0 else "")
        if not after_head and candidate in lists["owned_measure"] and before > 0:
            owner = words[before - 1]  # GDP总量是多少 asks GDP's; 总量 alone is anything's
            candidate = owner if owner in asked else candidate
        if len(candidate) > 1 and candidate in asked and candidate not in lists["generic"]:
            return candidate
    return None


def named_kind(normalised: str) -> AnswerType | None:
    """PERSON when the question asks the name of someone it calls by a kind of people
    (那位选手叫什么名字, 哪位教授), PLACE when it asks which place of a kind (哪个县, 在哪个城市
    办的), NAME when it asks which named thing (哪个项目): then a body, or the place the
    question already names, or a sentence naming no such thing, does not answer it."""
    return next((kind for kind, asks in _kind_questions() if asks.search(normalised)), None)


@cache
def _kind_questions() -> tuple[tuple[AnswerType, re.Pattern[str]], ...]:
    """The patterns of ``named_kind``, from focus.txt's ``person_noun``, ``person_name``,
    ``place_noun`` and ``name_noun`` (read once)."""
    people, asks, places, things = (
        alternation(name) for name in ("person_noun", "person_name", "place_noun", "name_noun")
    )
    by_name = rf"(?:{people})(?:的|分别|都|各自|又|还)?(?:{asks})"  # 选手叫什么名字
    by_name += rf"|(?:{people})(?<!作者)(?:是|为)谁"  # 负责人是谁; 作者是谁 may be a body
    which_one = (
        rf"哪一?[位个名]?[市省县区镇村厅局]?(?:{people})(?![团队会组部处局院所室])"  # 哪位市领导
    )
    which_place = rf"哪一?[个座家所]?(?:{places})(?![\u4e00-\u9fff]*?(?:长|委|局|政府|领导))"
    which_thing = (  # 哪个比赛项目; not 哪位…工程院院士
        rf"哪(?>一?[个项]?)(?![位名种类])[\u4e00-\u9fff]{{0,4}}?(?:{things})(?![院师局所部])"
    )
    return (
        (AnswerType.PERSON, re.compile(f"{by_name}|{which_one}")),
        (AnswerType.PLACE, re.compile(which_place)),
        (AnswerType.NAME, re.compile(which_thing)),
    )


def named_after(normalised: str) -> str | None:
    """The kind a which-question asks for when names of that kind end in it (哪个海上风电场 →
    风电场: 东海大桥海上风电场; ``named_after_kind`` in focus.txt), else None."""
    kinds = alternation("named_after_kind")
    found = re.search(rf"哪一?[个座家所]?[\u4e00-\u9fff]{{0,4}}?({kinds})", normalised)
    return found.group(1) if found else None


def alternation(name: str) -> str:
    """The words of focus.txt list ``name`` as a regular-expression alternation, longest first."""
    return "|".join(sorted(focus_words()[name], key=len, reverse=True))


def asked_prize(question: Question) -> str | None:
    """The place or prize whose holder the question asks for (拿第一名的是哪个项目 → 第一名)."""
    if question.qtype not in _HOLDER_QUESTIONS:
        return None
    prizes = focus_words()["prize"]
    return next((term for term in question.terms if term in prizes), None)


def asked_role(words: list[str], nouns: set[str]) -> tuple[str | None, bool]:
    """The noun just before 是谁 / 是什么 / 叫什么 (X的校长是谁 → 校长, 论坛的主题是什么 →
    主题), and whether a person is asked for; None when another kind of word stands there or
    the noun only says what kind of answer is wanted (名字)."""
    lists = focus_words()
    for at, word in enumerate(words):
        if word in lists["role_question"] and at >= 2 and words[at - 1] in lists["role_link"]:
            role = words[at - 2]
            if len(role) > 1 and role in nouns and role not in lists["answer_kind"]:
                return role, word in lists["person_question"]
    return None, False


def head_noun(
    words: list[str],
    start: int,
    nouns: set[str],
    modifiers: set[str],
    lists: dict[str, frozenset[str]],
) -> str:
    """The last noun of the noun phrase starting at ``start`` (科技方面的专家 → 专家)."""
    head = ""
    for word in words[start:]:
        if word in nouns:
            head = word
        elif word not in lists["linking"] and word not in modifiers:
            break
    return head


_QUOTED_NAME = re.compile(r"[“「『《\"]([^“”「」『』《》\"，。；！？,;!?：:、]{2,40})[”」』》\"]")

_BLANK = re.compile(r"几|什么|啥|多少|哪|谁|怎么|为何|_{2,}")


def quoted_names(text: str) -> set[str]:
    """The names a question puts in quotes (「电视之父」是谁, 《大公报》何时创刊): whatever the
    dictionary makes of them, a text that answers about them writes them. A quote with
    sentence punctuation inside is a saying, and one with a question word (“1+几”) a blank to
    fill in, not a name. A name cut short (“一核两电……”) is its beginning: the text writes
    that."""
    quoted = {normalise(m.group(1)).lower().rstrip(".…⋯ ") for m in _QUOTED_NAME.finditer(text)}
    return {name for name in quoted if len(name) > 1 and not _BLANK.search(name)}


def is_figure(term: str) -> bool:
    """A term that is a number (2019, 6.2)."""
    return term.replace(".", "", 1).isdigit()
