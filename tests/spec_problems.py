"""The problems a rejected spec reports, as the user reads them: ``path (line N): message``."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from config import SpecError, SpecProblem, parse_spec
from config.loader import ENVIRONMENTS_DIR

TEXTS = {env: (ENVIRONMENTS_DIR / f"{env}.yaml").read_text() for env in ("local", "dev", "prod")}


def problems_raised_by(parse: Callable[[], object]) -> list[str]:
    """The problems of the ``SpecError`` that ``parse()`` raises; the test fails if it raises none."""
    with pytest.raises(SpecError) as caught:
        parse()
    return [str(problem) for problem in caught.value.problems]


def problems_of(text: str) -> list[str]:
    """The problems ``parse_spec`` finds in spec ``text`` (YAML)."""
    return problems_raised_by(lambda: parse_spec(text))


def refused(text: str) -> list[SpecProblem]:
    """The problems (path, message, line) ``parse_spec`` finds in ``text``; it must refuse it."""
    with pytest.raises(SpecError) as caught:
        parse_spec(text, source="edited.yaml")
    return caught.value.problems


def edited(env: str, old: str, new: str) -> str:
    """The shipped file of ``env`` with the first ``old`` (which must be there) replaced by ``new``."""
    assert old in TEXTS[env], old
    return TEXTS[env].replace(old, new, 1)


def assert_problem(problems: list[SpecProblem], path: str, fragment: str) -> SpecProblem:
    """The problem at exactly ``path``, with a line, whose message has ``fragment``."""
    found = [p for p in problems if p.path == path and fragment in p.message]
    assert found, [str(p) for p in problems]
    assert found[0].line is not None, str(found[0])
    return found[0]


def line_of(text: str, fragment: str) -> int:
    """The 1-based number of the first line of ``text`` holding ``fragment``."""
    return next(number for number, line in enumerate(text.splitlines(), 1) if fragment in line)
