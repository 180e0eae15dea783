"""List the spec-check messages in ``config/`` that no test asserts.

``python -m tests.check_messages`` prints each one with its file and line (exit 1 if any);
tests/unit/test_check_messages.py runs the same check in the suite.

A message is a string or f-string that ``config/`` (and its packages) reports as a problem:
the message of a yielded ``(loc, message, value)`` problem, of ``SpecProblem(path, message)``
or ``FileProblem(path, message)``, of a returned ``(field, message)`` pair, a ``"message":``
or ``message =`` value, the hints in ``PATTERN_HINTS`` and ``SHAPES``, and the texts
``config.errors._message`` returns. A message counts as tested when a string of a test under
tests/ quotes 20 consecutive characters of its longest literal part (the text between its
placeholders), or all of a shorter one: tests assert messages by such fragments, so a message
nobody triggers and checks has none. It is a static check: it finds the messages to write a
test for, and cannot prove that a test quoting one also triggers it.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "config"
TESTS = ROOT / "tests"
HINT_TABLES = {"PATTERN_HINTS", "SHAPES"}
MIN_FRAGMENT = 6  # shorter literal parts ("; ", " is ") say nothing about which message it is
OVERLAP = 20  # characters of a message a test must quote: more than shared phrases ("is listed twice")


@dataclass(frozen=True)
class Message:
    path: str
    line: int
    text: str  # the message with {…} where values go
    fragment: str  # its longest literal part

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.text}"


def _literal_parts(node: ast.expr) -> list[str] | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        return [v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)]
    return None


def _template(node: ast.expr) -> str:
    if isinstance(node, ast.JoinedStr):
        return "".join(
            v.value if isinstance(v, ast.Constant) and isinstance(v.value, str) else "{…}"
            for v in node.values
        )
    return str(node.value) if isinstance(node, ast.Constant) else ""


def _is_problem_tuple(node: ast.AST) -> bool:
    """A yielded ``(loc, message, value)`` or a returned ``(field, message)``."""
    size = {ast.Yield: 3, ast.Return: 2}.get(type(node))
    value = getattr(node, "value", None)
    return size is not None and isinstance(value, ast.Tuple) and len(value.elts) == size


def _message_nodes(tree: ast.AST) -> Iterator[ast.expr]:
    for node in ast.walk(tree):
        if _is_problem_tuple(node):
            assert isinstance(node, ast.Yield | ast.Return) and isinstance(node.value, ast.Tuple)
            yield node.value.elts[1]
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", "") in ("SpecProblem", "FileProblem")
            and len(node.args) > 1
        ):
            yield node.args[1]
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if isinstance(key, ast.Constant) and key.value == "message":
                    yield value
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = {getattr(t, "id", "") for t in targets}
            if "message" in names and node.value is not None:
                yield node.value
            elif names & HINT_TABLES and isinstance(node.value, ast.Dict):
                yield from node.value.values
        elif isinstance(node, ast.FunctionDef) and node.name == "_message":
            yield from (r.value for r in ast.walk(node) if isinstance(r, ast.Return) and r.value is not None)


def config_messages() -> list[Message]:
    found: dict[tuple[str, int], Message] = {}
    for path in sorted(CONFIG.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in _message_nodes(tree):
            parts = _literal_parts(node)
            if not parts:
                continue
            fragment = max((p.strip(" ;:,.()'\"") for p in parts), key=len)
            if len(fragment) < MIN_FRAGMENT:
                continue
            relative = str(path.relative_to(ROOT))
            found[relative, node.lineno] = Message(relative, node.lineno, _template(node), fragment)
    return sorted(found.values(), key=lambda m: (m.path, m.line))


def test_strings() -> list[str]:
    """Every string literal (and literal part of an f-string) in the tests, this file excepted."""
    strings: list[str] = []
    for path in sorted(TESTS.rglob("*.py")):
        if path.resolve() == Path(__file__).resolve():
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            parts = _literal_parts(node) if isinstance(node, ast.Constant | ast.JoinedStr) else None
            strings += parts or []
    return strings


def is_quoted(fragment: str, corpus: str) -> bool:
    """Whether ``corpus`` holds ``OVERLAP`` consecutive characters of ``fragment`` (all of a shorter one)."""
    width = min(len(fragment), OVERLAP)
    return any(fragment[start : start + width] in corpus for start in range(len(fragment) - width + 1))


def untested_messages() -> list[Message]:
    corpus = "\n".join(test_strings())
    return [m for m in config_messages() if not is_quoted(m.fragment, corpus)]


def main() -> int:
    untested = untested_messages()
    for message in untested:
        print(message)
    print(f"{len(untested)} of {len(config_messages())} messages in config/ have no test", file=sys.stderr)
    return 1 if untested else 0


if __name__ == "__main__":
    sys.exit(main())
