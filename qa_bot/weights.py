"""Every scoring weight of the answering pipeline, in one frozen and documented object.

The values were chosen on the development set and the CMRC trial benchmark
(``benchmarks/tune_thresholds.py`` searches some of them). They are settings
(``[answer.weights]`` in the config file, ``QA_BOT_ANSWER__WEIGHTS__<NAME>``) so that a
maintainer can try others without editing code; the tuner builds new settings from them and
never changes a running bot.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class ScoringWeights(BaseModel):
    """Weights and bonuses used to rank sentences and facts and to decide confidence."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    # Term weighting and coverage (how much of the question a text covers).
    part_credit: float = Field(0.5, ge=0, le=1, description="a term found only inside a word")
    verb_share: float = Field(0.6, ge=0, le=1, description="known verbs vs nouns")
    title_share: float = Field(0.3, ge=0, le=1, description="title words when reading a document")
    synonym_credit: float = Field(
        0.7, ge=0, le=1, description="a known synonym of a word the knowledge never uses"
    )
    max_stand_ins: int = Field(
        3, ge=0, description="a word with more known synonyms names a class: none are used"
    )
    function_word_share: float = Field(
        0.1,
        ge=0,
        le=1,
        description="× unknown weight of a one-character pronoun, classifier or particle",
    )
    char_credit: float = Field(
        0.3, ge=0, le=1, description="× share of an unknown word's characters in a known word"
    )

    # Choosing a sentence within the retrieved passages.
    sentence_coverage: float = Field(0.55, ge=0, description="the sentence's own coverage")
    passage_rank: float = Field(0.25, ge=0, description="the passage's coverage × BM25 rank²")
    type_bonus: float = Field(0.05, ge=0, description="the sentence has the kind of thing asked")
    answer_type_bonus: float = Field(0.15, ge=0, description="it holds a new span of that type")
    year_bonus: float = Field(0.2, ge=0, description="the sentence names the asked year")
    other_year_penalty: float = Field(0.1, ge=0, description="it names only other years")
    length_penalty: float = Field(
        -0.0005,
        description="per character of a trimmed answer; below 0 the fuller of two clause runs "
        "that cover the question alike wins, as the answer is the part the question leaves out",
    )
    short_sentence: int = Field(40, ge=0, description="chars; shorter ones join the next")

    # Confidence of a passage answer.
    confidence_sentence: float = Field(0.6, ge=0, le=1, description="sentence coverage share")
    confidence_passage: float = Field(0.4, ge=0, le=1, description="passage coverage share")
    no_figure_factor: float = Field(0.5, ge=0, le=1, description="how-many, no figure given")
    yes_support: float = Field(0.8, ge=0, le=1, description="coverage that confirms a yes/no")
    claimed_figure_share: float = Field(
        0.3, ge=0, le=1, description="× weight of the figure a yes/no claims (it may be wrong)"
    )

    # Matching facts.
    fact_recall: float = Field(0.75, ge=0, le=1, description="recall share (rest: F-measure)")
    fact_number_bonus: float = Field(0.2, ge=0, description="the question names the value")
    fact_hint_bonus: float = Field(0.1, ge=0, description="the wording names the attribute")
    fact_unit_bonus: float = Field(0.1, ge=0, description="the asked unit agrees (± this)")
    main_subject_bonus: float = Field(0.02, ge=0, description="the knowledge's main subject")

    # Choosing among matched facts.
    near_tie: float = Field(0.08, ge=0, description="facts this close are all candidates")
    time_slack: float = Field(0.25, ge=0, description="a weaker fact of the asked year")
    date_slack: float = Field(0.2, ge=0, description="a weaker fact that has a date")
    max_options: int = Field(3, ge=2, description="figures offered in a clarification")
    long_sentence: int = Field(100, ge=20, description="chars; longer evidence is trimmed")
    timeline_anchor: float = Field(
        0.6, ge=0, le=1, description="coverage of its words that names an event in a question"
    )

    # Questions naming several figures (A加上B, A还是B多).
    operand_context: float = Field(0.3, ge=0, le=1, description="the rest of the question")
    operand_coverage: float = Field(0.5, ge=0, le=1, description="of a phrase by its fact")
    operand_alike: float = Field(0.3, ge=0, description="operands alike, or in one unit")

    # Lists: items collected from the enumerations of the retrieved passages.
    list_passages: int = Field(10, ge=1, description="passages read for the items of a list")
    list_head_share: float = Field(0.3, ge=0, le=1, description="known words naming the items")
    list_sentence: float = Field(0.4, ge=0, le=1, description="list confidence: the sentence")
    list_context: float = Field(0.6, ge=0, le=1, description="… its passage and the one before")
    list_named_bonus: float = Field(0.15, ge=0, description="the text names the kind asked")
    list_margin: float = Field(0.1, ge=0, description="lists this close to the best compete")
    list_max_items: int = Field(12, ge=2, description="items shown at most")

    # The unanswered-question log.
    low_confidence_margin: float = Field(
        0.15, ge=0, le=1, description="answers this close above the abstain line are logged"
    )
