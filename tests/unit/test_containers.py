"""The complete container model, from spec to template: sidecars, secrets, volumes, logging."""

from __future__ import annotations

import json
from typing import Any

import pytest

from config import parse_spec
from config.cdk_context import Release
from config.loader import ENVIRONMENTS_DIR
from stacks.app_builder import build_environment
from tests.harness import make_app, resources_of_type
from tests.spec_problems import problems_of

SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:shop/db"
PARAMETER_KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
RICH_WEB = f"""
  web:
    image: public.ecr.aws/nginx/nginx:1.27
    cpu: 512
    memory: 1024
    port: 8080
    app_protocol: http
    user: "101:101"
    command: ["nginx", "-g", "daemon off;"]
    working_directory: /srv
    stop_timeout_seconds: 20
    init_process: true
    writable_paths: [/tmp, /var/cache/nginx]
    health_check:
      command: ["CMD-SHELL", "wget -qO- localhost:8080/health || exit 1"]
    depends_on:
      migrate: SUCCESS
      envoy: HEALTHY
    ulimits:
      nofile: {{soft: 65536, hard: 65536}}
    environment:
      LOG_LEVEL: info
    secrets:
      DB_PASSWORD: {{secret: "{SECRET}", key: password, kms_key: environment}}
      DB_PASSWORD_PREVIOUS: {{secret: "{SECRET}-AbCdEf", key: password, version_stage: AWSPREVIOUS}}
      API_TOKEN: {{parameter: /shop/api-token, kms_key: "{PARAMETER_KEY}"}}
    environment_files: ["arn:aws:s3:::shop-config/web.env"]
    mounts:
      - {{volume: shared, path: /srv/shared}}
      - {{volume: uploads, path: /srv/uploads, read_only: true}}
    volumes:
      shared: {{efs: {{file_system_id: fs-0123456789abcdef0, access_point_id: fsap-0123456789abcdef0}}}}
      uploads: {{efs: {{file_system_id: fs-0fedcba9876543210}}}}
      cache: {{scratch: true}}
      data: {{ebs: {{size_gib: 20}}}}
    ephemeral_storage_gib: 40
    architecture: arm64
    log_retention_days: 90
    sidecars:
      envoy:
        image: public.ecr.aws/appmesh/aws-appmesh-envoy:v1.29.6.0-prod
        user: "1337"
        essential: true
        memory_reservation_mib: 128
        health_check:
          command: ["CMD-SHELL", "curl -s localhost:9901/ready"]
      migrate:
        image: public.ecr.aws/docker/library/busybox:1.37
        user: "65534"
        essential: false
        command: ["true"]
        mounts:
          - {{volume: cache, path: /cache}}
          - {{volume: data, path: /data}}
"""

LOCAL_TEXT = (ENVIRONMENTS_DIR / "local.yaml").read_text()


def rich_local_text() -> str:
    start = LOCAL_TEXT.index("  web:\n")
    end = LOCAL_TEXT.index("  worker:\n")
    return LOCAL_TEXT[:start] + RICH_WEB.lstrip("\n") + LOCAL_TEXT[end:]


@pytest.fixture(scope="module")
def web_template() -> dict[str, Any]:
    spec = parse_spec(rich_local_text())
    app = make_app()
    build_environment(app, spec, release=Release(version="1.4.2", git_revision="0a1b2c3"))
    return dict(app.synth().get_stack_by_name("shop-local-svc-web").template)


def task(template: dict[str, Any]) -> dict[str, Any]:
    [definition] = resources_of_type(template, "AWS::ECS::TaskDefinition").values()
    return dict(definition["Properties"])


def container(template: dict[str, Any], name: str) -> dict[str, Any]:
    return next(c for c in task(template)["ContainerDefinitions"] if c["Name"] == name)


def test_three_containers_main_first(web_template: dict[str, Any]) -> None:
    assert [c["Name"] for c in task(web_template)["ContainerDefinitions"]] == ["web", "envoy", "migrate"]


