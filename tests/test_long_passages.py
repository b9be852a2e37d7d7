"""Long paragraphs become passages of bounded length, even without any sentence end."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from qa_bot import QABot
from qa_bot.document_cache import DOCUMENT_CACHE_FORMAT
from qa_bot.loader import digest_path, load_knowledge
from qa_bot.markdown import MAX_PASSAGE_CHARS
from qa_bot.private_files import read_cache, write_cache
from qa_bot.settings import Settings

MakeKnowledge = Callable[[dict[str, str | bytes]], Path]
# One run-on "sentence": 3,000 clauses joined by commas and enumeration commas, no 。 at all.
DISTRICTS = ["珠晖区", "雁峰区", "石鼓区", "蒸湘区", "南岳区"]
CLAUSES = [f"{DISTRICTS[i % 5]}第{i}号园区入驻企业{i % 97 + 3}家、员工{i}人" for i in range(3000)]
RUN_ON = "，".join(CLAUSES) + "。"


def passages_of(root: Path, cache_dir: Path | None = None) -> list[str]:
    knowledge = load_knowledge(root, cache_dir)
    return [passage.text for passage in knowledge.passages]


def test_paragraph_without_sentence_ends_is_split_at_clauses(make_knowledge: MakeKnowledge) -> None:
    root = make_knowledge({"docs/parks.md": f"# 园区名录\n\n{RUN_ON}\n"})
    texts = passages_of(root)
    assert len(texts) > 1
    assert max(len(text) for text in texts) <= MAX_PASSAGE_CHARS
    assert "".join(texts) == RUN_ON  # nothing lost or changed
    assert all(text.endswith("，") for text in texts[:-1])  # after a clause, not inside one


@pytest.mark.parametrize("boundary", ["；", "、", "：", ",", ";"])
def test_other_clause_marks_are_boundaries_too(
    make_knowledge: MakeKnowledge, boundary: str
) -> None:
    paragraph = boundary.join(["一段没有句号的文字"] * 200)
    texts = passages_of(make_knowledge({"docs/a.txt": f"标题\n{paragraph}\n"}))
    assert max(len(text) for text in texts) <= MAX_PASSAGE_CHARS
    assert "".join(texts) == paragraph
    assert all(text.endswith(boundary) for text in texts[:-1])


def test_text_without_any_boundary_is_cut_at_the_cap(make_knowledge: MakeKnowledge) -> None:
    paragraph = "字" * (3 * MAX_PASSAGE_CHARS + 7)
    texts = passages_of(make_knowledge({"docs/a.txt": f"标题\n{paragraph}\n"}))
    assert [len(text) for text in texts] == [MAX_PASSAGE_CHARS] * 3 + [7]


def test_sentences_stay_whole_when_they_fit(make_knowledge: MakeKnowledge) -> None:
    sentences = [f"第{i}句话讲的是一件完整的事情，中间有逗号。" for i in range(100)]
    texts = passages_of(make_knowledge({"docs/a.txt": "标题\n" + "".join(sentences) + "\n"}))
    assert len(texts) > 1
    assert all(text.endswith("。") for text in texts)


def test_document_cache_from_before_clause_splitting_is_not_reused(
    make_knowledge: MakeKnowledge, tmp_path: Path
) -> None:
    root = make_knowledge({"docs/parks.md": f"# 园区名录\n\n{RUN_ON}\n"})
    cache_dir = tmp_path / "cache"
    passages_of(root, cache_dir)  # writes the document cache
    cache = cache_dir / "documents" / f"{digest_path(root)}.json"
    data = json.loads(read_cache(cache))
    assert data["format"] == DOCUMENT_CACHE_FORMAT
    entry = data["files"]["parks.md"]
    whole = {"id": "parks#0", "doc_id": "parks", "section": "", "ordinal": 0, "text": RUN_ON}
    # what the first format held: the passages in the entry, here one giant passage
    old = {"format": 1, "files": {"parks.md": [*entry[:2], {**entry[2], "passages": [whole]}]}}
    write_cache(cache, json.dumps(old, ensure_ascii=False).encode("utf-8"))
    os.utime(root / "docs" / "parks.md", ns=(entry[1], entry[1]))
    assert max(len(text) for text in passages_of(root, cache_dir)) <= MAX_PASSAGE_CHARS


def test_bot_answers_from_a_run_on_paragraph_citing_a_short_passage(
    make_knowledge: MakeKnowledge, tmp_path: Path
) -> None:
    root = make_knowledge({"docs/parks.md": f"# 园区名录\n\n{RUN_ON}\n"})
    bot = QABot.load(root, settings=Settings(cache_dir=tmp_path / "cache"))
    reply = bot.ask("南岳区第2024号园区入驻企业有多少家？")
    assert reply.answered and "87家" in reply.answer  # 2024 % 97 + 3
    cited = {p.id: p.text for p in bot.knowledge.passages}[reply.sources[0].passage_id]
    assert len(cited) <= MAX_PASSAGE_CHARS
