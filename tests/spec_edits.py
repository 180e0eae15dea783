"""Edits of the shipped environment files, and the problems the loader reports for them."""

from __future__ import annotations

import pytest

from config import SpecError, SpecProblem, parse_spec
from config.loader import ENVIRONMENTS_DIR

TEXTS = {env: (ENVIRONMENTS_DIR / f"{env}.yaml").read_text() for env in ("local", "dev", "prod")}


def edited(env: str, old: str, new: str) -> str:
    """The text of ``env`` with the first ``old`` (which must be there) replaced by ``new``."""
    assert old in TEXTS[env], old
    return TEXTS[env].replace(old, new, 1)


def problems_of(text: str) -> list[SpecProblem]:
    """The problems ``parse_spec`` reports (it must refuse the text)."""
    with pytest.raises(SpecError) as caught:
        parse_spec(text, source="edited.yaml")
    return caught.value.problems


def assert_problem(problems: list[SpecProblem], path: str, fragment: str) -> SpecProblem:
    """The problem at exactly ``path``, with a line, whose message has ``fragment``."""
    found = [p for p in problems if p.path == path and fragment in p.message]
    assert found, [str(p) for p in problems]
    assert found[0].line is not None, str(found[0])
    return found[0]


def line_of(text: str, fragment: str) -> int:
    """The 1-based line of the first line of ``text`` holding ``fragment``."""
    return next(number for number, line in enumerate(text.splitlines(), 1) if fragment in line)