def test_main_container_fields(web_template: dict[str, Any]) -> None:
    web = container(web_template, "web")
    assert web["User"] == "101:101"
    assert web["Command"] == ["nginx", "-g", "daemon off;"]
    assert web["WorkingDirectory"] == "/srv"
    assert web["StopTimeout"] == 20
    assert web["LinuxParameters"]["InitProcessEnabled"] is True
    assert web["ReadonlyRootFilesystem"] is True
    assert web["PortMappings"] == [
        {"ContainerPort": 8080, "Name": "web-8080", "Protocol": "tcp", "AppProtocol": "http"}
    ]
    assert web["Ulimits"] == [{"Name": "nofile", "SoftLimit": 65536, "HardLimit": 65536}]
    assert web["HealthCheck"] == {
        "Command": ["CMD-SHELL", "wget -qO- localhost:8080/health || exit 1"],
        "Interval": 10,
        "Timeout": 5,
        "Retries": 3,
        "StartPeriod": 10,
    }
    assert sorted(web["DependsOn"], key=lambda d: d["ContainerName"]) == [
        {"ContainerName": "envoy", "Condition": "HEALTHY"},
        {"ContainerName": "migrate", "Condition": "SUCCESS"},
    ]


def test_writable_paths_get_scratch_volumes_on_a_read_only_root(web_template: dict[str, Any]) -> None:
    web = container(web_template, "web")
    mounts = {m["ContainerPath"]: m for m in web["MountPoints"]}
    assert {"/tmp", "/var/cache/nginx", "/srv/shared", "/srv/uploads"} == set(mounts)
    scratch = {v["Name"] for v in task(web_template)["Volumes"] if set(v) == {"Name"}}
    assert {mounts["/tmp"]["SourceVolume"], mounts["/var/cache/nginx"]["SourceVolume"], "cache"} <= scratch
    assert mounts["/srv/uploads"]["ReadOnly"] is True


def test_secrets_reference_exact_arns_and_keys(web_template: dict[str, Any]) -> None:
    secrets = {s["Name"]: s["ValueFrom"] for s in container(web_template, "web")["Secrets"]}
    assert secrets["DB_PASSWORD"] == f"{SECRET}:password::"
    assert secrets["DB_PASSWORD_PREVIOUS"] == f"{SECRET}-AbCdEf:password:AWSPREVIOUS:"
    assert "parameter/shop/api-token" in json.dumps(secrets["API_TOKEN"])


def test_execution_role_reads_exactly_those_secrets_and_files(web_template: dict[str, Any]) -> None:
    statements = [
        s
        for logical_id, p in resources_of_type(web_template, "AWS::IAM::Policy").items()
        if "ExecutionRole" in logical_id
        for s in p["Properties"]["PolicyDocument"]["Statement"]
    ]
    text = json.dumps(statements)
    assert f"{SECRET}-??????" in text  # a partial ARN: the random suffix, nothing wider
    assert f"{SECRET}-AbCdEf" in text
    assert "parameter/shop/api-token" in text
    assert "shop-config/web.env" in text
    assert "secretsmanager:*" not in text and '"Resource": "*"' not in text.replace(
        '"Action": "ecr:GetAuthorizationToken", "Effect": "Allow", "Resource": "*"', ""
    )


def test_execution_role_decrypts_with_exactly_the_keys_the_secrets_name(web_template: dict[str, Any]) -> None:
    """kms_key: environment is the environment key; an ARN is that key; no other key is granted."""
    decrypts = [
        s
        for logical_id, p in resources_of_type(web_template, "AWS::IAM::Policy").items()
        if "ExecutionRole" in logical_id
        for s in p["Properties"]["PolicyDocument"]["Statement"]
        if "kms:Decrypt" in s["Action"]
    ]
    via = {s["Condition"]["StringEquals"]["kms:ViaService"]: s["Resource"] for s in decrypts}
    assert len(decrypts) == 2 and set(via) == {
        "secretsmanager.us-east-1.amazonaws.com",  # the service decrypts on the task's behalf
        "ssm.us-east-1.amazonaws.com",
    }
    assert "EnvironmentKey" in json.dumps(via["secretsmanager.us-east-1.amazonaws.com"])
    assert "Fn::ImportValue" in json.dumps(via["secretsmanager.us-east-1.amazonaws.com"])
    assert via["ssm.us-east-1.amazonaws.com"] == PARAMETER_KEY


