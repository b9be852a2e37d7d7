"""Follow-ups that name no subject of their own (主题是什么, 来了几个院士, 具体是什么时候): they
ask about the last answer's thing, which the dialog puts before them."""

from __future__ import annotations

import re

from qa_bot.dialog_references import is_content, is_noun
from qa_bot.lexicon import years_in
from qa_bot.tokenizer import Tokenizer

_ASKS_ONLY = re.compile(
    r"什么时候|哪一?[年天月]|多少|几|什么|哪|谁|怎|如何|为什么|为啥|多[长大高远久]"
)
_SHORT_FOLLOW_UP = 8  # characters: 来了几个院士 asks about the last thing, as 主题是什么 does


def asks_only(text: str, entity: str | None, tokenizer: Tokenizer) -> bool:
    """Whether a message of only question words (具体是什么时候, 谁评的) asks about the last
    answer's thing: when that is no place, which is the topic of most questions."""
    if not entity or tokenizer.tag_of(entity).startswith("ns"):
        return False
    return _ASKS_ONLY.search(text) is not None


def is_attribute(text: str, tokenizer: Tokenizer) -> bool:
    """Whether the message asks one property and names nothing else (主题是什么, 组长是谁):
    a single short common noun, no name and no time, is a property of what the dialog is
    about (科技型中小企业有多少家 names a topic of its own); so is it in a short message with
    verbs beside it (来了几个院士: who came to what was just asked about)."""
    if years_in(text):
        return False
    content = [t for t in tokenizer.tagged(text) if is_content(t, tokenizer)]
    nouns = [t for t in content if is_noun(t)]
    names = [t for t in content if t.tag[:2] in ("nr", "ns", "nt", "nz")]
    verbs = [t for t in content if t.tag.startswith("v")]  # 来了几个院士: who came to it
    short = len(text) <= _SHORT_FOLLOW_UP
    only_noun = len(content) == 1 or (short and len(content) == len(verbs) + 1)
    return only_noun and len(nouns) == 1 and len(nouns[0].word) <= 2 and not names
