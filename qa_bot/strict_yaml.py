"""YAML for knowledge files and question sets: dates stay text, duplicate keys are found.

PyYAML's safe loader turns ``2023-13-01`` into a date and raises a bare ``ValueError`` on an
impossible one, and it lets a repeated key silently replace the first. Here dates stay the
text written (the pydantic models validate them, naming the field), every repeated key is
reported with its line, and any other constructor failure becomes one ``YamlError``.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import yaml

try:  # libyaml's parser is about ten times faster; the constructor stays the Python one
    from yaml import CSafeLoader as BaseLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as BaseLoader  # type: ignore[assignment]  # same interface

TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
MERGE_TAG = "tag:yaml.org,2002:merge"


class YamlError(ValueError):
    """Text that is not valid YAML; the message says where."""


class TextDatesLoader(BaseLoader):
    """The safe loader without the timestamp resolver, recording repeated mapping keys."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[tuple[int, str, int]] = []  # (line, key, line of the first)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        """Note each key met twice in one mapping (merge keys ``<<`` may be overridden)."""
        first_line: dict[Hashable, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == MERGE_TAG:
                continue
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, Hashable):
                continue  # the base constructor reports unhashable keys
            line = key_node.start_mark.line
            if key in first_line:
                self.duplicates.append((line, str(key), first_line[key]))
            else:
                first_line[key] = line
        return super().construct_mapping(node, deep)

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        """A value that cannot be built (``!!int 12x``) becomes an error with its line."""
        try:
            return super().construct_object(node, deep)
        except (ValueError, TypeError, OverflowError) as exc:
            raise yaml.constructor.ConstructorError(None, None, str(exc), node.start_mark) from None


TextDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != TIMESTAMP_TAG]
    for first, resolvers in BaseLoader.yaml_implicit_resolvers.items()
}


def parse_yaml(text: str, first_line: int = 1) -> tuple[Any, list[str]]:
    """The data of ``text`` and one message per repeated key (``line 4: duplicate key 'id'``).

    ``first_line`` is the file line of the text's first line (front matter starts on 2).

    :raises YamlError: ``invalid YAML at line N, column M: problem``.
    """
    loader = TextDatesLoader(text)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" at line {mark.line + first_line}, column {mark.column + 1}" if mark else ""
        problem = exc.problem or exc.context or "unreadable"
        raise YamlError(f"invalid YAML{where}: {problem}") from None
    except (yaml.YAMLError, ValueError, TypeError, OverflowError, RecursionError) as exc:
        raise YamlError(f"invalid YAML: {exc}") from None
    finally:
        loader.dispose()
    duplicates = [
        f"line {line + first_line}: duplicate key '{key}'"
        + (f" (first at line {first + first_line})" if first != line else "")
        for line, key, first in loader.duplicates
    ]
    return data, duplicates
