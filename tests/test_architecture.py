"""The layering of the package, enforced: lower layers never reach up, adapters and the CLI use
only the public API, no resource file is read at import, and only one module writes the year
pattern."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "qa_bot"
UPPER = {"answering", "dialog", "sessions", "redis_sessions", "dialog_references",
         "dialog_replies", "bot", "adapters", "cli", "evaluation", "misses", "conversation_log",
         "log_databases",
         "report"}  # fmt: skip
LOWER = {
    "errors", "models", "lexicon", "text", "sentences", "weights", "settings", "tokenizer",
    "index", "index_cache", "loader", "extraction", "checks", "resources", "strict_yaml",
    "decoding", "private_files", "orphans", "files", "markdown", "document_cache", "fact_files",
    "passage_store",
    "dictionary_files", "dates", "events", "synonyms",
}  # fmt: skip
# What adapters and the CLI may use: the public API, the tools beside them, and private_files
# (safe files for their own state; it knows nothing of the bot).
PUBLIC = {"qa_bot", "bot", "models", "settings", "errors", "adapters", "evaluation", "checks",
          "misses", "conversation_log", "report", "private_files"}  # fmt: skip


def modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def layer(path: Path) -> str:
    """The first component of a module's name below ``qa_bot`` (``answering`` for
    ``qa_bot/answering/facts.py``)."""
    relative = path.relative_to(PACKAGE)
    return relative.parts[0].removesuffix(".py")


def imported(path: Path) -> set[str]:
    """The ``qa_bot`` layers a module imports, anywhere in it (also inside functions)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
            if node.module == "qa_bot":
                names += [f"qa_bot.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "qa_bot":
                found.add(parts[1] if len(parts) > 1 else "qa_bot")
    return found


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_follow_the_layers(path: Path) -> None:
    own, uses = layer(path), imported(path)
    if own in LOWER:
        assert not uses & UPPER, f"{own} reaches up into {uses & UPPER}"
    if own == "answering":
        assert not uses & (UPPER - {"answering"}), f"answering imports {uses & UPPER}"
    if own in {"adapters", "cli"}:
        assert uses <= PUBLIC, f"{own} uses internals: {uses - PUBLIC}"


def test_the_layer_check_catches_a_violation(tmp_path: Path) -> None:
    module = tmp_path / "probe.py"
    module.write_text("def f():\n    from qa_bot.answering.facts import FactSearch\n")
    assert imported(module) == {"answering"}


READERS = {"read_text", "read_bytes", "open", "files", "resource_lines", "word_list", "load"}


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_resource_is_read_at_import(path: Path) -> None:
    """Module-level statements call nothing that reads a file (only function bodies do, on
    first use)."""
    tree = ast.parse(path.read_text("utf-8"))
    for statement in tree.body:
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            continue
        for node in ast.walk(statement):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                assert name not in READERS, f"{path.name}: {ast.unparse(statement)}"


def test_the_import_check_catches_a_read(tmp_path: Path) -> None:
    module = tmp_path / "probe.py"
    module.write_text("from pathlib import Path\nWORDS = Path('w.txt').read_text()\n")
    with pytest.raises(AssertionError):
        test_no_resource_is_read_at_import(module)


def test_only_the_lexicon_writes_the_year_pattern() -> None:
    writers = [p.name for p in modules() if "(?:19|20)" in p.read_text("utf-8")]
    assert writers == ["lexicon.py"]
    assert not [p.name for p in modules() if "(19|20)" in p.read_text("utf-8")]


def test_no_module_is_too_long() -> None:
    long = {p.name: n for p in modules() if (n := len(p.read_text("utf-8").splitlines())) > 360}
    assert not long
