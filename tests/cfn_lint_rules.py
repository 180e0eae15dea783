"""cfn-lint with its rules loaded once per process and region: loading them (hundreds of JSON
files) costs more than linting a template, and the rules do not change between templates, as
in cfn-lint's own command line, which lints many files with one runner. cfn-lint is imported on
first use: it takes half a second, and every test worker imports every test module."""

from __future__ import annotations

import json
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cfnlint.rules import Match
    from cfnlint.runner import Runner


@cache
def _runner(region: str) -> Runner:
    from cfnlint.config import ConfigMixIn
    from cfnlint.runner import Runner

    return Runner(ConfigMixIn(regions=[region]))


def lint_template(template: dict[str, Any] | str, region: str = "us-east-1") -> list[Match]:
    """Every cfn-lint match (errors, warnings, informational) in ``template`` for ``region``,
    as ``cfnlint.api.lint`` finds them."""
    return list(_lint_text(template if isinstance(template, str) else json.dumps(template), region))


@cache
def _lint_text(text: str, region: str) -> tuple[Match, ...]:
    """The matches of one template text: linting is a function of the text and region, and tests
    lint the same template more than once (an edited spec leaves most stacks as they were)."""
    from cfnlint.decode.decode import decode_str

    decoded, errors = decode_str(text)
    if errors:
        return tuple(errors)
    return () if decoded is None else tuple(_runner(region).validate_template(decoded))


@cache
def resource_schema(resource_type: str, region: str = "us-east-1") -> dict[str, Any]:
    """cfn-lint's CloudFormation resource schema of ``resource_type`` in ``region``."""
    from cfnlint.schema import PROVIDER_SCHEMA_MANAGER

    return dict(PROVIDER_SCHEMA_MANAGER.get_resource_schema(region, resource_type).schema)
