"""Bad input exits 2 with a message naming the problem, no traceback, and no AWS call."""

from __future__ import annotations

from pathlib import Path

import pytest

from config.loader import ENVIRONMENTS_DIR
from deployer.local import endpoint as local_endpoint
from tests.cli import run_deployer
from tests.harness import free_port

LOCAL_TEXT = (ENVIRONMENTS_DIR / "local.yaml").read_text()


def broken_environments(tmp_path: Path, old: str, new: str) -> dict[str, str]:
    assert old in LOCAL_TEXT
    (tmp_path / "local.yaml").write_text(LOCAL_TEXT.replace(old, new, 1))
    return {"DEPLOYER_ENVIRONMENTS_DIR": str(tmp_path)}


@pytest.mark.parametrize(
    ("old", "new", "path"),
    [
        ("    desired_count: 2\n", "    desired_count: 2\n    colour: red\n", "services.web.colour"),
        ("desired_count: 2", "desired_count: lots", "services.web.desired_count"),
        (
            "    cpu: 256\n    memory: 512\n    port",
            "    cpu: 300\n    memory: 512\n    port",
            "services.web.cpu",
        ),
    ],
)
def test_malformed_spec_fails_deploy_before_any_aws_call(
    tmp_path: Path, old: str, new: str, path: str
) -> None:
    port = free_port()
    result = run_deployer(
        "deploy", "--env", "local", "--port", str(port), env=broken_environments(tmp_path, old, new)
    )
    assert result.code == 2
    assert path in result.stderr
    assert "Traceback" not in result.output
    assert not local_endpoint.is_healthy(port)  # the endpoint was never started
    assert not (local_endpoint.STATE_DIR / f"moto-{port}.pid").exists()


def test_validate_reports_every_problem(tmp_path: Path) -> None:
    env = broken_environments(tmp_path, "desired_count: 2", "desired_count: -1")
    (tmp_path / "local.yaml").write_text(
        (tmp_path / "local.yaml").read_text().replace("max_azs: 2", "max_azs: 0")
    )
    result = run_deployer("validate", "--env", "local", env=env)
    assert result.code == 2
    assert "2 problems" in result.stderr
    assert "network.max_azs" in result.stderr and "services.web.desired_count" in result.stderr


def test_validate_accepts_the_shipped_spec() -> None:
    result = run_deployer("validate", "--env", "local")
    assert result.code == 0, result.output
    assert "valid" in result.stdout


@pytest.mark.parametrize(
    ("image", "fragment"),
    [
        ("nope=repo:1", "unknown service 'nope'"),
        ("web", "expected SERVICE=IMAGE_REF"),
        ("web=Bad Image", "is not an image reference"),
    ],
)
def test_bad_image_argument(image: str, fragment: str) -> None:
    port = free_port()
    result = run_deployer("deploy", "--env", "local", "--port", str(port), "--image", image)
    assert result.code == 2
    assert fragment in result.stderr
    assert "Traceback" not in result.output
    assert not local_endpoint.is_healthy(port)


LONG_IMAGE = "public.ecr.aws/nginx/" + "a" * 235 + ":1"  # 258 characters: the pattern fits, ECS refuses


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["deploy", "--image", f"web={LONG_IMAGE}"], "an image reference is at most 255 characters"),
        (["plan", "--image", f"web={LONG_IMAGE}"], "an image reference is at most 255 characters"),
        (["verify", "--image", f"web={LONG_IMAGE}"], "an image reference is at most 255 characters"),
        (["verify", "--image", "web/=nginx:1"], "no container name after web/"),
        (["plan", "--image", "web/=nginx:1"], "no container name after web/"),
    ],
)
def test_every_command_checks_image_the_same_way_before_any_call(args: list[str], fragment: str) -> None:
    port = free_port()
    result = run_deployer(*args, "--env", "local", "--port", str(port))
    assert result.code == 2, result.output
    assert "--image 'web" in result.stderr and fragment in result.stderr
    assert "Traceback" not in result.output
    assert not local_endpoint.is_healthy(port)


