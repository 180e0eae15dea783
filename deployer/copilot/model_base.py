"""Building blocks of the Copilot manifest models: strict maps, durations, short forms.

Copilot lets many fields be a short scalar or a map (``healthcheck: /health`` or
``healthcheck: {path: /health}``). Each model turns its short form into the map form before
validation, so one model checks both and an unknown key is reported at its own YAML path.
Keys Copilot spells in camelCase or as Python keywords are aliases; internal markers for a
short form start with ``~`` and cannot collide with a manifest key.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from deployer.copilot.durations import DurationError, parse_duration, whole_seconds


class Model(BaseModel):
    """A manifest map: unknown keys are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=False)


def _checked_by(parse: Callable[[str], object]) -> AfterValidator:
    """A validator keeping the text when ``parse`` accepts it, else a ``duration`` error."""

    def check(value: str) -> str:
        try:
            parse(value)
        except DurationError as error:
            raise PydanticCustomError("duration", str(error)) from None
        return value

    return AfterValidator(check)


def _duration_text(value: object) -> object:
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise PydanticCustomError(
            "duration", "{value} has no unit; write it as e.g. {value}s", {"value": value}
        )
    return value


Duration = Annotated[str, BeforeValidator(_duration_text), _checked_by(parse_duration)]
Seconds = Annotated[Duration, _checked_by(whole_seconds)]  # a duration of whole seconds


def _shell_words(value: object) -> object:
    """Copilot splits a string ``command``/``entrypoint`` with shell rules."""
    if isinstance(value, str):
        try:
            return shlex.split(value)
        except ValueError as error:
            raise PydanticCustomError(
                "shell_words", "cannot split it as shell words: {error}", {"error": str(error)}
            ) from None
    return value


ShellWords = Annotated[list[str], BeforeValidator(_shell_words)]


def wrap_scalar(key: str) -> Any:
    """A before-validator turning a scalar short form into ``{key: value}``."""

    def wrap(value: object) -> object:
        return value if isinstance(value, dict) or value is None else {key: value}

    return BeforeValidator(wrap)


def as_text(value: object) -> object:
    """Numbers where Copilot takes a string (``port: 8080``) become their text."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


Text = Annotated[str, BeforeValidator(as_text)]
LooseMap = dict[str, Any]  # a subtree only reported, never mapped: its keys are not checked
StringMap = dict[str, Annotated[str, BeforeValidator(as_text)] | None]


class Cooldown(Model):
    scale_in: Seconds | None = Field(default=None, alias="in")
    scale_out: Seconds | None = Field(default=None, alias="out")


class FromCfn(Model):
    from_cfn: str
