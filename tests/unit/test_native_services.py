"""How the deployer treats a service whose task comes from a native file: which container
``--image`` replaces, whose exit code a job reports, the family every revision command reads,
and the spec keys the file makes meaningless."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from config import AppSpec, SpecError, load_spec, naming, parse_spec
from config.context_checks import context_problems
from config.image_targets import container_images
from config.native.containers import main_container, reported_container
from deployer.aws.job_status import collect_jobs
from deployer.inputs import BadInputError, parse_image_overrides
from tests.native_fixtures import ENV, write_environment

SERVICES = {
    "storefront": ("firelens-web.json", 'kind: web\n    http: {paths: ["/*"]}\n'),
    "gateway": ("ecspresso-rendered.json", ""),
    "site": ("refused/two-served-containers.json", ""),
    "nightly": ("firelens-web.json", 'kind: job\n    schedule: {expression: "cron(0 2 * * ? *)"}\n'),
}
IMAGE = "public.ecr.aws/nginx/nginx:1.28"


@pytest.fixture(scope="module")
def spec(tmp_path_factory: pytest.TempPathFactory) -> AppSpec:
    return load_spec(ENV, write_environment(tmp_path_factory.mktemp("native"), SERVICES))


@pytest.mark.parametrize(
    ("service", "main"),
    [
        ("storefront", "storefront"),  # named after the service, though the FireLens router comes first
        ("gateway", "nginx"),  # the only container with a port mapping
        ("site", None),  # two containers serve: ambiguous
    ],
)
def test_the_main_container_rule(spec: AppSpec, service: str, main: str | None) -> None:
    document = spec.task_definition_document(service)
    assert document is not None and main_container(document, service) == main


def test_image_without_a_container_replaces_the_main_container_never_a_sidecar(spec: AppSpec) -> None:
    images = parse_image_overrides(spec, [f"storefront={IMAGE}", f"gateway/bash={IMAGE}", f"gateway={IMAGE}"])
    assert container_images(spec, "storefront", images) == {"storefront": IMAGE}
    assert container_images(spec, "gateway", images) == {"bash": IMAGE, "nginx": IMAGE}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            f"site={IMAGE}",
            "site's task definition file has no container named 'site' and several candidates (nginx, app): name one, site/<container>=<image>",
        ),
        (
            f"storefront/nope={IMAGE}",
            "storefront has no container 'nope'; containers: log_router, storefront",
        ),
        (f"nope={IMAGE}", "unknown service 'nope'"),
    ],
)
def test_an_image_that_targets_no_single_container_is_refused(
    spec: AppSpec, value: str, message: str
) -> None:
    with pytest.raises(BadInputError, match="--image") as caught:
        parse_image_overrides(spec, [value])
    assert message in str(caught.value)


def test_the_same_container_given_twice_is_refused(spec: AppSpec) -> None:
    with pytest.raises(BadInputError, match="container 'storefront/storefront' is given twice"):
        parse_image_overrides(spec, [f"storefront={IMAGE}", f"storefront/storefront={IMAGE}"])


def test_context_checks_read_the_same_targets(spec: AppSpec) -> None:
    assert context_problems(spec, {"site/app": IMAGE, "gateway": IMAGE}, {}) == []
    [problem] = context_problems(spec, {"site": IMAGE}, {})
    assert problem.startswith(
        f"-c image.site={IMAGE}: site's task definition file has no container named 'site'"
    )


def test_a_pin_must_be_a_revision_of_the_renamed_family(spec: AppSpec) -> None:
    family = naming.task_family(spec, "gateway")
    assert family == "fx-fx-gateway"
    arn = f"arn:aws:ecs:us-east-1:123456789012:task-definition/{family}:4"
    assert context_problems(spec, {}, {"gateway": arn}) == []
    assert context_problems(
        spec, {}, {"gateway": arn.replace(family, "ecspresso-gateway")}
    )  # the file's own family


def test_every_document_carries_the_services_family(spec: AppSpec) -> None:
    """history, rollback, prune, diff and job status all read naming.task_family."""
    for service in SERVICES:
        document = spec.task_definition_document(service)
        assert document is not None and document["family"] == f"fx-fx-{service}"


def test_a_native_job_reports_its_main_containers_exit_code(spec: AppSpec) -> None:
    clients = [boto3.client(s, region_name="us-east-1") for s in ("cloudformation", "ecs", "sqs")]
    cloudformation, ecs, sqs = clients
    stack, cluster, family = (
        naming.service_stack_name(spec, "nightly"),
        naming.cluster_name(spec),
        "fx-fx-nightly",
    )
    task = {
        "taskArn": f"arn:aws:ecs:us-east-1:123456789012:task/{cluster}/t1",
        "stoppedAt": datetime(2026, 11, 23, 2, 0, 9, tzinfo=UTC),
        "containers": [{"name": "log_router", "exitCode": 0}, {"name": "storefront", "exitCode": 3}],
    }
    with Stubber(cloudformation) as cfn_stub, Stubber(ecs) as ecs_stub:
        outputs = [
            {"OutputKey": "TaskDefinitionArn", "OutputValue": f"arn:aws:ecs:::task-definition/{family}:2"}
        ]
        described = {
            "StackName": stack,
            "CreationTime": datetime(2026, 11, 1, tzinfo=UTC),
            "StackStatus": "CREATE_COMPLETE",
            "Outputs": outputs,
        }
        cfn_stub.add_response("describe_stacks", {"Stacks": [described]}, {"StackName": stack})
        running = {"cluster": cluster, "family": family, "desiredStatus": "RUNNING"}
        ecs_stub.add_response("list_tasks", {"taskArns": []}, running)
        ecs_stub.add_response(
            "list_tasks", {"taskArns": [task["taskArn"]]}, {**running, "desiredStatus": "STOPPED"}
        )
        ecs_stub.add_response(
            "describe_tasks", {"tasks": [task]}, {"cluster": cluster, "tasks": [task["taskArn"]]}
        )
        [job] = collect_jobs(spec, cloudformation, ecs, sqs)
    assert job.last_run == "2026-11-23 02:00:09 exit 3"


def test_the_reported_container_falls_back_to_the_first_essential_one() -> None:
    definition: dict[str, Any] = {
        "containerDefinitions": [
            {"name": "init", "essential": False},
            {"name": "a", "portMappings": [{"containerPort": 1}]},
            {"name": "b", "portMappings": [{"containerPort": 2}]},
        ]
    }
    assert reported_container(definition, "svc") == "a"


def test_spec_keys_the_file_replaces_are_refused_with_their_yaml_path(tmp_path: Path) -> None:
    text = (
        write_environment(
            tmp_path, {"gateway": ("ecspresso-rendered.json", "cpu: 512\n    environment: {A: '1'}\n")}
        )
        / f"{ENV}.yaml"
    ).read_text()
    with pytest.raises(SpecError) as caught:
        parse_spec(text)
    assert [(p.path, p.message) for p in caught.value.problems] == [
        (
            "services.gateway.cpu",
            "task_definition_file describes the whole task; cpu would be ignored: set it in the file (or remove the key)",
        ),
        (
            "services.gateway.environment",
            "task_definition_file describes the whole task; environment would be ignored: set it in the file (or remove the key)",
        ),
    ]


def test_in_process_synthesis_puts_the_pinned_node_first(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import shutil

    from deployer.cdk.synth import use_pinned_node

    node_bin = tmp_path / "node_modules" / ".bin"
    node_bin.mkdir(parents=True)
    (node_bin / "node").write_text("#!/bin/sh\n")
    (node_bin / "node").chmod(0o755)
    monkeypatch.setenv("PATH", os.pathsep.join(["/usr/bin", str(node_bin), "/bin"]))
    use_pinned_node(node_bin)
    use_pinned_node(node_bin)  # once is enough: PATH does not grow
    assert os.environ["PATH"].split(os.pathsep) == [str(node_bin), "/usr/bin", "/bin"]
    assert shutil.which("node") == str(node_bin / "node")


def test_verify_checks_the_images_a_deploy_would_run(spec: AppSpec) -> None:
    from deployer.aws.verify import _image_checks

    checks = [c.name for c in _image_checks(spec, ecr=None, overrides={"gateway/bash": IMAGE})]
    assert "image public.ecr.aws/docker/library/debian:bookworm-slim" not in checks  # replaced
    assert checks.count(f"image {IMAGE}") == 1 and "image public.ecr.aws/nginx/nginx:1.27" in checks
