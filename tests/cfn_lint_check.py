"""cfn-lint over every synthesised template of the shipped environments.

`make lint` runs this module; `tests/unit/test_cfn_lint.py` asserts it finds nothing.
"""

from __future__ import annotations

import sys
from typing import Any

from config import available_environments, load_spec
from tests.cfn_lint_rules import lint_template
from tests.harness import synthesise

# (rule, path fragment or "" for every path): accepted findings, each with its reason.
ACCEPTED = {
    ("W3010", ""): "CDK environment-specific stacks name their AZs from the committed "
    "availability-zones context on purpose: subnets must not move when AWS adds an AZ.",
    ("W3005", "CustomVpcRestrictDefaultSGCustomResourceProvider"): "aws-cdk-lib's own custom "
    "resource provider repeats a DependsOn that a GetAtt implies; harmless and not ours to edit.",
    ("W3005", "StateMachine"): "aws-cdk-lib makes a state machine depend on its role (and the "
    "role's policy, which Step Functions checks at creation), although RoleArn references the role.",
    (
        "W3005",
        "Resources/Service9571FDD8/DependsOn",
    ): "aws-cdk-lib makes a blue/green service depend on its production listener "
    "rule at synthesis, after constructs run, although the service already references the rule.",
}


def _accepted(rule: str, path: str) -> bool:
    return any(rule == r and fragment in path for (r, fragment) in ACCEPTED)


def findings(env: str, templates: dict[str, dict[str, Any]] | None = None) -> list[str]:
    """Every cfn-lint error, warning and informational match for ``env``'s templates
    (``templates``, stack name → template; default: synthesise ``env``)."""
    spec = load_spec(env)
    templates = synthesise(spec).templates if templates is None else templates
    results = []
    for stack, template in sorted(templates.items()):
        for match in lint_template(template, spec.environment.region):
            path = "/".join(map(str, match.path))
            if not _accepted(match.rule.id, path):
                results.append(f"{env}/{stack}: {match.rule.id} {match.message} ({path})")
    return results


def main() -> int:
    problems = [problem for env in available_environments() for problem in findings(env)]
    for problem in problems:
        print(problem)
    print(f"cfn-lint: {len(problems)} finding(s) in {len(available_environments())} environments")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