def test_efs_volumes_encrypt_in_transit_and_use_iam(web_template: dict[str, Any]) -> None:
    efs = {
        v["Name"]: v["EFSVolumeConfiguration"]
        for v in task(web_template)["Volumes"]
        if "EFSVolumeConfiguration" in v
    }
    assert set(efs) == {"shared", "uploads"}
    for configuration in efs.values():
        assert configuration["TransitEncryption"] == "ENABLED"
        assert configuration["AuthorizationConfig"]["IAM"] == "ENABLED"
    assert efs["shared"]["AuthorizationConfig"]["AccessPointId"] == "fsap-0123456789abcdef0"
    task_policies = json.dumps(
        [
            p["Properties"]["PolicyDocument"]
            for k, p in resources_of_type(web_template, "AWS::IAM::Policy").items()
            if "TaskRole" in k
        ]
    )
    assert "file-system/fs-0123456789abcdef0" in task_policies and "ClientWrite" in task_policies
    # uploads is mounted read-only everywhere: mount, never write
    uploads = [
        s for s in json.loads(task_policies)[0]["Statement"] if "fs-0fedcba9876543210" in json.dumps(s)
    ]
    assert uploads and all(s["Action"] == "elasticfilesystem:ClientMount" for s in uploads)


def test_service_managed_ebs_volume(web_template: dict[str, Any]) -> None:
    assert {"Name": "data", "ConfiguredAtLaunch": True} in task(web_template)["Volumes"]
    [service] = resources_of_type(web_template, "AWS::ECS::Service").values()
    [volume] = service["Properties"]["VolumeConfigurations"]
    assert volume["Name"] == "data"
    assert volume["ManagedEBSVolume"]["SizeInGiB"] == 20
    assert volume["ManagedEBSVolume"]["Encrypted"] is True


def test_task_level_settings(web_template: dict[str, Any]) -> None:
    properties = task(web_template)
    assert properties["EphemeralStorage"] == {"SizeInGiB": 40}
    assert properties["RuntimePlatform"]["CpuArchitecture"] == "ARM64"
    [log_group] = resources_of_type(web_template, "AWS::Logs::LogGroup").values()
    assert log_group["Properties"]["RetentionInDays"] == 90
    assert "KmsKeyId" in log_group["Properties"]


def test_release_metadata_as_labels_and_tags(web_template: dict[str, Any]) -> None:
    for name in ("web", "envoy", "migrate"):
        labels = container(web_template, name)["DockerLabels"]
        assert labels["deployer.version"] == "1.4.2"
        assert labels["deployer.git-revision"] == "0a1b2c3"
    assert container(web_template, "envoy")["DockerLabels"]["deployer.image"].startswith(
        "public.ecr.aws/appmesh"
    )
    tags = {t["Key"]: t["Value"] for t in task(web_template)["Tags"]}
    assert tags["deployer.version"] == "1.4.2" and tags["deployer.git-revision"] == "0a1b2c3"


def test_firelens_routes_every_container_through_fluent_bit() -> None:
    spec = parse_spec(LOCAL_TEXT.replace("  worker:\n", "  worker:\n    logging: firelens\n", 1))
    app = make_app()
    build_environment(app, spec)
    template = app.synth().get_stack_by_name("shop-local-svc-worker").template
    containers = {c["Name"]: c for c in task(template)["ContainerDefinitions"]}
    assert containers["log-router"]["FirelensConfiguration"]["Type"] == "fluentbit"
    assert containers["log-router"]["LogConfiguration"]["LogDriver"] == "awslogs"
    assert containers["worker"]["LogConfiguration"]["LogDriver"] == "awsfirelens"
    assert containers["worker"]["LogConfiguration"]["Options"]["Name"] == "cloudwatch_logs"


