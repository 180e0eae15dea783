"""The problems a rejected spec reports, as the user reads them: ``path (line N): message``."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from config import SpecError, parse_spec


def problems_raised_by(parse: Callable[[], object]) -> list[str]:
    """The problems of the ``SpecError`` that ``parse()`` raises; the test fails if it raises none."""
    with pytest.raises(SpecError) as caught:
        parse()
    return [str(problem) for problem in caught.value.problems]


def problems_of(text: str) -> list[str]:
    """The problems ``parse_spec`` finds in spec ``text`` (YAML)."""
    return problems_raised_by(lambda: parse_spec(text))
