"""End to end: the real CDK CLI bootstraps and deploys `local` into a moto server.

This is `make deploy` on a free loopback port, followed by `deployer status`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from config import load_spec, naming
from config.loader import ENVIRONMENTS_DIR
from deployer.local import endpoint as local_endpoint
from tests.cli import Result, run_deployer
from tests.fakes import local_client
from tests.harness import free_port

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def port() -> Iterator[str]:
    chosen = free_port()
    yield str(chosen)
    local_endpoint.down(chosen)


@pytest.fixture(scope="module")
def first_deploy(port: str) -> Result:
    return run_deployer("deploy", "--env", "local", "--port", port, timeout=600)


def test_deploy_succeeds_and_prints_every_service(first_deploy: Result) -> None:
    assert first_deploy.code == 0, first_deploy.output[-3000:]
    assert "Traceback" not in first_deploy.output
    # The pinned Node 22 runs both the CDK CLI and jsii: no end-of-life banner.
    assert "end-of-life" not in first_deploy.output
    for name in load_spec("local").long_running:  # the status table lists each service's revision
        assert f"shop-local-{name}:1" in first_deploy.stdout


def test_status_finds_every_stack_service_and_capacity_provider(first_deploy: Result, port: str) -> None:
    assert first_deploy.code == 0
    result = run_deployer("status", "--env", "local", "--port", port, "--json")
    assert result.code == 0, result.output
    status = json.loads(result.stdout)
    spec = load_spec("local")
    assert {s["name"]: s["status"] for s in status["stacks"]} == {
        name: "CREATE_COMPLETE" for name in naming.all_stack_names(spec)
    }
    assert status["cluster"]["status"] == "ACTIVE"
    assert set(status["cluster"]["capacity_providers"]) == {
        "FARGATE",
        "FARGATE_SPOT",
        *(naming.capacity_provider_name(spec, g) for g in spec.cluster.ec2_capacity),
    }
    services = {s["name"]: s for s in status["services"]}
    assert set(services) == set(spec.long_running)  # a job has no service
    for name, service in services.items():
        svc = spec.services[name]
        assert service["status"] == "ACTIVE"
        assert service["task_definition"] == f"{naming.task_family(spec, name)}:1"
        assert service["images"] == [svc.image]
        if not svc.scaled:  # scaling owns the others' count
            assert service["desired"] == svc.desired_count
    assert status["jobs"] == [
        {
            "name": "reports",
            "schedule": "cron(0 3 * * ? *) UTC",
            "task_definition": f"{naming.task_family(spec, 'reports')}:1",
            "running": 0,
            "last_run": "",
            "undelivered": 0,  # read from the schedule's dead-letter queue
        }
    ]


def test_second_deploy_with_no_change_keeps_every_revision(first_deploy: Result, port: str) -> None:
    assert first_deploy.code == 0
    again = run_deployer("deploy", "--env", "local", "--port", port, timeout=600)
    assert again.code == 0, again.output[-3000:]
    assert again.output.count("(no changes)") == len(naming.all_stack_names(load_spec("local")))
    assert "shop-local-web:1" in again.stdout


def test_deploying_an_assembly_deploys_its_templates_unchanged(
    first_deploy: Result, port: str, tmp_path: Path
) -> None:
    """Synthesise once, deploy that assembly: the CLI deploys it without synthesising again."""
    assert first_deploy.code == 0
    assembly = tmp_path / "local"
    synth = run_deployer("cdk", "--env", "local", "--", "synth", "--quiet", "--output", str(assembly))
    assert synth.code == 0, synth.output[-3000:]
    # Proof that the deploy reads this directory and nothing else: a spec change after the
    # synth (web's LOG_LEVEL, a new task-definition revision otherwise) must not reach AWS.
    spec_dir = tmp_path / "environments"
    spec_dir.mkdir()
    (spec_dir / "local.yaml").write_text(
        (ENVIRONMENTS_DIR / "local.yaml").read_text().replace("LOG_LEVEL: info", "LOG_LEVEL: debug")
    )
    result = run_deployer(
        "deploy",
        "--env",
        "local",
        "--port",
        port,
        "--assembly",
        str(assembly),
        env={"DEPLOYER_ENVIRONMENTS_DIR": str(spec_dir)},
        timeout=600,
    )
    assert result.code == 0, result.output[-3000:]
    assert result.output.count("(no changes)") == len(naming.all_stack_names(load_spec("local")))


def test_new_image_creates_a_new_revision_and_keeps_the_old_one(first_deploy: Result, port: str) -> None:
    assert first_deploy.code == 0
    result = run_deployer(
        "deploy",
        "--env",
        "local",
        "--port",
        port,
        "--image",
        "web=public.ecr.aws/nginx/nginx:1.28",
        "--version",
        "1.28.0",
        "--git-revision",
        "0a1b2c3",
        timeout=600,
    )
    assert result.code == 0, result.output[-3000:]
    status = json.loads(run_deployer("status", "--env", "local", "--port", port, "--json").stdout)
    web = next(s for s in status["services"] if s["name"] == "web")
    assert web["task_definition"] == "shop-local-web:2"
    assert web["images"] == ["public.ecr.aws/nginx/nginx:1.28"]


def test_replaced_revision_stays_active_for_rollback(first_deploy: Result, port: str) -> None:
    """UpdateReplacePolicy: Retain keeps the previous revision registered (rollback target)."""

    assert first_deploy.code == 0
    ecs = local_client("ecs", port)
    first = ecs.describe_task_definition(taskDefinition="shop-local-web:1")["taskDefinition"]
    assert first["status"] == "ACTIVE"
    assert first["containerDefinitions"][0]["image"] == load_spec("local").services["web"].image
    second = ecs.describe_task_definition(taskDefinition="shop-local-web:2")["taskDefinition"]
    assert second["containerDefinitions"][0]["readonlyRootFilesystem"] is True
    assert second["networkMode"] == "awsvpc" and second["cpu"] == "256"
    labels = second["containerDefinitions"][0]["dockerLabels"]
    assert labels["deployer.version"] == "1.28.0" and labels["deployer.git-revision"] == "0a1b2c3"


def test_history_lists_retained_revisions_with_release_labels(first_deploy: Result, port: str) -> None:
    assert first_deploy.code == 0
    result = run_deployer("history", "web", "--env", "local", "--port", port, "--json")
    assert result.code == 0, result.output
    revisions = {r["revision"]: r for r in json.loads(result.stdout)}
    assert set(revisions) == {1, 2}
    assert revisions[2]["live"] and not revisions[1]["live"]
    assert revisions[2]["version"] == "1.28.0" and revisions[2]["git_revision"] == "0a1b2c3"
    assert revisions[1]["images"] == [load_spec("local").services["web"].image]


def test_rollback_returns_to_the_previous_revision_through_cloudformation(
    first_deploy: Result, port: str
) -> None:
    assert first_deploy.code == 0
    refused = run_deployer("rollback", "web", "--env", "local", "--port", port, "--to", "2")
    assert refused.code == 2 and "already live" in refused.stderr

    result = run_deployer("rollback", "web", "--env", "local", "--port", port, timeout=600)
    assert result.code == 0, result.output[-3000:]
    status = json.loads(run_deployer("status", "--env", "local", "--port", port, "--json").stdout)
    web = next(s for s in status["services"] if s["name"] == "web")
    assert web["task_definition"] == "shop-local-web:1"
    assert web["images"] == [load_spec("local").services["web"].image]
    # No drift: the stack itself now says the service runs revision 1.

    cloudformation = local_client("cloudformation", port)
    outputs = {
        o["OutputKey"]: o["OutputValue"]
        for o in cloudformation.describe_stacks(StackName="shop-local-svc-web")["Stacks"][0]["Outputs"]
    }
    assert outputs["TaskDefinitionArn"].endswith("shop-local-web:1")
    assert outputs["PinnedTaskDefinition"].endswith("shop-local-web:1")


@pytest.mark.parametrize("bad", ["0", "-1", "abc"])
def test_rollback_bad_revision_numbers(port: str, bad: str) -> None:
    result = run_deployer("rollback", "web", "--env", "local", "--port", port, "--to", bad)
    assert result.code == 2 and "Traceback" not in result.output


def test_diff_between_two_revisions(first_deploy: Result, port: str) -> None:
    assert first_deploy.code == 0
    result = run_deployer("diff", "web", "1", "2", "--env", "local", "--port", port, "--json")
    assert result.code == 0, result.output
    changes = {c["path"]: c for c in json.loads(result.stdout)}
    assert changes["containerDefinitions[web].image"]["after"] == "public.ecr.aws/nginx/nginx:1.28"
    assert changes["containerDefinitions[web].dockerLabels.deployer.version"]["after"] == "1.28.0"


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["0", "1"], ""),
        (["abc"], ""),
        (["1"], "give two revision numbers"),
        (["1", "9"], "revision shop-local-web:9"),
    ],
)
def test_diff_bad_revisions(port: str, args: list[str], fragment: str) -> None:
    result = run_deployer("diff", "web", *args, "--env", "local", "--port", port)
    assert result.code == 2 and fragment in result.stderr and "Traceback" not in result.output


def test_one_off_task_runs_to_completion_and_reports_its_exit_code(first_deploy: Result, port: str) -> None:
    """The local endpoint runs no containers: the task goes through ECS's lifecycle and moto
    reports exit 0; on AWS this is the migration's own exit code."""
    assert first_deploy.code == 0
    result = run_deployer(
        "run", "web", "--env", "local", "--port", port, "--command", "bin/migrate", timeout=300
    )
    assert result.code == 0, result.output[-2000:]
    assert "web one-off task" in result.stdout and "exit 0" in result.stdout


def test_json_output_is_the_only_stdout(first_deploy: Result, port: str) -> None:
    """With --json, the CDK CLI's progress goes to stderr and stdout parses as JSON."""
    assert first_deploy.code == 0
    deployed = run_deployer("deploy", "--env", "local", "--port", port, "--json", timeout=600)
    assert deployed.code == 0, deployed.output[-2000:]
    assert {s["name"] for s in json.loads(deployed.stdout)["services"]} == set(
        load_spec("local").long_running
    )
    for args in (
        ["prune", "web", "--keep", "1", "--dry-run", "--env", "local", "--port", port],
        ["validate", "--env", "local"],
        ["local", "status", "--port", port],
        ["unlock", "--env", "local", "--port", port],
    ):
        result = run_deployer(*args, "--json")
        assert result.code == 0, (args, result.output)
        assert isinstance(json.loads(result.stdout), dict | list), args
