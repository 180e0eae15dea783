"""app.py, the path of `cdk synth`/`cdk deploy` and the pipelines: bad context values exit 2
naming the key, and no failure prints a Python traceback."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest

import app as app_module
from config import load_spec
from config.context_checks import context_problems
from tests.harness import make_app

DIGEST = "sha256:" + "ab" * 32
PROD_WEB_FAMILY = "arn:aws:ecs:eu-west-1:222222222222:task-definition/shop-prod-web"


@pytest.mark.parametrize(
    ("images", "pins", "fragment"),
    [
        ({"web": "Nginx:1"}, {}, "-c image.web=Nginx:1: 'Nginx:1' is not an image reference"),
        ({"nope": "nginx:1"}, {}, "-c image.nope=nginx:1: unknown service 'nope'; services: web, worker"),
        ({"web/": f"nginx@{DIGEST}"}, {}, f"-c image.web/=nginx@{DIGEST}: no container name after web/"),
        ({"web": "nginx:1"}, {},
         "-c image.web=nginx:1: 'nginx:1' has no @sha256 digest; this environment requires digests"),
        ({}, {"web": "arn:aws:ecs:eu-west-1:222222222222:task-definition/other:3"},
         "expected a revision of this service's task definition, "
         "arn:aws:ecs:eu-west-1:222222222222:task-definition/shop-prod-web:<revision>"),
        ({}, {"web": f"{PROD_WEB_FAMILY}:0"}, "expected a revision"),
        ({}, {"ghost": f"{PROD_WEB_FAMILY}:3"}, "-c pin.ghost="),
    ],
)  # fmt: skip
def test_bad_context_values_name_their_key(
    images: dict[str, str], pins: dict[str, str], fragment: str
) -> None:
    problems = context_problems(load_spec("prod"), images, pins)
    assert any(fragment in problem for problem in problems), problems


def test_good_context_values_pass() -> None:
    images = {"web": f"registry.example.com/web@{DIGEST}"}
    assert context_problems(load_spec("prod"), images, {"web": f"{PROD_WEB_FAMILY}:12"}) == []


def test_app_exits_2_on_a_bad_context_value_without_a_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    code = app_module.synthesise(make_app(env="prod", **{"image.web": "nginx//x:1"}))
    stderr = capsys.readouterr().err
    assert code == 2
    assert stderr.startswith("error: -c image.web=nginx//x:1:") and "Traceback" not in stderr


def test_app_exits_2_on_a_bad_spec_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "local.yaml").write_text("app: [unclosed\n")
    assert app_module.synthesise(make_app(env="local"), tmp_path) == 2
    stderr = capsys.readouterr().err
    assert "invalid YAML" in stderr and "Traceback" not in stderr


def test_a_synthesis_failure_is_one_paragraph_and_exit_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    cdk_app = make_app(env="local")

    def failing_synth() -> None:
        raise RuntimeError("Validation failed\n    at Object.<anonymous> (node:internal)\nsecond line")

    monkeypatch.setattr(cdk_app, "synth", failing_synth)
    monkeypatch.delenv("DEPLOYER_DEBUG", raising=False)
    assert app_module.synthesise(cdk_app) == 1
    stderr = capsys.readouterr().err
    assert stderr.startswith("internal error: RuntimeError: Validation failed\nsecond line")
    assert "node:internal" not in stderr and "Traceback" not in stderr


def test_a_construct_that_aws_cdk_lib_refuses_is_one_paragraph_and_exit_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """aws-cdk-lib refuses props in the Node.js kernel: jsii raises a RuntimeError while the
    stacks are built, not at synth (it once escaped as a Python traceback)."""

    def refused_by_aws_cdk_lib(*args: Any, **kwargs: Any) -> None:
        cdk.Duration.minutes(-1)  # a real jsii error, with its JavaScript stack

    monkeypatch.setattr(app_module, "build_environment", refused_by_aws_cdk_lib)
    monkeypatch.delenv("DEPLOYER_DEBUG", raising=False)
    assert app_module.synthesise(make_app(env="local")) == 1
    stderr = capsys.readouterr().err
    assert stderr.startswith("internal error: RuntimeError: ") and "negative" in stderr
    assert "Traceback" not in stderr and "    at " not in stderr


def test_app_py_alone_synthesises_with_the_project_context(monkeypatch: pytest.MonkeyPatch) -> None:
    """`python app.py` without the CDK CLI (which passes cdk.json's context) once ended in an
    internal error: the feature flags and lookups were missing. They are the app's default now.
    (Built-in CloudFormation validation is turned off here only to save seconds.)"""
    made: list[cdk.App] = []
    app_class = cdk.App

    def app_without_validation(**props: Any) -> cdk.App:
        made.append(app_class(**props, builtin_cloud_formation_validation=False))
        return made[-1]

    monkeypatch.setattr(cdk, "App", app_without_validation)
    with pytest.raises(SystemExit) as exited:
        app_module.main()
    assert exited.value.code == 0
    [app] = made
    assert app.synth().get_stack_by_name("shop-local-svc-web").template["Resources"]
