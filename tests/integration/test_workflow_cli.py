"""``deployer workflow start|status``: the state machine found from the stack's outputs, a start
that a retry cannot duplicate, ``--wait`` exit codes, and the newest failure.

moto models what Step Functions does with a start: the state machine, names, the idempotency
of the same name and input while the execution runs, ExecutionAlreadyExists otherwise, and
ListExecutions. It does not run the steps: an execution stays RUNNING. So the ends of an
execution (SUCCEEDED, FAILED, TIMED_OUT, ABORTED) and its history are played with Stubber.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber
from moto import mock_aws
from typer.testing import CliRunner

from config import load_spec, naming
from deployer.aws.stack_state import NotDeployedError
from deployer.cli import app
from deployer.commands.common import CommandContext
from deployer.exit_codes import ExitCode
from deployer.inputs import BadInputError
from deployer.workflows import executions
from tests.unit.test_workflow_failures import REPORTS_DEFINITION, STOPPED_TASK, entered, event, task_failed

pytestmark = pytest.mark.moto
SPEC = load_spec("local")
STACK = naming.workflow_stack_name(SPEC)
MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:shop-local-nightly"
EXECUTION = "arn:aws:states:us-east-1:123456789012:execution:shop-local-nightly:retry-1"
STARTED = datetime(2026, 11, 29, 4, 0, tzinfo=UTC)


@pytest.fixture
def aws() -> Iterator[None]:
    with mock_aws():
        yield


def client(service: str) -> Any:
    return boto3.client(service, region_name="us-east-1")


def deploy_state_machine() -> str:
    """A state machine and the workflows stack whose output names it, as a deploy leaves them."""
    arn = client("stepfunctions").create_state_machine(
        name="shop-local-nightly",
        definition=json.dumps({"StartAt": "export", "States": {"export": {"Type": "Pass", "End": True}}}),
        roleArn="arn:aws:iam::123456789012:role/states",
    )["stateMachineArn"]
    template = {
        "Resources": {"Topic": {"Type": "AWS::SNS::Topic"}},
        "Outputs": {naming.state_machine_output("nightly"): {"Value": arn}},
    }
    client("cloudformation").create_stack(StackName=STACK, TemplateBody=json.dumps(template))
    return str(arn)


def test_the_state_machine_comes_from_the_stack_outputs(aws: None) -> None:
    cloudformation = client("cloudformation")
    with pytest.raises(NotDeployedError, match="deploy the environment first"):
        executions.state_machine_arn(SPEC, cloudformation, "nightly")
    arn = deploy_state_machine()
    assert executions.state_machine_arn(SPEC, cloudformation, "nightly") == arn
    with pytest.raises(BadInputError, match="unknown workflow 'nigthly'; workflows: nightly"):
        executions.state_machine_arn(SPEC, cloudformation, "nigthly")


def test_a_retried_start_is_the_same_execution_and_a_reused_name_is_refused(aws: None) -> None:
    arn = deploy_state_machine()
    sfn = client("stepfunctions")
    payload = executions.parse_input('{"day": "2026-11-29", "files": ["a.csv"]}')
    first = executions.start(sfn, arn, "retry-1", payload)
    assert executions.start(sfn, arn, "retry-1", payload) == first  # a retry: no second run
    assert [e.name for e in executions.recent(sfn, arn, 10)] == ["retry-1"]
    with pytest.raises(BadInputError, match="ran with another input; names are unique per workflow"):
        executions.start(sfn, arn, "retry-1", executions.parse_input('{"day": "2026-11-30"}'))
    running = executions.wait(sfn, first, timeout_s=0)  # moto: it never ends
    assert (running.status, running.name) == ("RUNNING", "retry-1")


def test_the_default_execution_name_is_the_same_for_a_retry_in_the_same_second() -> None:
    now = datetime(2026, 11, 29, 4, 0, 7, tzinfo=UTC)
    text = executions.parse_input('{"b": 1, "a": 2}')
    assert text == '{"a":2,"b":1}'  # key order does not change the name
    name = executions.execution_name(None, text, now)
    assert name == executions.execution_name(None, executions.parse_input('{"a": 2, "b": 1}'), now)
    assert name.startswith("deployer-20261129T040007Z-") and len(name) <= 80
    assert name != executions.execution_name(None, "{}", now)
    assert executions.execution_name("nightly-rerun_2", text) == "nightly-rerun_2"


@pytest.mark.parametrize(
    ("given", "fragment"),
    [
        ("[1]", "--input must be a JSON object"),
        ("{oops", "--input is not JSON: Expecting property name enclosed in double quotes at character 1"),
        ('{"x": "' + "a" * 262144 + '"}', "--input is over Step Functions' 256 KiB limit"),
        ('{"a": NaN}', "--input: JSON has no NaN or Infinity (got NaN)"),
        ('{"a": [-Infinity]}', "--input: JSON has no NaN or Infinity (got -Infinity)"),
        ('{"a": 1e999}', "--input: JSON has no NaN or Infinity: 1e999 is past a double's range"),
        ('{"a": ' + "1" * 5000 + "}", "--input: a number has more than 4300 digits"),
        ("[" * 60000 + "]" * 60000, "--input: nesting is deeper than 64 levels (at character 64)"),
    ],
)
def test_bad_input_is_refused_before_any_call(given: str, fragment: str) -> None:
    with pytest.raises(BadInputError, match="^" + re.escape(fragment)):
        executions.parse_input(given)


@pytest.mark.parametrize("given", ['{"a": NaN}', "[" * 60000 + "]" * 60000])
def test_workflow_start_exits_2_on_json_aws_refuses(given: str) -> None:
    result = CliRunner().invoke(app, ["workflow", "start", "nightly", "--input", given])
    assert result.exit_code == 2, result.output
    assert "error: --input: " in result.output and "internal error" not in result.output


def test_a_bad_execution_name_is_refused() -> None:
    with pytest.raises(BadInputError, match="--name: use 1-80 letters, digits, '-' or '_'"):
        executions.execution_name("a b", "{}")


class StubbedClients:
    """The command's clients, each under a Stubber the test fills."""

    def __init__(self) -> None:
        self.made = {name: client(name) for name in ("cloudformation", "stepfunctions", "ecs")}
        self.stubs = {name: Stubber(made) for name, made in self.made.items()}

    def __call__(self, service: str) -> Any:
        return self.made[service]


