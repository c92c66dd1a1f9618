"""Reading policy files with line numbers.

PyYAML's plain `safe_load` forgets where things were, and an error such as "unknown field" is
only useful with its line. So the file is composed into nodes (which carry marks) and turned into
plain Python values here, recording the line of every path on the way. Mapping keys are taken as
written: YAML 1.1 would otherwise read a key such as `on` as the boolean true.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path as FsPath
from typing import Any

import yaml

from .policy import Policy
from .schema import Path, PolicyError, Problem, build_policy

_constructor = yaml.SafeLoader(stream="")
# libyaml's parser when PyYAML was built with it: ten times faster than the pure-Python one
# (a worker reads the whole library on its first policy page).
_Parser = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _plain(node: yaml.Node, path: Path, marks: dict[Path, int]) -> Any:
    marks[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise _Refused(key_node.start_mark.line + 1, "mapping keys must be plain words")
            key = key_node.value
            if key in out:
                raise _Refused(key_node.start_mark.line + 1, f"duplicate key {key!r}")
            marks[(*path, key)] = key_node.start_mark.line + 1
            out[key] = _plain(value_node, (*path, key), marks)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_plain(item, (*path, i), marks) for i, item in enumerate(node.value)]
    if node.tag.startswith("tag:yaml.org,2002:") and node.tag.rsplit(":", 1)[1] in (
        "null",
        "bool",
        "int",
        "float",
        "str",
        "timestamp",
    ):
        value = _constructor.construct_object(node, deep=True)
        if isinstance(value, dt.datetime):
            raise _Refused(node.start_mark.line + 1, "use a date (YYYY-MM-DD), not a time")
        return value
    raise _Refused(node.start_mark.line + 1, f"unsupported YAML tag {node.tag}")


class _Refused(Exception):
    def __init__(self, line: int, reason: str) -> None:
        self.line = line
        self.reason = reason


def parse_document(text: str, source: str = "<string>") -> tuple[Any, dict[Path, int]]:
    """The document as plain data plus the line of every path in it."""
    try:
        node = yaml.compose(text, Loader=_Parser)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise PolicyError([Problem(source, line, "", f"not valid YAML: {exc.problem}")]) from None
    if node is None:
        raise PolicyError([Problem(source, 1, "", "the file is empty")])
    marks: dict[Path, int] = {}
    try:
        return _plain(node, (), marks), marks
    except _Refused as exc:
        raise PolicyError([Problem(source, exc.line, "", exc.reason)]) from None


def load_policy_text(text: str, source: str = "<string>") -> Policy:
    document, marks = parse_document(text, source)
    return build_policy(document, source, marks)


def load_policy_file(path: str | FsPath) -> Policy:
    path = FsPath(path)
    return load_policy_text(path.read_text(encoding="utf-8"), str(path))


def load_library(directory: str | FsPath) -> list[Policy]:
    """Every *.yaml under `directory`; all problems of all files are reported together, and two
    files may not claim the same policy id and version."""
    policies: list[Policy] = []
    problems: list[Problem] = []
    seen: dict[tuple[str, int], str] = {}
    for file in sorted(FsPath(directory).rglob("*.y*ml")):
        try:
            policy = load_policy_file(file)
        except PolicyError as exc:
            problems.extend(exc.problems)
            continue
        key = (policy.id, policy.version)
        if key in seen:
            problems.append(
                Problem(str(file), 1, "id", f"{policy.key} is also defined in {seen[key]}")
            )
            continue
        seen[key] = str(file)
        policies.append(policy)
    if problems:
        raise PolicyError(problems)
    return policies


DEFAULT_LIBRARY = FsPath(__file__).resolve().parent.parent / "library"
