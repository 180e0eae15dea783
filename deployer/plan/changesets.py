"""Ask CloudFormation what a deploy would change: create a change set, read it, delete it.

Never executes anything. For each stack: if it does not exist (or only a failed creation is
left), every resource of the template is an addition and no change set is made; otherwise an
``UPDATE`` change set is created from the template, waited for, read page by page, and
deleted again, also when reading fails or the wait is interrupted.
"""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError

from deployer.aws.stack_state import NEVER_CREATED
from deployer.plan.classify import ResourceChange, changes_from_new_template, changes_from_response

INLINE_TEMPLATE_LIMIT = 51_200  # bytes CloudFormation accepts as TemplateBody
CAPABILITIES = ["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"]
NO_CHANGES = ("didn't contain changes", "No updates are to be performed")


class PlanError(RuntimeError):
    """CloudFormation could not produce a plan for a stack; the message says which and why."""


@dataclass(frozen=True)
class StackPlan:
    """What a deploy would do to one stack: ``status`` is ``new``, ``changes`` or ``no changes``."""

    stack: str
    status: str
    changes: list[ResourceChange] = field(default_factory=list)


@dataclass
class ChangeSetPlanner:
    """Plans stacks with one CloudFormation client; ``sleep``/``clock`` are injectable for tests.

    ``s3`` and ``bucket`` are needed only for templates above the 51,200-byte inline limit
    (default: the CDK bootstrap assets bucket, chosen by the caller); the uploaded copy is
    removed after the plan.
    """

    cloudformation: Any
    s3: Any = None
    bucket: str | None = None
    timeout_s: float = 300.0
    poll_s: float = 2.0
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic

    def plan_stack(self, stack: str, template: Mapping[str, Any]) -> StackPlan:
        status = self._stack_status(stack)
        if status is None or status in NEVER_CREATED:  # `cdk deploy` creates it from scratch: plan it as new
            return StackPlan(stack, "new", changes_from_new_template(stack, template))
        if status.endswith("_IN_PROGRESS") or status.endswith("_FAILED"):
            raise PlanError(f"{stack} is {status}: wait for it to settle (or recover it), then plan again")
        name = f"deployer-plan-{uuid.uuid4().hex[:12]}"
        with self._template_source(stack, template) as source:
            self.cloudformation.create_change_set(
                StackName=stack,
                ChangeSetName=name,
                ChangeSetType="UPDATE",
                Capabilities=CAPABILITIES,
                Description="deployer plan: read and deleted, never executed",
                **source,
            )
            try:
                return self._read(stack, name)
            finally:
                self.cloudformation.delete_change_set(StackName=stack, ChangeSetName=name)

    def _stack_status(self, stack: str) -> str | None:
        try:
            stacks = self.cloudformation.describe_stacks(StackName=stack)["Stacks"]
        except ClientError as error:
            if "does not exist" in str(error.response.get("Error", {}).get("Message", "")):
                return None
            raise
        return str(stacks[0]["StackStatus"]) if stacks else None

    def _read(self, stack: str, name: str) -> StackPlan:
        deadline = self.clock() + self.timeout_s
        while True:
            page = self.cloudformation.describe_change_set(StackName=stack, ChangeSetName=name)
            status = page["Status"]
            if status == "CREATE_COMPLETE":
                break
            if status == "FAILED":
                reason = str(page.get("StatusReason", ""))
                if any(text in reason for text in NO_CHANGES):
                    return StackPlan(stack, "no changes")
                raise PlanError(f"{stack}: the change set failed: {reason or 'no reason given'}")
            if self.clock() >= deadline:
                raise PlanError(f"{stack}: the change set was not ready after {self.timeout_s:.0f} s")
            self.sleep(self.poll_s)
        changes = changes_from_response(stack, page)
        while page.get("NextToken"):
            page = self.cloudformation.describe_change_set(
                StackName=stack, ChangeSetName=name, NextToken=page["NextToken"]
            )
            changes += changes_from_response(stack, page)
        return StackPlan(stack, "changes" if changes else "no changes", changes)

    def _template_source(self, stack: str, template: Mapping[str, Any]) -> _TemplateSource:
        body = json.dumps(template, separators=(",", ":"))
        if len(body.encode()) <= INLINE_TEMPLATE_LIMIT:
            return _TemplateSource({"TemplateBody": body})
        if self.s3 is None or not self.bucket:
            raise PlanError(
                f"{stack}: the template is above {INLINE_TEMPLATE_LIMIT} bytes and no bucket is set"
            )
        key = f"deployer-plan/{hashlib.sha256(body.encode()).hexdigest()}.json"
        self.s3.put_object(Bucket=self.bucket, Key=key, Body=body.encode())
        region = self.cloudformation.meta.region_name
        url = f"https://{self.bucket}.s3.{region}.amazonaws.com/{key}"
        return _TemplateSource(
            {"TemplateURL": url}, lambda: self.s3.delete_object(Bucket=self.bucket, Key=key)
        )


class _TemplateSource:
    """``TemplateBody`` or ``TemplateURL`` arguments, with the uploaded copy's cleanup."""

    def __init__(self, arguments: dict[str, str], cleanup: Callable[[], Any] | None = None) -> None:
        self.arguments = arguments
        self.cleanup = cleanup

    def __enter__(self) -> dict[str, str]:
        return self.arguments

    def __exit__(self, *_: object) -> None:
        if self.cleanup is not None:
            self.cleanup()