@pytest.fixture
def stubbed(monkeypatch: pytest.MonkeyPatch) -> Iterator[StubbedClients]:
    clients = StubbedClients()
    load = CommandContext.load

    def with_stubs(env: str, port: int | None = None, as_json: bool = False) -> CommandContext:
        ctx = load(env, port, as_json)
        ctx.clients = clients  # type: ignore[assignment]
        return ctx

    monkeypatch.setattr(CommandContext, "load", staticmethod(with_stubs))
    monkeypatch.setattr(CommandContext, "require_local_endpoint", lambda self: None)
    monkeypatch.setattr("time.sleep", lambda seconds: None)
    for stub in clients.stubs.values():
        stub.activate()
    yield clients
    for stub in clients.stubs.values():
        stub.assert_no_pending_responses()
        stub.deactivate()


def deployed(stubs: dict[str, Stubber]) -> None:
    outputs = [{"OutputKey": naming.state_machine_output("nightly"), "OutputValue": MACHINE}]
    stack = {
        "StackName": STACK,
        "CreationTime": STARTED,
        "StackStatus": "CREATE_COMPLETE",
        "Outputs": outputs,
    }
    stubs["cloudformation"].add_response("describe_stacks", {"Stacks": [stack]}, {"StackName": STACK})


def described(status: str) -> dict[str, Any]:
    ended = {} if status == "RUNNING" else {"stopDate": STARTED}
    return {
        "executionArn": EXECUTION,
        "stateMachineArn": MACHINE,
        "name": "retry-1",
        "status": status,
        "startDate": STARTED,
    } | ended


