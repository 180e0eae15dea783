"""Read a CloudFormation stack's status and outputs without treating "does not exist" as an error;
``NotDeployedError`` when a command needs what an environment's stacks create and it is missing."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

# A stack in these states holds nothing (`cdk deploy` creates it from scratch).
NEVER_CREATED = frozenset({"REVIEW_IN_PROGRESS", "ROLLBACK_COMPLETE"})


class NotDeployedError(LookupError):
    """What a command needs is not deployed (yet): the message says what, and what to deploy."""


def deploy_first(env: str) -> str:
    """What to do when the environment ``env`` (or a part of it) is not deployed."""
    return f"deploy the environment first (deployer deploy --env {env})"


def find_stack(cloudformation: Any, name: str) -> dict[str, Any] | None:
    """The stack as DescribeStacks returns it, or None when there is no such stack."""
    try:
        stacks = cloudformation.describe_stacks(StackName=name)["Stacks"]
    except ClientError as error:
        if "does not exist" in str(error):
            return None
        raise
    return dict(stacks[0]) if stacks else None


def stack_status(cloudformation: Any, name: str) -> str | None:
    """The stack's status, or None when there is no such stack."""
    stack = find_stack(cloudformation, name)
    return str(stack["StackStatus"]) if stack else None


def outputs_of(stack: dict[str, Any]) -> dict[str, str]:
    """A described stack's outputs as ``{OutputKey: OutputValue}``."""
    return {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}


def live_pins(cloudformation: Any, stacks: dict[str, str]) -> dict[str, str]:
    """The rollback pin (output ``PinnedTaskDefinition``) of each service in ``stacks`` (service
    → its stack's name) whose stack has one; a missing stack has none."""
    pins = {}
    for service, name in stacks.items():
        stack = find_stack(cloudformation, name)
        pinned = outputs_of(stack).get("PinnedTaskDefinition") if stack else None
        if pinned:
            pins[service] = pinned
    return pins


def stack_outputs(cloudformation: Any, name: str) -> dict[str, str]:
    """The stack's outputs as ``{OutputKey: OutputValue}`` (the stack must exist)."""
    return outputs_of(cloudformation.describe_stacks(StackName=name)["Stacks"][0])
