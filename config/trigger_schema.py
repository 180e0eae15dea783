"""Spec models of ``triggers``: EventBridge events that start a job's task or a workflow.

A trigger is an event pattern on an event bus (the default bus or a named one), or its
first-class form for the common case, an object created in an S3 bucket under a prefix (S3's
EventBridge notifications). Values of the event reach the task as environment variables
(``from_event``), through the rule target's input transformer.
"""

from __future__ import annotations

import json
import re
from typing import Annotated, Any

from pydantic import Field, model_validator

from config.event_patterns import EVENT_PATTERN_MAX, event_pattern_problem
from config.permissions_schema import S3Prefix
from config.spec_model import SpecModel, checked, spec_problem
from config.types import EnvVarName

# botocore's events model: EventBusName (1-256, [/\.\-_A-Za-z0-9]+).
EVENT_BUS_NAME = r"^[/.\-_A-Za-z0-9]{1,256}$"
# S3 bucket naming rules (general purpose buckets): 3-63 lowercase letters, digits, '.', '-'.
BUCKET_NAME = r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$"
# A path into the event or the input: $ then .name or [index] parts (EventBridge InputPathsMap
# and Step Functions reference paths both take this shape).
JSON_PATH = r"^\$(\.[A-Za-z_][A-Za-z0-9_-]*|\[\d+\])*$"
S3_BUCKET_VARIABLE, S3_KEY_VARIABLE = "S3_BUCKET", "S3_KEY"
S3_EVENT_FIELDS = {S3_BUCKET_VARIABLE: "$.detail.bucket.name", S3_KEY_VARIABLE: "$.detail.object.key"}
MAX_INPUT_PATHS = 100  # EventBridge: InputPathsMap holds at most 100 entries


def json_path_problem(value: str) -> str | None:
    """Why ``value`` is not a JSON path of the accepted shape, or None."""
    if re.match(JSON_PATH, value):
        return None
    return f"{value!r} is not a JSON path: use $ or $.field.field (e.g. $.detail.object.key, $.files[0])"


def _bucket_problem(value: str) -> str | None:
    if re.match(BUCKET_NAME, value) and ".." not in value:
        return None
    return f"{value!r} is not an S3 bucket name: 3-63 lowercase letters, digits, '.' and '-'"


def _bus_problem(value: str) -> str | None:
    if re.match(EVENT_BUS_NAME, value):
        return None
    return f"{value!r} is not an event bus name: 1-256 letters, digits, '.', '-', '_' and '/'"


JsonPath = Annotated[str, checked(json_path_problem)]


class S3ObjectCreatedSpec(SpecModel):
    """An object created in ``bucket`` (under ``prefix``): S3's "Object Created" event on the
    default bus. The bucket must send its events to EventBridge (a bucket setting, see
    docs/jobs.md). Its task gets ``S3_BUCKET`` and ``S3_KEY``."""

    bucket: Annotated[str, checked(_bucket_problem)] = Field(description="bucket name")
    prefix: S3Prefix | None = Field(default=None, description="only keys starting with this (e.g. incoming/)")


class TriggerSpec(SpecModel):
    """Events that start the work: exactly one of ``s3`` and ``pattern``. Default: the default
    event bus, 2 retries, events that could not start the work within an hour go to the
    dead-letter queue (encrypted with the environment key)."""

    s3: S3ObjectCreatedSpec | None = Field(default=None, description="an object created in a bucket")
    pattern: dict[str, Any] | None = Field(
        default=None, description="EventBridge event pattern, e.g. {source: [my.app], detail-type: [Order]}"
    )
    bus: Annotated[str, checked(_bus_problem)] = Field(
        default="default", description="event bus name (pattern triggers) [default: default]"
    )
    from_event: dict[EnvVarName, JsonPath] = Field(
        default_factory=dict,
        description="environment variables from event values: NAME: $.detail.field "
        "(an S3 trigger adds S3_BUCKET and S3_KEY)",
    )
    retries: int = Field(default=2, ge=0, le=185, description="retries when the work fails to start")
    max_event_age_seconds: int = Field(default=3600, ge=60, le=86400)

    @model_validator(mode="after")
    def _one_source(self) -> TriggerSpec:
        if (self.s3 is None) == (self.pattern is None):
            raise spec_problem("give exactly one of s3 and pattern per trigger")
        if self.s3 is not None and self.bus != "default":
            raise spec_problem("S3 sends its events to the default bus: remove bus")
        if self.pattern is not None:
            problem = event_pattern_problem(self.pattern)
            if problem:
                raise spec_problem(problem)
            if len(json.dumps(self.pattern)) > EVENT_PATTERN_MAX:
                raise spec_problem(
                    f"the event pattern is longer than EventBridge's {EVENT_PATTERN_MAX} characters"
                )
        if len(self.event_fields) > MAX_INPUT_PATHS:
            raise spec_problem(f"at most {MAX_INPUT_PATHS} values of the event (EventBridge's limit)")
        return self

    @property
    def event_pattern(self) -> dict[str, Any]:
        """The EventBridge pattern: ``pattern``, or S3's Object Created for the bucket and prefix."""
        if self.pattern is not None:
            return self.pattern
        assert self.s3 is not None
        detail: dict[str, Any] = {"bucket": {"name": [self.s3.bucket]}}
        if self.s3.prefix:
            detail["object"] = {"key": [{"prefix": self.s3.prefix}]}
        return {"source": ["aws.s3"], "detail-type": ["Object Created"], "detail": detail}

    @property
    def summary(self) -> str:
        """A few words: ``S3 bucket/prefix`` or ``events from source (bus name)``."""
        if self.s3 is not None:
            return f"S3 {self.s3.bucket}/{self.s3.prefix or ''}"
        sources = self.event_pattern.get("source", [])
        named = ", ".join(s for s in sources if isinstance(s, str)) if isinstance(sources, list) else ""
        bus = "" if self.bus == "default" else f" (bus {self.bus})"
        return f"events from {named or 'any source'}{bus}"

    @property
    def event_fields(self) -> dict[str, str]:
        """Environment variable → JSON path into the event (S3's two, then ``from_event``)."""
        return {**(S3_EVENT_FIELDS if self.s3 is not None else {}), **self.from_event}
