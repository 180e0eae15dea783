"""``deployer import copilot``: exit codes, all-or-nothing writes, idempotency, the report."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from config import load_spec
from deployer.cli import app
from tests.cli import run_deployer

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "copilot"
runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["import", "copilot", *args])
    return result.exit_code, result.stdout, result.stderr


def copy_workspace(tmp_path: Path, name: str = "shop") -> Path:
    workspace = tmp_path / name
    shutil.copytree(FIXTURES / name, workspace)
    return workspace


def test_writes_one_valid_spec_per_environment_and_the_report(tmp_path: Path) -> None:
    result = run_deployer("import", "copilot", str(FIXTURES / "shop"), "--output", str(tmp_path / "out"))
    assert result.code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["MIGRATION.md", "dev.yaml", "prod.yaml"]
    for env in ("dev", "prod"):
        assert load_spec(env, tmp_path / "out").environment.name == env
    assert "step(s) to do by hand before deploying" in result.stderr
    report = (tmp_path / "out" / "MIGRATION.md").read_text()
    assert report.startswith("# Migrating `shop` from AWS Copilot")
    assert "## Before you deploy" in report and "## Field by field" in report


def test_running_it_twice_gives_the_same_bytes(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run(str(FIXTURES / "shop"), "--output", str(out))[0] == 0
    first = {p.name: p.read_bytes() for p in out.iterdir()}
    assert run(str(FIXTURES / "shop"), "--output", str(out))[0] == 0
    assert {p.name: p.read_bytes() for p in out.iterdir()} == first


def test_json_prints_the_report(tmp_path: Path) -> None:
    code, stdout, _ = run(
        str(FIXTURES / "legacy"),
        "--output",
        str(tmp_path / "out"),
        "--json",
        "--var",
        "CLIENT_DOMAIN=example.org",
    )
    assert code == 0
    report = json.loads(stdout)
    assert report["application"] == "legacy"
    assert report["environments"]["test"] == {
        "file": "test.yaml",
        "account": "000000000000",
        "account_from": "placeholder",
        "region": "us-east-1",
        "region_from": "placeholder",
    }
    assert report["services"]["adhoc"] == {
        "manifest": "copilot/adhoc/manifest.yml",
        "type": "Scheduled Job",
        "kind": {"test": "backend"},
    }


def test_an_unset_variable_in_a_value_the_spec_refuses_names_it(tmp_path: Path) -> None:
    """``api.${CLIENT_DOMAIN}`` is no host name: the import stops and says which --var is missing."""
    code, _, stderr = run(str(FIXTURES / "legacy"), "--output", str(tmp_path / "out"))
    assert code == 2
    assert "[from copilot/api/manifest.yml: http.alias, environment test]" in stderr
    assert "${CLIENT_DOMAIN} is not set: import again with --var CLIENT_DOMAIN=VALUE" in stderr
    assert not (tmp_path / "out").exists()


def break_manifest(workspace: Path, service: str, old: str, new: str) -> None:
    manifest = workspace / "copilot" / service / "manifest.yml"
    text = manifest.read_text()
    assert old in text
    manifest.write_text(text.replace(old, new))


@pytest.mark.parametrize(
    ("service", "old", "new", "message"),
    [
        (
            "frontend",
            "  stickiness: true",
            "  stickyness: true",
            "copilot/frontend/manifest.yml: 1 problem\n  http.stickyness (line 18): unknown key; "
            "did you mean 'stickiness'?",
        ),
        (
            "api",
            "type: Backend Service",
            "type: Backend",
            "copilot/api/manifest.yml: 1 problem\n  type (line 4): unknown workload type 'Backend'",
        ),
        (
            "report",
            'schedule: "0 9 * * 1-5"',
            'schedule: "0 9 1 * 1-5"',
            "copilot/report/manifest.yml (environment dev): 1 problem\n  on.schedule (line 6): on.schedule: "
            "'0 9 1 * 1-5': it restricts both the day of the month and the day of the week",
        ),
        (
            "worker",
            "memory: 512",
            "memory: 600",
            "services.worker.memory: 600 is not a valid Fargate memory for cpu 256; allowed: 512, 1024, 2048 "
            "[from copilot/worker/manifest.yml: memory, environment dev]",
        ),
        (
            "frontend",
            "  port: 8080\n  healthcheck:",
            "  healthcheck:",
            "services.frontend.port: a web service needs the port its main container listens on "
            "[from copilot/frontend/manifest.yml, environment dev]",
        ),
        (
            "worker",
            "  location: 111111111111",
            "  location: ${REGISTRY}",
            "${REGISTRY} is not set: import again with --var REGISTRY=VALUE",
        ),
    ],
)
def test_bad_input_names_the_file_and_key_exits_2_and_writes_nothing(
    tmp_path: Path, service: str, old: str, new: str, message: str
) -> None:
    workspace = copy_workspace(tmp_path)
    break_manifest(workspace, service, old, new)
    code, _, stderr = run(str(workspace), "--output", str(tmp_path / "out"))
    assert code == 2
    assert message in stderr
    assert "Traceback" not in stderr
    assert not (tmp_path / "out").exists()


def test_a_file_the_import_did_not_write_is_never_overwritten(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "dev.yaml").write_text("app: mine\n")
    code, _, stderr = run(str(FIXTURES / "shop"), "--output", str(out))
    assert code == 2
    assert "dev.yaml exists and was not written by this import" in stderr
    assert sorted(p.name for p in out.iterdir()) == ["dev.yaml"]
    assert (out / "dev.yaml").read_text() == "app: mine\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--account", "12345"], "--account '12345': an AWS account id is 12 digits"),
        (["--region", "dev=mars"], "--region 'dev=mars': use an AWS region code"),
        (["--var", "NOVALUE"], "--var 'NOVALUE': expected NAME=VALUE"),
    ],
)
def test_bad_options_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    code, _, stderr = run(str(FIXTURES / "shop"), "--output", str(tmp_path / "out"), *args)
    assert code == 2
    assert message in stderr
    assert not (tmp_path / "out").exists()


def test_a_path_without_a_workspace_exits_2(tmp_path: Path) -> None:
    code, _, stderr = run(str(tmp_path), "--output", str(tmp_path / "out"))
    assert code == 2
    assert "no copilot/.workspace here" in stderr
