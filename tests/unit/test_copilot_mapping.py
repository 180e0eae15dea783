"""What each Copilot field becomes in the imported specs (tests/fixtures/copilot/, README there).

The expected values are read off the fixture manifests by hand; each spec is loaded with the
project's own loader, so what is asserted is what a deploy would read.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from config import AppSpec, SpecError, load_spec
from deployer.copilot.importer import ImportResult, import_workspace
from deployer.copilot.record import leaf_paths
from deployer.copilot.settings import Settings, parse_settings
from deployer.copilot.yaml_reader import read_yaml

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "copilot"


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> tuple[ImportResult, dict[str, AppSpec]]:
    return imported(FIXTURES / "shop", Settings(), tmp_path_factory.mktemp("shop"))


@pytest.fixture(scope="module")
def legacy(tmp_path_factory: pytest.TempPathFactory) -> tuple[ImportResult, dict[str, AppSpec]]:
    settings = parse_settings([], [], ["CLIENT_DOMAIN=example.org"])  # the placeholders, but for the host
    return imported(FIXTURES / "legacy", settings, tmp_path_factory.mktemp("legacy"))


def imported(workspace: Path, settings: Settings, directory: Path) -> tuple[ImportResult, dict[str, AppSpec]]:
    result = import_workspace(workspace, settings)
    for name, text in result.files.items():
        (directory / name).write_text(text)
    specs = {
        name.removesuffix(".yaml"): load_spec(name.removesuffix(".yaml"), directory) for name in result.files
    }
    return result, specs


def test_one_spec_per_copilot_environment(shop: tuple[ImportResult, dict[str, AppSpec]]) -> None:
    result, specs = shop
    assert sorted(result.files) == ["dev.yaml", "prod.yaml"]
    assert {name: (s.app, s.environment.name, s.environment.target) for name, s in specs.items()} == {
        "dev": ("shop", "dev", "aws"),
        "prod": ("shop", "prod", "aws"),
    }
    assert sorted(specs["dev"].services) == ["api", "cleanup", "frontend", "report", "worker"]


def test_files_start_with_the_schema_header_and_the_import_marker(
    shop: tuple[ImportResult, dict[str, AppSpec]],
) -> None:
    lines = shop[0].files["dev.yaml"].splitlines()
    assert lines[0] == "# yaml-language-server: $schema=../spec.schema.json"
    assert lines[1].startswith("# Imported from AWS Copilot by `deployer import copilot`")


def test_environment_manifest_keys(shop: tuple[ImportResult, dict[str, AppSpec]]) -> None:
    dev, prod = shop[1]["dev"], shop[1]["prod"]
    assert (dev.environment.account, dev.environment.region) == ("111111111111", "eu-west-1")
    assert (str(dev.network.cidr), dev.network.max_azs, dev.network.nat_gateways) == ("10.10.0.0/16", 2, 2)
    assert dev.cluster.container_insights == "enabled"
    assert dev.load_balancer.certificate_arn == (
        "arn:aws:acm:eu-west-1:111111111111:certificate/3f2e1d0c-9b8a-4765-8432-10fedcba9876"
    )
    assert (prod.environment.account, str(prod.network.cidr), prod.network.max_azs) == (
        "222222222222",
        "10.20.0.0/16",
        3,
    )
    assert prod.cluster.container_insights == "disabled"
    assert prod.load_balancer.ssl_policy == "ELBSecurityPolicy-TLS13-1-2-2021-06"


def test_load_balanced_web_service(shop: tuple[ImportResult, dict[str, AppSpec]]) -> None:
    web = shop[1]["dev"].services["frontend"]
    assert (web.kind, web.port, web.cpu, web.memory) == ("web", 8080, 512, 1024)
    assert web.image == "111111111111.dkr.ecr.eu-west-1.amazonaws.com/shop/frontend:replace-me"
    http = web.http_settings
    assert (http.paths, http.hosts) == (("/*",), ("shop.example.com",))
    check = http.health_check
    assert (check.path, check.success_codes, check.healthy_threshold, check.unhealthy_threshold) == (
        "/_health",
        "200,301",
        3,
        2,
    )
    assert (check.interval_seconds, check.timeout_seconds) == (15, 10)
    assert (http.health_check_grace_seconds, http.deregistration_delay_seconds) == (120, 50)
    assert web.health_check is not None and web.health_check.command == (
        "CMD-SHELL",
        "curl -f http://localhost:8080/_health || exit 1",
    )
    assert (
        web.health_check.interval_seconds,
        web.health_check.retries,
        web.health_check.start_period_seconds,
    ) == (
        10,
        2,
        0,
    )
    assert web.depends_on == {"otel": "START"}
    assert web.log_retention_days == 90
    assert web.ulimits["nofile"].soft == 65536


def test_count_per_environment_block(shop: tuple[ImportResult, dict[str, AppSpec]]) -> None:
    dev, prod = shop[1]["dev"].services["frontend"], shop[1]["prod"].services["frontend"]
    assert (dev.desired_count, dev.autoscaling) == (1, None)
    assert (prod.cpu, prod.memory) == (1024, 2048)
    assert prod.autoscaling is not None
    scaling = prod.autoscaling
    assert (scaling.min_count, scaling.max_count, scaling.cpu_percent, scaling.memory_percent) == (
        3,
        12,
        60,
        80,
    )
    assert scaling.requests_per_target is None
    assert [(i.provider, i.base, i.weight) for i in prod.capacity or ()] == [
        ("FARGATE", 4, 0),
        ("FARGATE_SPOT", 0, 1),
    ]


def test_variables_and_secrets(shop: tuple[ImportResult, dict[str, AppSpec]]) -> None:
    web = shop[1]["prod"].services["frontend"]
    assert web.environment == {
        "LOG_LEVEL": "info",
        "ENABLE_CACHE": "True",
        "CACHE_TTL": "300",
        "ORDERS_URL": "http://api:8080",
    }
    assert web.secrets["SESSION_TOKEN_TTL"].parameter == "/shop/prod/SESSION_TOKEN_TTL"
    assert web.secrets["GITHUB_TOKEN"].parameter == "GITHUB_TOKEN"
    password = web.secrets["DB_PASSWORD"]
    assert (password.secret, password.key) == (
        "arn:aws:secretsmanager:eu-west-1:222222222222:secret:shop/prod/mysql",
        "password",
    )
    api = shop[1]["dev"].services["api"]
    db = api.secrets["DB_SECRET"]
    assert (db.secret, db.key, db.version_stage, db.version_id) == (
        "arn:aws:secretsmanager:eu-west-1:111111111111:secret:shop/db-AbCdEf",
        "password",
        "AWSCURRENT",
        None,
    )
    assert api.secrets["STRIPE_KEY"].parameter == "/shop/stripe/key"


def test_storage_and_sidecars(shop: tuple[ImportResult, dict[str, AppSpec]]) -> None:
    web = shop[1]["dev"].services["frontend"]
    uploads = web.volumes["uploads"].efs
    assert uploads is not None
    assert (uploads.file_system_id, uploads.access_point_id) == (
        "fs-0123456789abcdef0",
        "fsap-0123456789abcdef0",
    )
    assert web.volumes["scratch-space"].scratch
    assert [(m.volume, m.path, m.read_only) for m in web.mounts] == [
        ("uploads", "/srv/uploads", False),
        ("scratch-space", "/var/scratch", False),
    ]
    otel = web.sidecars["otel"]
    assert (otel.image, otel.port, otel.essential) == (
        "public.ecr.aws/aws-observability/aws-otel-collector:v0.43.1",
        4317,
        False,
    )
    assert [(m.volume, m.read_only) for m in otel.mounts] == [("scratch-space", True)]


def test_backend_service(shop: tuple[ImportResult, dict[str, AppSpec]]) -> None:
    dev, prod = shop[1]["dev"].services["api"], shop[1]["prod"].services["api"]
    assert (dev.kind, dev.port, dev.architecture, dev.desired_count, prod.desired_count) == (
        "backend",
        8080,
        "arm64",
        1,
        2,
    )
    assert dev.allow_from == ("cleanup", "frontend", "report", "worker")


def test_worker_service(shop: tuple[ImportResult, dict[str, AppSpec]]) -> None:
    worker = shop[1]["dev"].services["worker"]
    queue = worker.queue_settings
    assert (queue.retention_days, queue.visibility_timeout_seconds, queue.max_receive_count) == (4, 45, 10)
    assert (queue.min_count, queue.max_count, queue.messages_per_task) == (1, 10, 2400)  # ceil(10m / 250ms)
    assert [(i.provider, i.base, i.weight) for i in worker.capacity or ()] == [
        ("FARGATE", 1, 0),
        ("FARGATE_SPOT", 0, 1),
    ]


def test_scheduled_jobs(
    shop: tuple[ImportResult, dict[str, AppSpec]], legacy: tuple[ImportResult, dict[str, AppSpec]]
) -> None:
    dev, prod = shop[1]["dev"].services, shop[1]["prod"].services
    assert dev["report"].schedule is not None and dev["report"].schedule.expression == "cron(0 9 ? * 2-6 *)"
    assert prod["report"].schedule is not None and prod["report"].schedule.expression == "cron(0 0 * * ? *)"
    assert dev["cleanup"].schedule is not None and dev["cleanup"].schedule.expression == "rate(6 hours)"
    assert dev["cleanup"].command == ("sh", "-c", "echo cleaning")
    services = legacy[1]["test"].services
    assert (
        services["nightly"].schedule is not None
        and services["nightly"].schedule.expression == "cron(0 2 1/2 * ? *)"
    )
    assert (services["nightly"].entry_point, services["nightly"].command) == (
        ("/app/entrypoint.sh",),
        ("python", "manage.py", "compact", "--all"),
    )
    assert (services["adhoc"].kind, services["adhoc"].desired_count) == ("backend", 0)


def test_legacy_web_service_shapes(legacy: tuple[ImportResult, dict[str, AppSpec]]) -> None:
    spec = legacy[1]["test"]
    api = spec.services["api"]
    assert api.http_settings.paths == ("/api", "/api/*")
    assert api.http_settings.health_check.path == "/api/v1/ping"
    assert (api.desired_count, [i.provider for i in api.capacity or ()]) == (2, ["FARGATE_SPOT"])
    assert api.readonly_root_filesystem is False
    assert api.entry_point == ("/bin/sh", "-c", "exec node server.js")
    assert api.environment == {"NODE_ENV": "production", "PORT": "4000", "NOTIFICATION__API_URL": ""}
    assert list(api.volumes) == ["tmp-dir"]  # the Copilot-managed EFS volume is a manual step
    assert spec.network.nat_gateways == 1  # public placement: this project's default
    search = spec.services["search"]
    assert search.autoscaling is not None
    assert (search.autoscaling.min_count, search.autoscaling.max_count, search.autoscaling.cpu_percent) == (
        2,
        6,
        65,
    )
    assert (search.autoscaling.scale_in_cooldown_seconds, search.autoscaling.scale_out_cooldown_seconds) == (
        90,
        45,
    )
    assert search.deployment.rollback_alarms == ("search-5xx", "search-latency")
    mailer = spec.services["mailer"]
    assert (mailer.logging, mailer.log_retention_days) == ("firelens", 14)
    assert (mailer.queue_settings.min_count, mailer.queue_settings.max_count) == (2, 2)


def test_placeholders_when_the_workspace_does_not_say(
    legacy: tuple[ImportResult, dict[str, AppSpec]],
) -> None:
    result, specs = legacy
    spec = specs["test"]
    assert (spec.environment.account, spec.environment.region) == ("000000000000", "us-east-1")
    assert spec.load_balancer.certificate_arn == (
        "arn:aws:acm:us-east-1:000000000000:certificate/00000000-0000-0000-0000-000000000000"
    )
    header = result.files["test.yaml"].split("app:", 1)[0]
    for item in (
        "environment.account",
        "environment.region",
        "load_balancer.certificate_arn",
        "services.api.image",
    ):
        assert item in header


def test_account_region_and_variables_from_the_command_line(tmp_path: Path) -> None:
    settings = parse_settings(["test=333333333333"], ["eu-central-1"], ["CLIENT_DOMAIN=example.org"])
    result, specs = imported(FIXTURES / "legacy", settings, tmp_path)
    spec = specs["test"]
    assert (spec.environment.account, spec.environment.region) == ("333333333333", "eu-central-1")
    assert spec.services["api"].http_settings.hosts == ("api.example.org",)
    assert result.report.environments["test"]["account_from"] == "--account test=…"


def every_field(workspace: Path) -> set[tuple[str, str]]:
    """(manifest, top-level key) of every value in the fixture's ECS manifests."""
    found = set()
    for file in workspace.glob("copilot/**/manifest.yml"):
        data, _ = read_yaml(file.read_text())
        if data.get("type") in ("Static Site", "Request-Driven Web Service"):
            continue
        relative = str(file.relative_to(workspace))
        found |= {(relative, str(leaf[0])) for leaf in leaf_paths(data)}
    return found


