"""Security Hub ECS controls over data that contains what each control checks.

test_security_hub_controls.py runs the controls over the shipped environments, which have no
EFS volume and name a user on one container only; here the local environment gets EFS
volumes, a sidecar and a user on every container, and each test first asserts that what it
checks is there (a control over an empty collection proves nothing).
"""

from __future__ import annotations

from typing import Any

import pytest

from config import AppSpec, parse_spec
from config.loader import ENVIRONMENTS_DIR
from tests.harness import SynthesisCache, resources_of_type, synthesise

LOCAL_TEXT = (ENVIRONMENTS_DIR / "local.yaml").read_text()
NGINX = "    image: public.ecr.aws/nginx/nginx-unprivileged:1.27\n"
BUSYBOX = "    image: public.ecr.aws/docker/library/busybox:1.37\n"
WEB_EXTRAS = """\
    mounts:
      - {volume: shared, path: /srv/shared}
      - {volume: uploads, path: /srv/uploads, read_only: true}
    volumes:
      shared: {efs: {file_system_id: fs-0123456789abcdef0, access_point_id: fsap-0123456789abcdef0}}
      uploads: {efs: {file_system_id: fs-0fedcba9876543210, root_directory: /uploads}}
    sidecars:
      envoy:
        image: public.ecr.aws/appmesh/aws-appmesh-envoy:v1.29.6.0-prod
        user: "1337"
        memory_reservation_mib: 128
        mounts:
          - {volume: uploads, path: /uploads, read_only: true}
"""
ANCHOR = "    environment:\n      LOG_LEVEL: info\n"
# Security Hub ECS.8: "AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, or ECS_ENGINE_AUTH_DATA"
ECS_8_NAMES = {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "ECS_ENGINE_AUTH_DATA"}


def exercised_spec() -> AppSpec:
    text = LOCAL_TEXT.replace('    user: "101"', '    user: "101:101"')  # web and api, group too
    text = text.replace(ANCHOR, ANCHOR + WEB_EXTRAS, 1)
    spec = parse_spec(text)
    assert len(spec.services["web"].volumes) == 2 and spec.services["web"].sidecars
    return spec


@pytest.fixture(scope="module")
def templates() -> list[dict[str, Any]]:
    return list(synthesise(exercised_spec()).templates.values())


def properties(templates: list[dict[str, Any]], resource_type: str) -> list[dict[str, Any]]:
    return [r["Properties"] for t in templates for r in resources_of_type(t, resource_type).values()]


def containers(templates: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [c for t in properties(templates, "AWS::ECS::TaskDefinition") for c in t["ContainerDefinitions"]]


def test_ecs_18_every_efs_volume_encrypts_in_transit(templates: list[dict[str, Any]]) -> None:
    efs = [
        v["EFSVolumeConfiguration"]
        for t in properties(templates, "AWS::ECS::TaskDefinition")
        for v in t.get("Volumes", [])
        if "EFSVolumeConfiguration" in v
    ]
    assert [v["FilesystemId"] for v in efs] == ["fs-0123456789abcdef0", "fs-0fedcba9876543210"]
    assert all(v["TransitEncryption"] == "ENABLED" for v in efs)


def test_ecs_20_every_container_runs_as_the_non_root_user_the_spec_names(
    templates: list[dict[str, Any]],
) -> None:
    users = {c["Name"]: c.get("User") for c in containers(templates)}
    assert users == {
        "web": "101:101", "envoy": "1337", "api": "101:101", "worker": "65534", "reports": "65534",
    }  # fmt: skip


def test_ecs_8_no_credential_names_among_the_variables(templates: list[dict[str, Any]]) -> None:
    names = [v["Name"] for c in containers(templates) for v in c.get("Environment", [])]
    assert "LOG_LEVEL" in names
    assert not ECS_8_NAMES & set(names)


@pytest.mark.parametrize("name", sorted(ECS_8_NAMES))
def test_ecs_8_each_credential_name_is_refused_by_the_spec(name: str) -> None:
    from config import SpecError

    with pytest.raises(SpecError, match=f"services.web.environment.{name} .*looks like a secret"):
        parse_spec(LOCAL_TEXT.replace(ANCHOR, f"{ANCHOR}      {name}: x\n", 1))


def test_ecs_19_every_auto_scaling_provider_has_managed_termination_protection(
    synth_cache: SynthesisCache,
) -> None:
    providers = [
        p["AutoScalingGroupProvider"]
        for env in ("local", "dev", "prod")
        for template in synth_cache.get(env).templates.values()
        for p in properties([template], "AWS::ECS::CapacityProvider")
        if "AutoScalingGroupProvider" in p
    ]
    assert len(providers) >= 2  # local alone has two EC2 groups
    assert all(p["ManagedTerminationProtection"] == "ENABLED" for p in providers)
