"""Read a CloudFormation stack's status and outputs without treating "does not exist" as an error."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError


def stack_status(cloudformation: Any, name: str) -> str | None:
    """The stack's status, or None when there is no such stack."""
    try:
        stacks = cloudformation.describe_stacks(StackName=name)["Stacks"]
    except ClientError as error:
        if "does not exist" in str(error):
            return None
        raise
    return str(stacks[0]["StackStatus"]) if stacks else None


def stack_outputs(cloudformation: Any, name: str) -> dict[str, str]:
    """The stack's outputs as ``{OutputKey: OutputValue}`` (the stack must exist)."""
    stack = cloudformation.describe_stacks(StackName=name)["Stacks"][0]
    return {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}