def test_verify_refuses_an_image_the_environment_would_refuse_before_any_call() -> None:
    result = run_deployer("verify", "--env", "prod", "--image", "web=nginx:1", env={"AWS_MAX_ATTEMPTS": "1"})
    assert result.code == 2, result.output
    assert (
        "--image 'web=nginx:1': 'nginx:1' has no @sha256 digest; this environment requires digests"
        in result.stderr
    )


def test_render_checks_its_image_before_synthesis() -> None:
    result = run_deployer("render", "--env", "local", "--service", "web", "--image", LONG_IMAGE)
    assert result.code == 2 and "--image 'web=" in result.stderr
    assert "an image reference is at most 255 characters (this one has 258)" in result.stderr


def test_unknown_environment() -> None:
    result = run_deployer("status", "--env", "qa")
    assert result.code == 2
    assert "no environment 'qa'; available:" in result.stderr


def test_unknown_option_is_a_usage_error() -> None:
    result = run_deployer("deploy", "--bogus")
    assert result.code == 2
    assert "Traceback" not in result.output


def test_schema_command_matches_the_committed_schema_file() -> None:
    from config.json_schema import SCHEMA_FILE

    result = run_deployer("schema")
    assert result.code == 0
    assert result.stdout == SCHEMA_FILE.read_text()


@pytest.mark.parametrize("env", ["local", "dev", "prod"])
def test_shipped_specs_reference_the_schema_for_editors(env: str) -> None:
    first_line = (ENVIRONMENTS_DIR / f"{env}.yaml").read_text().splitlines()[0]
    assert first_line == "# yaml-language-server: $schema=../spec.schema.json"


def test_wait_rejects_unknown_services_before_any_call() -> None:
    result = run_deployer("wait", "--env", "local", "--service", "nope")
    assert result.code == 2 and "--service unknown service 'nope'; services: web" in result.stderr


def test_wait_on_the_local_endpoint_says_there_is_nothing_to_judge() -> None:
    result = run_deployer("wait", "--env", "local")
    assert result.code == 0 and "runs no containers" in result.stdout


@pytest.mark.parametrize("flag", ["--version", "--git-revision"])
def test_bad_release_input(flag: str) -> None:
    port = free_port()
    result = run_deployer("deploy", "--env", "local", "--port", str(port), flag, "1.0 beta; rm -rf /")
    assert result.code == 2 and flag in result.stderr and "Traceback" not in result.output
    assert not local_endpoint.is_healthy(port)


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["prune", "web", "--keep", "0"], "keep at least 1"),
        (["prune", "nope", "--keep", "3"], "unknown service 'nope'"),
        (["history", "nope"], "unknown service 'nope'"),
        (["rollback", "nope"], "unknown service 'nope'"),
    ],
)
def test_bad_operation_arguments(args: list[str], fragment: str) -> None:
    port = free_port()
    result = run_deployer(*args, "--env", "local", "--port", str(port))
    assert result.code == 2 and fragment in result.stderr and "Traceback" not in result.output
    assert not local_endpoint.is_healthy(port)  # nothing was started, nothing changed


def test_rollback_and_wait_refuse_a_job_before_any_call() -> None:
    rollback = run_deployer("rollback", "reports", "--env", "local")
    assert rollback.code == 2 and "reports is a job" in rollback.stderr
    wait = run_deployer("wait", "--env", "local", "--service", "reports")
    assert wait.code == 2 and "a job has no rollout" in wait.stderr


@pytest.mark.parametrize(
    ("extra", "fragment"),
    [
        (["--version", "1.2.3"], "--assembly already holds its images"),
        ([], "no manifest.json"),
    ],
)
def test_bad_assembly_argument(tmp_path: Path, extra: list[str], fragment: str) -> None:
    port = free_port()
    result = run_deployer(
        "deploy", "--env", "local", "--port", str(port), "--assembly", str(tmp_path), *extra
    )
    assert result.code == 2
    assert fragment in result.stderr
    assert "Traceback" not in result.output
    assert not local_endpoint.is_healthy(port)
