"""End to end: the real CDK CLI bootstraps and deploys `local` into a moto server.

This is `make deploy` on a free loopback port, followed by a release, a rollback and the
other commands. Every command that changes the environment runs once, in a fixed order, in
the module's ``timeline`` fixture, which records each result and the state after it; the
tests only read those records, so they pass or fail alike in any order or alone. CDK's built-in
CloudFormation validation is off in these synths (``CDK_VALIDATION=false``: 3.5 s each);
tests/unit/test_builtin_validation.py runs it on ``local``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from config import load_spec, naming
from config.loader import ENVIRONMENTS_DIR
from deployer.cdk.pinned_cli import ASSEMBLIES_DIR
from deployer.local import endpoint as local_endpoint
from tests.cli import Result, run_deployer
from tests.fakes import local_client
from tests.harness import free_port

pytestmark = pytest.mark.e2e
NEW_IMAGE = "public.ecr.aws/nginx/nginx:1.28"


@dataclass
class Timeline:
    """The results of the environment-changing commands, in order, and what was read after each."""

    port: str
    results: dict[str, Result] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)
    stopped_at: str | None = None  # the step whose failure stopped the timeline

    def run(self, step: str, *args: str, needed: bool = False, **kwargs: Any) -> Result | None:
        """Run a deployer command; a ``needed`` step that fails stops every later step."""
        if self.stopped_at:
            return None
        env = {"CDK_VALIDATION": "false", **kwargs.pop("env", {})}
        result = run_deployer(*args, env=env, **kwargs)
        self.results[step] = result
        if needed and result.code != 0:
            self.stopped_at = step
        return result

    def deploy(self, step: str, *args: str, **kwargs: Any) -> None:
        self.run(
            step, "deploy", "--env", "local", "--port", self.port, *args, needed=True, timeout=600, **kwargs
        )

    def read_json(self, step: str, *args: str) -> None:
        result = self.run(step, *args, "--port", self.port, "--json")
        if result is not None and result.code == 0:
            self.data[step] = json.loads(result.stdout)

    def result(self, step: str) -> Result:
        assert step in self.results, f"the timeline stopped at {self.stopped_at!r}, before {step!r}"
        return self.results[step]

    def json(self, step: str) -> Any:
        assert step in self.data, f"{step!r} gave no JSON: {self.result(step).output[-3000:]}"
        return self.data[step]


def build_timeline(timeline: Timeline, tmp_path: Path) -> None:
    port = timeline.port
    started = time.time()
    timeline.deploy("deploy", "--concurrency", "4")  # stacks that do not depend on each other at once
    manifest = ASSEMBLIES_DIR / "local" / "manifest.json"
    timeline.data["assembly written"] = manifest.exists() and manifest.stat().st_mtime >= started - 1
    timeline.read_json("status", "status", "--env", "local")
    start = ("workflow", "start", "nightly", "--env", "local", "--name", "e2e-1", "--input", '{"day": "29"}')
    timeline.read_json("workflow start", *start)
    timeline.read_json("workflow start again", *start)  # a retried start: the same execution
    timeline.read_json("workflow status", "workflow", "status", "nightly", "--env", "local")
    timeline.read_json(
        "batch submit", "batch", "submit", "thumbnails", "--env", "local", "--array-size", "2", "--wait"
    )
    timeline.read_json("batch status", "batch", "status", "--env", "local")
    # Synthesise once, deploy that assembly: a spec change after the synth (web's LOG_LEVEL, a
    # new task-definition revision otherwise) must not reach AWS. This second deploy, of a
    # separate synthesis of the same spec, is also the no-change redeploy and the --json one.
    assembly = tmp_path / "local"
    timeline.run(
        "synth", "cdk", "--env", "local", "--", "synth", "--quiet", "--output", str(assembly), needed=True
    )
    spec_dir = tmp_path / "environments"
    spec_dir.mkdir()
    (spec_dir / "local.yaml").write_text(
        (ENVIRONMENTS_DIR / "local.yaml").read_text().replace("LOG_LEVEL: info", "LOG_LEVEL: debug")
    )
    timeline.deploy(
        "deploy assembly",
        "--assembly",
        str(assembly),
        "--json",
        env={"DEPLOYER_ENVIRONMENTS_DIR": str(spec_dir)},
    )
    timeline.deploy(
        "deploy image", "--image", f"web={NEW_IMAGE}", "--version", "1.28.0", "--git-revision", "0a1b2c3"
    )
    timeline.read_json("status after image", "status", "--env", "local")
    timeline.read_json("history", "history", "web", "--env", "local")
    timeline.read_json("diff", "diff", "web", "1", "2", "--env", "local")
    if not timeline.stopped_at:
        ecs = local_client("ecs", port)
        timeline.data["revisions"] = {
            n: ecs.describe_task_definition(taskDefinition=f"shop-local-web:{n}")["taskDefinition"]
            for n in (1, 2)
        }
    timeline.run("rollback to live", "rollback", "web", "--env", "local", "--port", port, "--to", "2")
    timeline.run("rollback", "rollback", "web", "--env", "local", "--port", port, needed=True, timeout=600)
    timeline.read_json("status after rollback", "status", "--env", "local")
    if not timeline.stopped_at:
        stack = local_client("cloudformation", port).describe_stacks(StackName="shop-local-svc-web")[
            "Stacks"
        ][0]
        timeline.data["outputs after rollback"] = {o["OutputKey"]: o["OutputValue"] for o in stack["Outputs"]}
    timeline.run(
        "run", "run", "web", "--env", "local", "--port", port, "--command", "bin/migrate", timeout=300
    )
    for name, args in JSON_COMMANDS.items():
        timeline.run(name, *args(port), "--json")


JSON_COMMANDS = {
    "prune dry run": lambda port: [
        "prune",
        "web",
        "--keep",
        "1",
        "--dry-run",
        "--env",
        "local",
        "--port",
        port,
    ],
    "validate": lambda port: ["validate", "--env", "local"],
    "local status": lambda port: ["local", "status", "--port", port],
    "unlock": lambda port: ["unlock", "--env", "local", "--port", port],
}


@pytest.fixture(scope="module")
def timeline(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Timeline]:
    port = free_port()
    recorded = Timeline(str(port))
    try:
        build_timeline(recorded, tmp_path_factory.mktemp("e2e"))
        yield recorded
    finally:
        local_endpoint.down(port)


def service(status: dict[str, Any], name: str) -> dict[str, Any]:
    return next(s for s in status["services"] if s["name"] == name)


def test_the_deploy_synthesised_into_the_environments_own_directory(timeline: Timeline) -> None:
    """cdk.out/local, not cdk.out: a deploy of another environment may synthesise at the same time."""
    assert timeline.result("deploy").code == 0
    assert timeline.data["assembly written"] is True


def test_deploy_succeeds_and_prints_every_service(timeline: Timeline) -> None:
    first = timeline.result("deploy")
    assert first.code == 0, first.output[-3000:]
    assert "Traceback" not in first.output
    # The pinned Node 22 runs both the CDK CLI and jsii: no end-of-life banner.
    assert "end-of-life" not in first.output
    for name in load_spec("local").long_running:  # the status table lists each service's revision
        assert f"shop-local-{name}:1" in first.stdout


def test_status_finds_every_stack_service_and_capacity_provider(timeline: Timeline) -> None:
    status = timeline.json("status")
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
    for name, found in services.items():
        svc = spec.services[name]
        assert found["status"] == "ACTIVE"
        assert found["task_definition"] == f"{naming.task_family(spec, name)}:1"
        assert found["images"] == [svc.image]
        assert found["containers"] == [name]
        assert found["digests"] == {}  # moto starts no task for a service: no digest runs
        if not svc.scaled:  # scaling owns the others' count
            assert found["desired"] == svc.desired_count
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


def test_status_lists_the_workflow_and_the_jobs_trigger(timeline: Timeline) -> None:
    status = timeline.json("status")
    assert status["workflows"] == [
        {
            "name": "nightly",
            "state_machine": "shop-local-nightly",
            "status": "ACTIVE",
            "starts": "schedule cron(0 4 * * ? *)",
            "last_execution": "",
        }
    ]
    [trigger] = status["triggers"]
    assert (trigger["owner"], trigger["source"], trigger["state"], trigger["undelivered"]) == (
        "job reports",
        "S3 shop-local-uploads/exports/",
        "ENABLED",
        0,
    )


def test_a_workflow_starts_once_per_name_and_input(timeline: Timeline) -> None:
    """moto keeps the execution RUNNING (it runs no ECS task): start and status are what it models."""
    first, again = timeline.json("workflow start"), timeline.json("workflow start again")
    assert first["execution"].endswith(":execution:shop-local-nightly:e2e-1")
    assert again == first
    executions = timeline.json("workflow status")["executions"]
    assert [(e["name"], e["status"]) for e in executions] == [("e2e-1", "RUNNING")]


def test_a_batch_job_runs_on_the_deployed_queue(timeline: Timeline) -> None:
    """`make deploy` creates the Batch stack; a submitted array job ends SUCCEEDED (moto runs no
    container: tests/integration/test_batch_local.py covers failures)."""
    submitted = timeline.json("batch submit")
    assert submitted["submission"]["queue"] == "shop-local-default"
    assert (submitted["outcome"]["status"], submitted["outcome"]["children"]) == (
        "SUCCEEDED",
        {"SUCCEEDED": 2},
    )
    [queue] = timeline.json("batch status")["queues"]
    assert (queue["name"], queue["state"], len(queue["compute_environments"])) == ("default", "ENABLED", 2)
    [listed] = timeline.json("status")["batch_queues"]
    assert listed["queue_name"] == "shop-local-default"


def test_second_deploy_with_no_change_keeps_every_revision(timeline: Timeline) -> None:
    """Synthesis is repeatable: a second synthesis of the same spec changes no stack."""
    again = timeline.result("deploy assembly")
    assert again.code == 0, again.output[-3000:]
    assert again.output.count("(no changes)") == len(naming.all_stack_names(load_spec("local")))
    assert service(json.loads(again.stdout), "web")["task_definition"] == "shop-local-web:1"


def test_deploying_an_assembly_deploys_its_templates_unchanged(timeline: Timeline) -> None:
    """The deploy reads the synthesised directory and nothing else: the spec changed after it."""
    assert timeline.result("synth").code == 0, timeline.result("synth").output[-3000:]
    result = timeline.result("deploy assembly")
    assert result.code == 0, result.output[-3000:]
    assert result.output.count("(no changes)") == len(naming.all_stack_names(load_spec("local")))


def test_new_image_creates_a_new_revision_and_keeps_the_old_one(timeline: Timeline) -> None:
    result = timeline.result("deploy image")
    assert result.code == 0, result.output[-3000:]
    web = service(timeline.json("status after image"), "web")
    assert web["task_definition"] == "shop-local-web:2"
    assert web["images"] == [NEW_IMAGE]


def test_replaced_revision_stays_active_for_rollback(timeline: Timeline) -> None:
    """UpdateReplacePolicy: Retain keeps the previous revision registered (rollback target)."""
    first, second = timeline.json("revisions")[1], timeline.json("revisions")[2]
    assert first["status"] == "ACTIVE"
    assert first["containerDefinitions"][0]["image"] == load_spec("local").services["web"].image
    assert second["containerDefinitions"][0]["readonlyRootFilesystem"] is True
    assert second["networkMode"] == "awsvpc" and second["cpu"] == "256"
    labels = second["containerDefinitions"][0]["dockerLabels"]
    assert labels["deployer.version"] == "1.28.0" and labels["deployer.git-revision"] == "0a1b2c3"


def test_history_lists_retained_revisions_with_release_labels(timeline: Timeline) -> None:
    revisions = {r["revision"]: r for r in timeline.json("history")}
    assert set(revisions) == {1, 2}
    assert revisions[2]["live"] and not revisions[1]["live"]
    assert revisions[2]["version"] == "1.28.0" and revisions[2]["git_revision"] == "0a1b2c3"
    assert revisions[1]["images"] == [load_spec("local").services["web"].image]


def test_diff_between_two_revisions(timeline: Timeline) -> None:
    changes = {c["path"]: c for c in timeline.json("diff")}
    assert changes["containerDefinitions[web].image"]["after"] == NEW_IMAGE
    assert changes["containerDefinitions[web].dockerLabels.deployer.version"]["after"] == "1.28.0"


def test_rollback_returns_to_the_previous_revision_through_cloudformation(timeline: Timeline) -> None:
    refused = timeline.result("rollback to live")
    assert refused.code == 2 and "already live" in refused.stderr
    result = timeline.result("rollback")
    assert result.code == 0, result.output[-3000:]
    web = service(timeline.json("status after rollback"), "web")
    assert web["task_definition"] == "shop-local-web:1"
    assert web["images"] == [load_spec("local").services["web"].image]
    # No drift: the stack itself now says the service runs revision 1 (the template's own
    # TaskDefinition under the pin is asserted in tests/unit/test_local_shim_gaps.py: the
    # local endpoint would follow the output even if the template did not).
    outputs = timeline.json("outputs after rollback")
    assert outputs["TaskDefinitionArn"].endswith("shop-local-web:1")
    assert outputs["PinnedTaskDefinition"].endswith("shop-local-web:1")


def test_one_off_task_runs_to_completion_and_reports_its_exit_code(timeline: Timeline) -> None:
    """The local endpoint runs no containers: the task goes through ECS's lifecycle and moto
    reports exit 0; on AWS this is the migration's own exit code."""
    result = timeline.result("run")
    assert result.code == 0, result.output[-2000:]
    assert "web one-off task" in result.stdout and "exit 0" in result.stdout