@pytest.mark.parametrize("fixture", ["shop", "legacy"])
def test_the_report_names_every_manifest_field_and_has_a_mapping_for_each(fixture: str) -> None:
    result = import_workspace(FIXTURES / fixture, parse_settings([], [], ["CLIENT_DOMAIN=example.org"]))
    fields = result.report.to_dict()["fields"]
    reported = {(item["manifest"], item["field"].split(".")[0].split("[")[0]) for item in fields}
    assert every_field(FIXTURES / fixture) <= reported
    assert [f for f in fields if f.get("reason") == "this importer has no mapping for this field"] == []


def test_fields_without_an_equivalent_give_the_reason_and_the_step(
    shop: tuple[ImportResult, dict[str, AppSpec]],
) -> None:
    fields = shop[0].report.to_dict()["fields"]
    manual = {(f["manifest"], f["field"]): f for f in fields if f["status"] == "manual"}
    expected = {
        ("copilot/frontend/manifest.yml", "http.stickiness"),
        ("copilot/frontend/manifest.yml", "exec"),
        ("copilot/frontend/manifest.yml", "taskdef_overrides[1]"),
        ("copilot/frontend/manifest.yml", "variables.ASSETS_BUCKET.from_cfn"),
        ("copilot/api/manifest.yml", "env_file"),
        ("copilot/api/manifest.yml", "deployment.rolling"),
        ("copilot/worker/manifest.yml", "subscribe.topics[0]"),
        ("copilot/report/manifest.yml", "retries"),
        ("copilot/report/manifest.yml", "timeout"),
        ("copilot/environments/prod/manifest.yml", "cdn"),
    }
    assert expected <= set(manual)
    for key in expected:
        assert manual[key]["reason"] and manual[key]["manual_step"]
    sns = manual[("copilot/worker/manifest.yml", "subscribe.topics[0]")]
    assert "SNS fan-out is not modelled" in sns["reason"] and "QueueUrl" in sns["manual_step"]
    replaced = [
        f
        for f in fields
        if f["manifest"] == "copilot/frontend/manifest.yml" and f["field"] == "count.response_time"
    ]
    assert [(f["environments"], f["note"]) for f in replaced] == [
        (["dev"], "replaced by environments.dev: not used in this environment"),
        (["prod"], "replaced by environments.prod: not used in this environment"),
    ]
    not_imported = {item["path"]: item["what"] for item in shop[0].report.to_dict()["not_imported"]}
    assert not_imported == {
        "copilot/api/addons/": "addons",
        "copilot/hello/manifest.yml": "Request-Driven Web Service",
        "copilot/landing/manifest.yml": "Static Site",
    }


