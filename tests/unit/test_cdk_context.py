"""The CDK-context contract: what the deployer writes is what app.py reads back."""

from __future__ import annotations

from pathlib import Path

import pytest

from config.cdk_context import DeployInputs, Release, environments_dir

PIN = "arn:aws:ecs:us-east-1:123456789012:task-definition/dev-web:3"


def test_the_deployer_writes_env_rollback_pins_images_and_release_in_that_order() -> None:
    inputs = DeployInputs(
        env="dev",
        images={"worker": "repo/worker:2", "web": "repo/web:2"},
        rollback_pins={"web": PIN},
        release=Release(version="1.4.2", git_revision="0a1b2c3"),
    )
    assert inputs.context_args() == [
        "-c", "env=dev",
        "-c", f"pin.web={PIN}",
        "-c", "image.web=repo/web:2",
        "-c", "image.worker=repo/worker:2",
        "-c", "release.git_revision=0a1b2c3",
        "-c", "release.version=1.4.2",
    ]  # fmt: skip


def test_what_the_deployer_writes_the_app_reads_back() -> None:
    written = DeployInputs(
        env="prod", images={"web": "repo/web:9"}, rollback_pins={"web": PIN}, release=Release(version="9.0")
    )
    args = written.context_args()
    context = dict(arg.split("=", 1) for arg in args[1::2])
    assert DeployInputs.from_context({**context, "@aws-cdk/core:someFlag": True}) == written


def test_no_context_means_the_local_environment_and_no_release_inputs() -> None:
    assert DeployInputs.from_context({}) == DeployInputs(env="local")
    assert DeployInputs(env="local").context_args() == ["-c", "env=local"]


def test_release_labels_leave_out_empty_fields() -> None:
    assert Release(version="1.2.3", git_revision="").labels() == {"deployer.version": "1.2.3"}
    assert Release.from_context({"release.version": "", "release.git_revision": "abc"}) == Release(
        git_revision="abc"
    )


def test_environments_dir_follows_the_variable(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DEPLOYER_ENVIRONMENTS_DIR", str(tmp_path))
    assert str(environments_dir()) == str(tmp_path)
    monkeypatch.delenv("DEPLOYER_ENVIRONMENTS_DIR")
    assert environments_dir().parts[-2:] == ("config", "environments")
