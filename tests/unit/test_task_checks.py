"""Task and container rules ECS (or CDK) enforces only at deploy (or synth) time, refused by
validation at their YAML paths; and the task-definition size limit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from config import SpecError, load_spec, parse_spec
from config.task_checks import RESERVED_CONTAINER_NAMES
from constructs_lib.task_containers import LOG_ROUTER
from tests.harness import SynthesisCache, resources_of_type, synthesise
from tests.spec_problems import TEXTS, assert_problem, edited, refused

WEB_CHECK = '      command: ["CMD-SHELL", "wget'
WEB_WRITABLE = "    writable_paths: [/tmp, /var/cache/nginx, /var/run]   # read-only root, writable scratch"
API = "    app_protocol: http\n"
OTEL = "      otel:                 # OpenTelemetry collector next to the app\n"
REPORTS_COMMAND = '    command: ["sh", "-c", "echo report done"]\n'


def api_lines(lines: str) -> str:
    return edited("local", API, API + lines)


@pytest.mark.parametrize(
    ("text", "path", "fragment"),
    [
        (edited("local", WEB_CHECK, f"      timeout_seconds: 90\n      interval_seconds: 120\n{WEB_CHECK}"),
         "services.web.health_check.timeout_seconds", "less than or equal to 60"),
        (edited("local", WEB_CHECK, f"      timeout_seconds: 30\n      interval_seconds: 30\n{WEB_CHECK}"),
         "services.web.health_check.timeout_seconds", "the timeout (30 s) must be shorter than the interval"),
        (edited("local", WEB_CHECK, f"      start_period_seconds: 301\n{WEB_CHECK}"),
         "services.web.health_check.start_period_seconds", "less than or equal to 300"),
        (edited("local", WEB_WRITABLE, "    writable_paths: [/tmp, /tmp/]"), "services.web.writable_paths[1]",
         "/tmp/ is listed twice"),
        (edited("local", WEB_WRITABLE, "    writable_paths: [/]"), "services.web.writable_paths[0]",
         "a writable path is a directory below /"),
        (api_lines("    volumes:\n      data:\n        scratch: true\n    mounts:\n      - volume: data\n"
                   "        path: /tmp\n"),
         "services.api.mounts[0].path", "/tmp is already mounted (from writable_paths)"),
        (edited("local", "  reports:\n", "  log-router:\n"), "services.log-router",
         "'log-router' is the name of the log router container the task adds"),
        (edited("dev", OTEL, OTEL.replace("otel", "log-router")).replace("otel: START", "log-router: START"),
         "services.web.sidecars.log-router", "rename the sidecar"),
        (edited("local", "    capacity:\n      - provider: graviton",
                "    ephemeral_storage_gib: 50\n    capacity:\n      - provider: graviton"),
         "services.worker.ephemeral_storage_gib", "its instances' volumes hold the tasks' storage"),
        (api_lines("    cpu_units: 1024\n"), "services.api.cpu",
         "containers take 1024 CPU units (cpu_units), more than the task's 256"),
        (api_lines("    memory_limit_mib: 100\n    memory_reservation_mib: 200\n"),
         "services.api.memory_reservation_mib", "the soft limit (200 MiB) must be below the hard limit"),
        (edited("dev", OTEL, OTEL + "        depends_on:\n          web: START\n"), "services.web.depends_on",
         "containers wait on each other in a circle (web → otel → web)"),
        (edited("local", REPORTS_COMMAND, REPORTS_COMMAND + "    volumes:\n      data:\n        ebs:\n"
                "          size_gib: 10\n    mounts:\n      - volume: data\n        path: /data\n"),
         "services.reports.volumes.data.ebs", "a job's scheduled runs cannot attach one"),
    ],
)  # fmt: skip
def test_task_refusals_name_the_path(text: str, path: str, fragment: str) -> None:
    assert_problem(refused(text), path, fragment)


def test_arm64_tasks_may_run_on_fargate_spot_on_the_latest_platform(synth_cache: SynthesisCache) -> None:
    text = edited("local", "    desired_count: 2", "    desired_count: 2\n    architecture: arm64")
    spec = parse_spec(text)  # ECS: FARGATE_SPOT runs ARM64 Linux tasks on platform 1.4.0 and later
    assert "FARGATE_SPOT" in {item.provider for item in spec.strategy_for("web")}
    template = synth_cache.get("local").templates["shop-local-svc-web"]
    [service] = resources_of_type(template, "AWS::ECS::Service").values()
    assert service["Properties"]["PlatformVersion"] == "LATEST"


def test_the_reserved_name_is_the_one_the_task_definition_adds() -> None:
    assert LOG_ROUTER in RESERVED_CONTAINER_NAMES


def big_variable(size: int, name: str = "BIG") -> str:
    return edited("local", "      LOG_LEVEL: info", f"      LOG_LEVEL: info\n      {name}: {'x' * size}")


def test_a_variable_that_takes_the_task_definition_over_64_kib_is_refused_at_its_path() -> None:
    problem = assert_problem(refused(big_variable(70_000)), "services.web.environment.BIG", "takes 68.4 KiB")
    assert "over ECS's limit of 64.0 KiB per task definition" in problem.message
    assert "Move large values to an S3 environment file (environment_files)" in problem.message


def test_many_variables_over_the_limit_name_the_largest() -> None:
    text = big_variable(40_000, "LARGEST").replace(
        "LOG_LEVEL: info", f"LOG_LEVEL: info\n      SMALLER: {'y' * 30_000}", 1
    )
    assert_problem(refused(text), "services.web.environment.LARGEST", "over ECS's limit")


def test_an_accepted_task_definition_near_the_limit_synthesises_under_it() -> None:
    spec = parse_spec(big_variable(58_000))  # accepted: the estimate is about 62.7 KiB
    templates = synthesise(spec).templates
    [task_definition] = resources_of_type(
        templates["shop-local-svc-web"], "AWS::ECS::TaskDefinition"
    ).values()
    assert len(json.dumps(task_definition["Properties"])) < 64 * 1024
    assert len(json.dumps(templates["shop-local-svc-web"])) < 1_000_000  # CloudFormation's template limit


def test_a_native_task_definition_over_the_limit_is_refused(tmp_path: Path) -> None:
    (tmp_path / "environments").mkdir()
    native = {
        "family": "big",
        "cpu": "256",
        "memory": "512",
        "networkMode": "awsvpc",
        "requiresCompatibilities": ["FARGATE"],
        "containerDefinitions": [
            {"name": "app", "image": "public.ecr.aws/nginx/nginx-unprivileged:1.27", "essential": True,
             "portMappings": [{"containerPort": 8080}], "user": "101",
             "environment": [{"name": "BIG", "value": "x" * 70_000}]}
        ],
    }  # fmt: skip
    (tmp_path / "big.json").write_text(json.dumps(native))
    text = TEXTS["local"].replace(
        "    image: public.ecr.aws/nginx/nginx-unprivileged:1.27\n    port: 8080\n    app_protocol: http\n"
        '    writable_paths: [/tmp, /var/cache/nginx, /var/run]\n    user: "101"\n',
        "    task_definition_file: big.json\n",  # the file's port mapping is the port allow_from opens
        1,
    )
    (tmp_path / "environments" / "local.yaml").write_text(text)
    with pytest.raises(SpecError) as caught:
        load_spec("local", tmp_path / "environments")
    [problem] = caught.value.problems
    assert problem.path == "services.api.task_definition_file"
    assert "over ECS's limit of 64 KiB per task definition" in problem.message
