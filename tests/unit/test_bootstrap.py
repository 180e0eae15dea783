"""`deployer bootstrap` (and a deploy into an account that is not bootstrapped) runs
`cdk bootstrap aws://<account>/<region>` without synthesising the app: the CDK CLI synthesises
an app it is given even when the environment is named, only to expand environment globs.
The real CLI bootstrapping the local endpoint this way is tests/e2e (the first deploy)."""

from __future__ import annotations

from typing import Any

import pytest

from config import AppSpec, load_spec
from deployer.aws.session import Clients
from deployer.cdk import deploy


@pytest.mark.parametrize("env", ["dev", "prod"])
def test_bootstrap_names_the_environment_and_no_app(monkeypatch: pytest.MonkeyPatch, env: str) -> None:
    spec = load_spec(env)
    commands: list[list[str]] = []

    def fake_run_cdk(_spec: AppSpec, args: list[str], *_: Any, **__: Any) -> int:
        commands.append(list(args))
        return 0

    monkeypatch.setattr(deploy, "run_cdk", fake_run_cdk)
    assert deploy.bootstrap_environment(Clients(spec)) == 0
    target = f"aws://{spec.environment.account}/{spec.environment.region}"
    assert commands == [["bootstrap", target, "--app", ""]]