def test_response_time_scaling_is_a_manual_step(legacy: tuple[ImportResult, dict[str, AppSpec]]) -> None:
    fields = legacy[0].report.to_dict()["fields"]
    [response] = [
        f
        for f in fields
        if f["manifest"] == "copilot/search/manifest.yml" and f["field"] == "count.response_time"
    ]
    assert response["status"] == "manual"
    assert "TargetResponseTime" in response["manual_step"]


def small_workspace(tmp_path: Path, manifests: dict[str, str]) -> Path:
    (tmp_path / "copilot" / "environments" / "test").mkdir(parents=True)
    (tmp_path / "copilot" / ".workspace").write_text("application: shop\n")
    (tmp_path / "copilot" / "environments" / "test" / "manifest.yml").write_text(
        "name: test\ntype: Environment\n"
    )
    for name, text in manifests.items():
        (tmp_path / "copilot" / name).mkdir()
        (tmp_path / "copilot" / name / "manifest.yml").write_text(text)
    return tmp_path


def test_a_windows_service_is_reported_not_imported(tmp_path: Path) -> None:
    workspace = small_workspace(
        tmp_path,
        {
            "api": "name: api\ntype: Backend Service\nimage:\n  location: nginx:1\n  port: 80\n",
            "legacy": "name: legacy\ntype: Backend Service\nplatform: windows/x86_64\n"
            "image:\n  location: iis:1\n",
        },
    )
    result, specs = imported(workspace, Settings(), tmp_path)
    assert list(specs["test"].services) == ["api"]
    assert result.report.services["legacy"]["kind"] == {"test": None}
    fields = [f for f in result.report.to_dict()["fields"] if f["manifest"] == "copilot/legacy/manifest.yml"]
    assert {f["field"] for f in fields if f["status"] == "manual"} == {"platform", "image"}
    assert all(
        "Windows containers are not supported" in f["reason"] for f in fields if f["status"] == "manual"
    )