FAILED_HISTORY = [
    event(1, "ExecutionStarted", 0, executionStartedEventDetails={"input": "{}", "roleArn": "arn:r"}),
    entered(2, "TaskStateEntered", 1, "report"),
    task_failed(3, 2, STOPPED_TASK),
    event(4, "ExecutionFailed", 3, executionFailedEventDetails={"error": "States.TaskFailed"}),
]


@pytest.mark.parametrize(
    ("ending", "code"),
    [
        ("SUCCEEDED", ExitCode.OK),
        ("FAILED", ExitCode.WORK_FAILED),
        ("ABORTED", ExitCode.WORK_FAILED),
        ("TIMED_OUT", ExitCode.TIMED_OUT),
    ],
)
def test_start_wait_exits_with_the_documented_code(stubbed: StubbedClients, ending: str, code: int) -> None:
    stubs = stubbed.stubs
    deployed(stubs)
    request = {"stateMachineArn": MACHINE, "name": "retry-1", "input": '{"day":"2026-11-29"}'}
    stubs["stepfunctions"].add_response(
        "start_execution", {"executionArn": EXECUTION, "startDate": STARTED}, request
    )
    for status in ("RUNNING", ending):
        stubs["stepfunctions"].add_response(
            "describe_execution", described(status), {"executionArn": EXECUTION}
        )
    if ending != "SUCCEEDED":
        history = FAILED_HISTORY if ending == "FAILED" else FAILED_HISTORY[:1]
        stubs["stepfunctions"].add_response(
            "get_execution_history", {"events": history}, {"executionArn": EXECUTION}
        )
    if ending == "FAILED":
        definition = {
            "taskDefinition": "arn:aws:ecs:us-east-1:123456789012:task-definition/shop-local-reports:7"
        }
        stubs["ecs"].add_response("describe_task_definition", REPORTS_DEFINITION, definition)
    arguments = ["workflow", "start", "nightly", "--input", '{"day": "2026-11-29"}', "--name", "retry-1"]
    result = CliRunner().invoke(app, [*arguments, "--wait", "--json"])
    assert result.exit_code == code, result.output
    payload = json.loads(result.stdout)
    assert payload["execution"]["status"] == ending
    if ending == "FAILED":
        assert (payload["failure"]["step"], payload["failure"]["exit_code"]) == ("report", 3)
        assert payload["failure"]["log_link"].endswith(
            "reports$252Freports$252F0f1e2d3c4b5a69788796a5b4c3d2e1f0"
        )
    else:
        assert payload["failure"] is None


def test_status_lists_executions_and_explains_the_newest_failure(stubbed: StubbedClients) -> None:
    stubs = stubbed.stubs
    deployed(stubs)
    newest = described("SUCCEEDED") | {"name": "today", "executionArn": EXECUTION.replace("retry-1", "today")}
    listed = {"executions": [newest, described("FAILED")]}
    stubs["stepfunctions"].add_response(
        "list_executions", listed, {"stateMachineArn": MACHINE, "maxResults": 10}
    )
    stubs["stepfunctions"].add_response(
        "get_execution_history", {"events": FAILED_HISTORY}, {"executionArn": EXECUTION}
    )
    definition = {"taskDefinition": "arn:aws:ecs:us-east-1:123456789012:task-definition/shop-local-reports:7"}
    stubs["ecs"].add_response("describe_task_definition", REPORTS_DEFINITION, definition)
    result = CliRunner().invoke(app, ["workflow", "status", "nightly"])
    assert result.exit_code == 0, result.output
    for text in ("today", "SUCCEEDED", "newest failure: retry-1", "failing step: report (States.TaskFailed)"):
        assert text in result.stdout
    assert (
        "exit code: 3" in result.stdout
        and "logs: https://us-east-1.console.aws.amazon.com/cloudwatch" in result.stdout
    )


def test_an_unknown_workflow_is_bad_input_before_any_call(stubbed: StubbedClients) -> None:
    result = CliRunner().invoke(app, ["workflow", "start", "nigthly"])
    assert result.exit_code == ExitCode.BAD_INPUT
    assert "unknown workflow 'nigthly'; workflows: nightly" in result.output