@pytest.mark.parametrize(
    ("old", "new", "path", "fragment"),
    [
        (
            "      envoy: HEALTHY",
            "      nginx: HEALTHY",
            "services.web.depends_on.nginx",
            "unknown container 'nginx'",
        ),
        (
            '        health_check:\n          command: ["CMD-SHELL", "curl -s localhost:9901/ready"]\n',
            "",
            "services.web.depends_on.envoy",
            "HEALTHY needs a health_check",
        ),
        (
            "{volume: shared, path: /srv/shared}",
            "{volume: nope, path: /srv/shared}",
            "services.web.mounts[0].volume",
            "unknown volume 'nope'",
        ),
        (
            "key: password, kms_key",
            "key: password, parameter: /x, kms_key",
            "services.web.secrets.DB_PASSWORD",
            "exactly one of secret",
        ),
        (
            "kms_key: environment}",
            "kms_key: alias/shop-local}",
            "services.web.secrets.DB_PASSWORD.kms_key",
            "an alias cannot be granted decrypt rights",
        ),
        (
            "{parameter: /shop/api-token,",
            "{parameter: /shop/api-token, key: k,",
            "services.web.secrets.API_TOKEN",
            "Secrets Manager secrets only",
        ),
        (
            "cache: {scratch: true}",
            "cache: {scratch: true, ebs: {size_gib: 1}}",
            "services.web.volumes.cache",
            "exactly one of efs, ebs or scratch",
        ),
        (
            "          - {volume: data, path: /data}\n",
            "",
            "services.web.volumes.data",
            "no container mounts this volume",
        ),
        (
            "log_retention_days: 90",
            "log_retention_days: 45",
            "services.web.log_retention_days",
            "allowed: 1, 3, 5",
        ),
        (
            "memory_reservation_mib: 128",
            "memory_reservation_mib: 2048",
            "services.web.memory",
            "reserve 2048 MiB, more than the task's 1024",
        ),
        (
            "nofile: {soft: 65536, hard: 65536}",
            "nofile: {soft: 65537, hard: 65536}",
            "services.web.ulimits.nofile",
            "soft 65537 is above hard",
        ),
        (
            "      LOG_LEVEL: info",
            "      LOG_LEVEL: info\n      API_TOKEN: x",
            "services.web.secrets",
            "also set in environment",
        ),
        (
            "        essential: true\n",
            "        essential: true\n        port: 8080\n",
            "services.web.sidecars.envoy.port",
            "already used by container 'web'",
        ),
        (
            'environment_files: ["arn:aws:s3:::shop-config/web.env"]',
            'environment_files: ["s3://shop-config/web.env"]',
            "services.web.environment_files[0]",
            "not valid",
        ),
    ],
)
def test_container_spec_errors_name_the_path(old: str, new: str, path: str, fragment: str) -> None:
    text = rich_local_text()
    assert old in text, old
    problems = problems_of(text.replace(old, new, 1))
    assert any(p.startswith(path) and fragment in p for p in problems), problems


def test_production_can_require_digests() -> None:
    text = LOCAL_TEXT.replace("  target: local\n", "  target: local\n  require_image_digests: true\n", 1)
    problems = problems_of(text)
    assert any(p.startswith("services.web.image") and "no @sha256 digest" in p for p in problems)


@pytest.mark.parametrize(
    "name",
    [
        "DB_PASSWORD",
        "API_KEY",
        "STRIPE_SECRET",
        "GITHUB_TOKEN",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "SIGNING_KEY",
    ],
)
def test_secret_looking_plain_variables_are_rejected(name: str) -> None:
    problems = problems_of(
        LOCAL_TEXT.replace("      LOG_LEVEL: info\n", f"      LOG_LEVEL: info\n      {name}: x\n", 1)
    )
    assert any(
        p.startswith(f"services.web.environment.{name}") and "move it to secrets" in p for p in problems
    )


@pytest.mark.parametrize("name", ["LOG_FORMAT", "TOKENIZER_MODEL", "KEYCLOAK_URL", "MONKEY_MODE"])
def test_ordinary_variables_are_fine(name: str) -> None:
    parse_spec(LOCAL_TEXT.replace("      LOG_LEVEL: info\n", f"      LOG_LEVEL: info\n      {name}: x\n", 1))