def test_a_workspace_without_an_ecs_workload_is_an_error(tmp_path: Path) -> None:
    workspace = small_workspace(tmp_path, {"site": "name: site\ntype: Static Site\n"})
    with pytest.raises(SpecError, match="no Load Balanced Web, Backend or Worker Service, or Scheduled Job"):
        import_workspace(workspace, Settings())


def test_a_grpc_target_group_version_is_the_services_app_protocol(tmp_path: Path) -> None:
    workspace = small_workspace(
        tmp_path,
        {
            "greeter": "name: greeter\ntype: Load Balanced Web Service\nimage:\n  location: greeter:1\n"
            "  port: 50051\nhttp:\n  path: '/'\n  version: grpc\n  healthcheck:\n"
            "    path: /grpc.health.v1.Health/Check\n    success_codes: '0'\n",
        },
    )
    certificate = "arn:aws:acm:us-east-1:123456789012:certificate/3f2e1d0c-9b8a-4765-8432-10fedcba9876"
    (workspace / "copilot" / "environments" / "test" / "manifest.yml").write_text(
        f"name: test\ntype: Environment\nhttp:\n  public:\n    certificates: [{certificate}]\n"
    )
    result, specs = imported(workspace, Settings(), tmp_path)
    greeter = specs["test"].services["greeter"]
    assert greeter.app_protocol == "grpc"
    assert greeter.http_settings.health_check.resolved("grpc") == ("/grpc.health.v1.Health/Check", "0")
    [version] = [f for f in result.report.to_dict()["fields"] if f["field"] == "http.version"]
    assert version["status"] == "adjusted" and "for the target groups and Service Connect" in version["note"]