def test_json_output_is_the_only_stdout(timeline: Timeline) -> None:
    """With --json, the CDK CLI's progress goes to stderr and stdout parses as JSON."""
    deployed = timeline.result("deploy assembly")
    assert deployed.code == 0, deployed.output[-2000:]
    assert "(no changes)" in deployed.stderr and "(no changes)" not in deployed.stdout
    assert {s["name"] for s in json.loads(deployed.stdout)["services"]} == set(
        load_spec("local").long_running
    )
    for name in JSON_COMMANDS:
        result = timeline.result(name)
        assert result.code == 0, (name, result.output)
        assert isinstance(json.loads(result.stdout), dict | list), name


@pytest.mark.parametrize("bad", ["0", "-1", "abc"])
def test_rollback_bad_revision_numbers(timeline: Timeline, bad: str) -> None:
    result = run_deployer("rollback", "web", "--env", "local", "--port", timeline.port, "--to", bad)
    assert result.code == 2 and "Traceback" not in result.output


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["0", "1"], ""),
        (["abc"], ""),
        (["1"], "give two revision numbers"),
        (["1", "9"], "revision shop-local-web:9"),
    ],
)
def test_diff_bad_revisions(timeline: Timeline, args: list[str], fragment: str) -> None:
    result = run_deployer("diff", "web", *args, "--env", "local", "--port", timeline.port)
    assert result.code == 2 and fragment in result.stderr and "Traceback" not in result.output
