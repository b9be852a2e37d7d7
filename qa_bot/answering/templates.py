"""Fixed phrasings of the bot: citation lines, abstain, help and refusal messages."""

from __future__ import annotations

from qa_bot.models import Source

ABSTAIN = "抱歉，知识库里没有找到能回答这个问题的内容。"
EMPTY = "请输入一个问题，例如：{example}"
TOO_LONG = "问题太长了（{length} 个字符），请精简到 {limit} 个字符以内再问。"
NOT_A_QUESTION = "没看懂这个问题，请用中文描述想了解的内容，例如：{example}"
HELP = (
    "我可以回答知识库中文档里的问题（目前收录 {documents} 篇文档），"
    "会给出简短答案并注明出处。可以这样问："
)
SUGGEST = "你可以试试问："


def citation(source: Source) -> str:
    """The source line shown under an answer: document title and section."""
    where = f"《{source.title}》"
    if source.section:
        where += f" · {source.section}"
    return f"来源：{where}"


def reply_text(answer: str, sources: list[Source], suggestions: list[str]) -> str:
    """What a chat shows: the answer, its source line, and any suggested questions."""
    lines = [answer]
    if sources:
        lines.append(citation(sources[0]))
    if suggestions:
        lines.append(SUGGEST)
        lines.extend(f"· {question}" for question in suggestions)
    return "\n".join(lines)
