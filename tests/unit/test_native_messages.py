"""Each message a task-definition file can get, triggered by the smallest edit of a valid file
and checked whole, with its JSON path."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from config import parse_spec
from config.task_definition_files import read_task_definition
from tests.native_fixtures import CAPACITY_SPEC_TEXT

SPEC = parse_spec(
    CAPACITY_SPEC_TEXT
    + "  granted:\n    task_definition_file: x.json\n"
    + '    permissions: [{s3: {bucket: "arn:aws:s3:::shop-uploads", access: read}}]\n'
)
ROLE = "arn:aws:iam::123456789012:role/app-execution"
APP = {"name": "app", "image": "public.ecr.aws/nginx/nginx:1.27", "portMappings": [{"containerPort": 80}]}


def fargate(**fields: Any) -> dict[str, Any]:
    document = {
        "family": "app",
        "networkMode": "awsvpc",
        "requiresCompatibilities": ["FARGATE"],
        "cpu": "256",
        "memory": "512",
        "executionRoleArn": ROLE,
        "containerDefinitions": [dict(APP)],
    }
    return {**document, **fields}


def found(
    tmp_path: Path, document: Any, service: str = "fargate", raw: bytes | None = None
) -> list[tuple[str, str]]:
    path = tmp_path / "x.json"
    path.write_bytes(raw if raw is not None else json.dumps(document).encode())
    _, problems = read_task_definition(path, SPEC, service)
    return [(p.path, p.message) for p in problems]


FSX = {
    "fileSystemId": "fs-1",
    "rootDirectory": "share",
    "authorizationConfig": {"credentialsParameter": "arn:aws:ssm:::parameter/x", "domain": "corp"},
}
ROUTER = {
    "name": "router",
    "image": "public.ecr.aws/aws-observability/aws-for-fluent-bit:stable",
    "firelensConfiguration": {"type": "fluentbit"},
}


@pytest.mark.parametrize(
    ("document", "service", "expected"),
    [
        (
            fargate(volumes=[{"name": "w", "fsxWindowsFileServerVolumeConfiguration": FSX}]),
            "fargate",
            (
                "volumes[0].fsxWindowsFileServerVolumeConfiguration",
                "FSx for Windows File Server volumes are for Windows containers, which this project does not run",
            ),
        ),
        (
            fargate(inferenceAccelerators=[{"deviceName": "d", "deviceType": "eia2.medium"}]),
            "fargate",
            ("inferenceAccelerators", "Elastic Inference accelerators are retired by AWS; remove them"),
        ),
        (
            fargate(taskRoleArn="arn:aws:iam::role"),
            "fargate",
            (
                "taskRoleArn",
                "'arn:aws:iam::role' is not an IAM role ARN (arn:aws:iam::<account>:role/<name>) or role name",
            ),
        ),
        (
            fargate(networkMode="none", requiresCompatibilities=["EC2"], memory="512"),
            "ec2",
            ("networkMode", '"none" gives the tasks no network; services and jobs need "awsvpc"'),
        ),
        (
            fargate(containerDefinitions=[{**APP, "name": "my app"}]),
            "fargate",
            (
                "containerDefinitions[0].name",
                "'my app': a container name is 1-255 letters, digits, '-' and '_'",
            ),
        ),
        (
            fargate(containerDefinitions=[APP, APP]),
            "fargate",
            ("containerDefinitions[1].name", "'app' is used twice"),
        ),
        (
            fargate(
                volumes=[{"name": "v"}, {"name": "v"}],
                containerDefinitions=[{**APP, "mountPoints": [{"sourceVolume": "v", "containerPath": "/v"}]}],
            ),
            "fargate",
            ("volumes[1].name", "'v' is used twice"),
        ),
        (
            fargate(
                containerDefinitions=[
                    {**APP, "dependsOn": [{"containerName": "init", "condition": "COMPLETE"}]},
                    {"name": "init", "image": "busybox"},
                ]
            ),
            "fargate",
            (
                "containerDefinitions[0].dependsOn[0].condition",
                "COMPLETE waits for 'init' to exit, but it is essential (its exit stops the task); set \"essential\": false on 'init'",
            ),
        ),
        (
            fargate(containerDefinitions=[ROUTER, APP, {**ROUTER, "name": "router2"}]),
            "fargate",
            ("containerDefinitions[2].firelensConfiguration", "a task has one FireLens log router"),
        ),
        (
            fargate(containerDefinitions=[{"name": "app", "image": "busybox"}]),
            "web",
            (
                "containerDefinitions",
                "a web service needs a port: the main container 'app' maps no TCP containerPort",
            ),
        ),
        (
            fargate(taskRoleArn=ROLE),
            "granted",
            (
                "taskRoleArn",
                "services.granted.permissions grants rights to the task role the app creates; remove taskRoleArn, or remove permissions and grant these rights to that role yourself",
            ),
        ),
        (
            fargate(containerDefinitions=[{**APP, "dockerLabels": {"tier": 1}}]),
            "fargate",
            ("containerDefinitions[0].dockerLabels.tier", "expected a string, got a number (1)"),
        ),
        (
            fargate(requiresCompatibilities=["EC2"], ephemeralStorage={"sizeInGiB": 30}),
            "ec2",
            ("ephemeralStorage", "Fargate only; on EC2 the instance's volumes hold task storage"),
        ),
        ({**fargate(), "memory": None}, "fargate", ("memory", "Fargate needs the task's cpu and memory")),
        # Sizes ECS does not read: CDK refused them only at synthesis ("-5" with a traceback).
        *(
            (
                fargate(cpu=cpu),
                "fargate",
                ("cpu", f'{cpu!r} is not a size ECS reads; give a positive "1024" (CPU units) or "1 vCPU"'),
            )
            for cpu in ("-5", "1024.0", "abc vcpu", "0")
        ),
        *(
            (
                fargate(memory=memory),
                "fargate",
                ("memory", f'{memory!r} is not a size ECS reads; give a positive "2048" (MiB) or "2 GB"'),
            )
            for memory in ("2 GiB", "512MB", "")
        ),
        (
            {**fargate(requiresCompatibilities=["EC2"]), "memory": None, "cpu": None},
            "ec2",
            (
                "containerDefinitions[0]",
                "without the task's memory, ECS needs memory or memoryReservation on every container",
            ),
        ),
        (
            fargate(containerDefinitions=[{**APP, "memory": 128, "memoryReservation": 256}]),
            "fargate",
            (
                "containerDefinitions[0].memoryReservation",
                "256 MiB is above the container's memory limit of 128 MiB",
            ),
        ),
        (
            fargate(
                executionRoleArn=None,
                containerDefinitions=[
                    {**APP, "environmentFiles": [{"type": "s3", "value": "arn:aws:s3:::b/app.env"}]}
                ],
            ),
            "fargate",
            (
                "executionRoleArn",
                "required by containerDefinitions[0].environmentFiles: ECS pulls, logs and reads secrets for them with the execution role",
            ),
        ),
        (
            fargate(
                volumes=[{"name": "data", "configuredAtLaunch": True}],
                containerDefinitions=[
                    {**APP, "mountPoints": [{"sourceVolume": "data", "containerPath": "/data"}]}
                ],
            ),
            "fargate",
            (
                "volumes[0].configuredAtLaunch",
                "the service would have to attach an EBS volume at launch, which it does not for a task definition file; use a services.<name>.volumes ebs volume with container keys instead",
            ),
        ),
        ("a string", "fargate", ("", "the file must hold one JSON object, a task definition")),
    ],
)
def test_the_message_and_its_json_path(
    tmp_path: Path, document: Any, service: str, expected: tuple[str, str]
) -> None:
    assert expected in found(tmp_path, document, service)


def test_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    assert found(tmp_path, None, raw=b'{"family": "\xff"}') == [
        ("", "not UTF-8 text (invalid start byte at byte 12); save it as UTF-8")
    ]


def test_a_directory_or_a_path_through_a_file_is_named(tmp_path: Path) -> None:
    """``task_definition_file: task-definitions/`` once ended in an internal IsADirectoryError."""
    (tmp_path / "task-definitions").mkdir()
    _, problems = read_task_definition(tmp_path / "task-definitions", SPEC, "fargate")
    assert [(p.path, p.message) for p in problems] == [
        ("", f"{tmp_path / 'task-definitions'} is a directory; name the JSON file in it")
    ]
    (tmp_path / "task.json").write_text("{}")
    _, problems = read_task_definition(tmp_path / "task.json" / "prod.json", SPEC, "fargate")
    assert [(p.path, p.message) for p in problems] == [
        ("", f"cannot read {tmp_path / 'task.json' / 'prod.json'}: Not a directory")
    ]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b'{"cpu": 1' + b"0" * 5000 + b"}", "not valid JSON: a number has more than 4300 digits"),
        (
            b'{"family": "app", "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
            "not valid JSON: nesting is deeper than 64 levels (at character 86)",
        ),
    ],
)
def test_numbers_and_nesting_python_cannot_read_are_named(tmp_path: Path, raw: bytes, message: str) -> None:
    """They were internal errors (ValueError past 4300 digits, RecursionError)."""
    assert found(tmp_path, None, raw=raw) == [("", message)]
