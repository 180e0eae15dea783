"""The GitHub Actions workflows: actionlint-clean, pinned, OIDC only, in step with config/pipeline.yaml."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from config.pipeline_schema import load_pipeline

ROOT = Path(__file__).resolve().parent.parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
BIN = Path(sys.executable).parent
PIN = re.compile(r"uses: ([\w.-]+/[\w.-]+)@([0-9a-f]{40}) # (v\d+\.\d+\.\d+)$", re.MULTILINE)


def tool(name: str) -> str:
    found = BIN / name if (BIN / name).exists() else shutil.which(name)
    if not found:
        pytest.fail(f"{name} is not installed: pip install -r requirements-dev.txt")
    return str(found)


def actionlint(*files: Path) -> subprocess.CompletedProcess[str]:
    command = [tool("actionlint"), "-no-color", "-shellcheck", tool("shellcheck"), *map(str, files)]
    return subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)


def workflow(name: str) -> dict[str, Any]:
    data = yaml.safe_load((WORKFLOWS / name).read_text())
    data["on"] = data.pop(True)  # YAML 1.1 reads the key `on` as a boolean
    return dict(data)


def runs(job: dict[str, Any]) -> list[str]:
    return [step.get("run", "") for step in job["steps"]]


def step_using(job: dict[str, Any], action: str) -> dict[str, Any]:
    return next(step for step in job["steps"] if step.get("uses", "").startswith(f"{action}@"))


def test_actionlint_passes_on_both_workflows() -> None:
    result = actionlint(WORKFLOWS / "ci.yml", WORKFLOWS / "deploy.yml")
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_passes_with_the_pins_read_as_their_versions(tmp_path: Path) -> None:
    """With tags, actionlint knows each action's inputs and runtime (a node20 action fails)."""
    for name in ("ci.yml", "deploy.yml"):
        text = PIN.sub(lambda m: f"uses: {m[1]}@{m[3]}", (WORKFLOWS / name).read_text())
        assert "@v" in text
        (tmp_path / name).write_text(text)
    result = actionlint(tmp_path / "ci.yml", tmp_path / "deploy.yml")
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: pull_request\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n"
        "      - run: echo ${{ github.event.pull_request.title }}\n"
        "      - uses: actions/checkout@v4\n"
    )
    result = actionlint(broken)
    assert result.returncode == 1
    assert "potentially untrusted" in result.stdout and 'runtime "node20" is deprecated' in result.stdout


def test_every_action_is_pinned_to_a_commit_with_its_version() -> None:
    for name in ("ci.yml", "deploy.yml"):
        lines = [line.strip() for line in (WORKFLOWS / name).read_text().splitlines() if "uses:" in line]
        assert lines and all(PIN.search(line.removeprefix("- ")) for line in lines), lines


def test_ci_lints_and_tests_pull_requests_with_dependency_caches() -> None:
    ci = workflow("ci.yml")
    assert "pull_request" in ci["on"]
    assert ci["permissions"] == {"contents": "read"}
    assert ci["concurrency"]["cancel-in-progress"] is True
    assert "make lint" in runs(ci["jobs"]["lint"]) and "make test" in runs(ci["jobs"]["test"])
    for job in ci["jobs"].values():
        assert step_using(job, "actions/setup-python")["with"]["cache"] == "pip"
        assert step_using(job, "actions/setup-node")["with"]["cache"] == "npm"
        assert step_using(job, "actions/setup-node")["with"]["cache-dependency-path"] == "package-lock.json"


def test_deploy_runs_on_main_through_the_pipeline_environments_in_order() -> None:
    deploy, pipeline = workflow("deploy.yml"), load_pipeline()
    assert deploy["on"]["push"]["branches"] == ["main"]
    assert deploy["concurrency"]["cancel-in-progress"] is False
    names = [stage.environment for stage in pipeline.spec.stages]
    assert [job for job in deploy["jobs"] if job != "synth"] == names
    previous = "synth"
    for name in names:
        job = deploy["jobs"][name]
        assert job["environment"] == name
        assert previous in ([job["needs"]] if isinstance(job["needs"], str) else job["needs"])
        previous = name
    synthesise = next(run for run in runs(deploy["jobs"]["synth"]) if "synth --quiet" in run)
    assert f"for env in {' '.join(names)}; do" in synthesise
    assert '--output "cdk.out/$env"' in synthesise


def test_deploy_assumes_a_role_per_environment_through_oidc_and_holds_no_keys() -> None:
    text = (WORKFLOWS / "deploy.yml").read_text()
    assert not re.search(r"aws-access-key-id|aws-secret-access-key|AWS_SECRET_ACCESS_KEY|secrets\.AWS", text)
    deploy, pipeline = workflow("deploy.yml"), load_pipeline()
    assert deploy["permissions"] == {"contents": "read"}
    for spec in pipeline.environments:
        job = deploy["jobs"][spec.environment.name]
        assert job["permissions"]["id-token"] == "write" and job["permissions"]["contents"] == "read"
        credentials = step_using(job, "aws-actions/configure-aws-credentials")["with"]
        assert (
            credentials["role-to-assume"] == "${{ vars.AWS_DEPLOY_ROLE_ARN }}"
        )  # set per GitHub environment
        assert credentials["aws-region"] == spec.environment.region


def test_each_environment_deploys_the_assembly_it_gated_then_waits() -> None:
    """Synthesise once: the deploy step deploys the gated assembly, never a second synth."""
    deploy = workflow("deploy.yml")
    synth = "\n".join(runs(deploy["jobs"]["synth"]))
    assert "--git-revision" not in synth and "release.git_revision=$GITHUB_SHA" in synth
    for stage in load_pipeline().spec.stages:
        env, job = stage.environment, deploy["jobs"][stage.environment]
        steps = [step.get("uses", "") + step.get("run", "") for step in job["steps"]]

        def index(fragment: str, steps: list[str] = steps) -> int:
            return next(i for i, step in enumerate(steps) if fragment in step)

        credentials = index("aws-actions/configure-aws-credentials@")
        gate = index(f"deployer plan --env {env} --assembly cdk.out/{env}")
        assert index("actions/download-artifact@") < gate and credentials < gate
        deploy_step = index(f"deployer deploy --env {env} --assembly cdk.out/{env}")
        assert gate < deploy_step < index(f"deployer wait --env {env}")
        assert "--image" not in steps[deploy_step] and "--version" not in steps[deploy_step]
        assert f"inputs.allow_replace_{env}" in str(job["steps"][gate]["env"])
        assert f"allow_replace_{env}" in deploy["on"]["workflow_dispatch"]["inputs"]


def test_protected_environments_refuse_to_deploy_without_required_reviewers() -> None:
    deploy = workflow("deploy.yml")
    for stage in load_pipeline().spec.stages:
        job = deploy["jobs"][stage.environment]
        guarded = any(
            f"environments/{stage.environment}" in run and "required_reviewers" in run for run in runs(job)
        )
        assert guarded == stage.requires_approval
        if stage.requires_approval:
            assert job["permissions"]["actions"] == "read"
