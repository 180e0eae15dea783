"""Non-root by default (Security Hub ECS.20, Control Tower CT.ECS.PR.3): every container of every
service names a user that is not root, unless ``run_as_root`` gives the reason."""

from __future__ import annotations

import json

import pytest

from config import parse_spec
from config.user_checks import is_root
from tests.cli import run_deployer
from tests.spec_problems import TEXTS, edited, refused

WORKER_USER = '    user: "65534"                 # nobody\n'
REASON = "the vendor image writes to /root and has no other user (VENDOR-42)"
REQUIRED = (
    "required: a non-root user to run as, e.g. '1000', '1000:1000' or 'app' (an image's default "
    "user is often root); or run_as_root: {reason: …} to run as root"
)


def test_every_shipped_container_names_a_non_root_user() -> None:
    checked = 0
    for env, text in TEXTS.items():
        spec = parse_spec(text, source=f"{env}.yaml")
        for name, service in spec.services.items():
            for container in service.containers(name).values():
                assert container.run_as_root is None
                assert container.user is not None and not is_root(container.user)
                checked += 1
    assert checked >= 8  # main containers and the dev sidecar: the check ran over something


@pytest.mark.parametrize("user", ["root", "0", "root:root", "0:1000"])
def test_root_by_name_or_id_is_refused(user: str) -> None:
    [problem] = refused(edited("local", WORKER_USER, f'    user: "{user}"\n'))
    assert problem.path == "services.worker.user"
    assert problem.message == (
        f"{user!r} is root; use a non-root user, or run_as_root: {{reason: …}} to run as root"
    )


@pytest.mark.parametrize("user", ["1000", "1000:0", "app", "nobody:nogroup", "rootless"])
def test_non_root_users_pass(user: str) -> None:
    spec = parse_spec(edited("local", WORKER_USER, f'    user: "{user}"\n'))
    assert spec.services["worker"].user == user


def test_a_container_without_a_user_is_refused_at_its_path_sidecars_too() -> None:
    text = edited("dev", '        user: "10001"       # the collector image\'s own non-root user\n', "")
    [problem] = refused(text)
    assert (problem.path, problem.message) == ("services.web.sidecars.otel.user", REQUIRED)
    [problem] = refused(edited("local", WORKER_USER, ""))
    assert (problem.path, problem.message) == ("services.worker.user", REQUIRED)


def test_run_as_root_with_a_reason_is_accepted_and_validate_shows_it(tmp_path: object) -> None:
    text = edited("local", WORKER_USER, f"    run_as_root:\n      reason: {REASON}\n")
    spec = parse_spec(text)
    assert spec.services["worker"].run_as_root is not None
    assert spec.services["worker"].run_as_root.reason == REASON


def test_run_as_root_needs_a_real_reason_and_no_non_root_user() -> None:
    [problem] = refused(edited("local", WORKER_USER, "    run_as_root:\n      reason: legacy\n"))
    assert problem.path == "services.worker.run_as_root.reason"
    both = f'    user: "1000"\n    run_as_root:\n      reason: {REASON}\n'
    [problem] = refused(edited("local", WORKER_USER, both))
    assert (problem.path, problem.message) == (
        "services.worker.run_as_root",
        "run_as_root with user '1000', which is not root: remove one of them",
    )


def test_validate_prints_each_root_container_with_its_reason(tmp_path: object) -> None:
    from pathlib import Path

    directory = Path(str(tmp_path))
    tricky = "[legacy] writes to /root; see :secret: arn:aws:secretsmanager:eu-west-1:1:secret:x"
    (directory / "local.yaml").write_text(
        edited("local", WORKER_USER, f'    run_as_root:\n      reason: "{tricky}"\n')
    )
    env = {"DEPLOYER_ENVIRONMENTS_DIR": str(directory)}
    human = run_deployer("validate", "--env", "local", env=env)
    assert human.code == 0, human.output
    assert f"runs as root: worker/worker: {tricky}" in human.stdout  # verbatim: no markup, no emoji
    as_json = run_deployer("validate", "--env", "local", "--json", env=env)
    assert json.loads(as_json.stdout)["run_as_root"] == [
        {"service": "worker", "container": "worker", "reason": tricky}
    ]
