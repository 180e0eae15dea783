"""Property-based bad input: mutated valid specs never raise anything but a ``SpecError``
whose every problem names a YAML path; the app exits 2 and writes nothing; and a spec that
validates synthesises through app.py with no traceback and no cfn-lint error."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import tempfile
from copy import deepcopy
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import app as app_module
from config import AppSpec, SpecError, parse_spec
from config.loader import ENVIRONMENTS_DIR
from tests.cfn_lint_rules import lint_template
from tests.harness import ROOT, cdk_context
from tests.yaml_text import yaml_text

VALID = {
    env: yaml.safe_load((ENVIRONMENTS_DIR / f"{env}.yaml").read_text()) for env in ("local", "dev", "prod")
}

BAD_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.text(alphabet="日本語🚀\u0000\u202e", min_size=1, max_size=5),
    st.just("arn:aws:iam::not-an-account:role/x"),
    st.just("x" * 5000),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


def paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += paths(value, (*prefix, index))
    return found


def mutate(document: Any, path: tuple[Any, ...], action: str, value: Any) -> Any:
    copy = deepcopy(document)
    parent = copy
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    if action == "replace":
        parent[last] = value
    elif action == "delete" and isinstance(parent, dict):
        del parent[last]
    elif action == "unknown_key" and isinstance(parent, dict):
        parent[f"{last}_typo"] = value
    return copy


@st.composite
def mutated_specs(draw: st.DrawFn) -> str:
    env = draw(st.sampled_from(sorted(VALID)))
    document = VALID[env]
    path = draw(st.sampled_from(paths(document)))
    action = draw(st.sampled_from(["replace", "replace", "delete", "unknown_key"]))
    return yaml_text(mutate(document, path, action, draw(BAD_VALUES)), allow_unicode=True)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_specs())
def test_mutated_specs_fail_only_with_yaml_paths(text: str) -> None:
    try:
        spec = parse_spec(text, source="mutated.yaml")
    except SpecError as error:
        assert error.problems
        assert all(problem.path for problem in error.problems), str(error)
        assert "Traceback" not in str(error)
    else:
        assert isinstance(spec, AppSpec)  # some mutations stay valid (e.g. a new optional value)


def test_app_exits_2_and_writes_nothing_on_a_bad_spec(tmp_path: Path) -> None:
    environments = tmp_path / "environments"
    environments.mkdir()
    (environments / "local.yaml").write_text(
        (ENVIRONMENTS_DIR / "local.yaml").read_text().replace("cpu: 256", "cpu: lots", 1)
    )
    outdir = tmp_path / "cdk.out"
    environment = {**os.environ, "DEPLOYER_ENVIRONMENTS_DIR": str(environments), "CDK_OUTDIR": str(outdir)}
    completed = subprocess.run(
        [sys.executable, "app.py"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert completed.returncode == 2
    assert "services.web.cpu" in completed.stderr and "Traceback" not in completed.stderr
    assert not outdir.exists() or not any(outdir.iterdir())


# Realistic edits of the shipped files, each with choices that are valid and choices that are
# not: (env, text to replace, replacements).
DIGEST = "sha256:" + "0f" * 32
EDITS: list[tuple[str, str, tuple[str, ...]]] = [
    ("local", "expression: cron(0 3 * * ? *)", (
        "expression: cron(0 3 * * *)", "expression: rate(15 minutes)", "expression: rate(1 minutes)",
        "expression: cron(0/30 8-18 ? * MON-FRI *)", "expression: cron(0 3 L * ? *)\n      timezone: Europe/Paris",
        "expression: cron(0 3 * * ? *)\n      timezone: Europe/Londn")),
    ("local", 'paths: ["/*"]', ('paths: ["/api/*", "/v1/*"]', 'paths: ["/a b/*"]', 'paths: ["/static/*.css"]')),
    ("local", "        path: /\n", (
        '        path: /\n        success_codes: "200,302"\n', '        path: /\n        success_codes: "600"\n',
        "        path: /health\n        interval_seconds: 10\n        timeout_seconds: 9\n",
        "        path: /\n        interval_seconds: 5\n        timeout_seconds: 5\n")),
    ("local", "    desired_count: 2", (
        "    desired_count: 2\n    architecture: arm64", "    desired_count: yes", "    desired_count: 0")),
    ("local", "image: public.ecr.aws/nginx/nginx-unprivileged:1.27", (
        "image: public.ecr.aws//nginx:1.27", "image: localhost:5000/shop/web:2",
        f"image: public.ecr.aws/nginx/nginx-unprivileged:1.27@{DIGEST}", "image: 'public.ecr.aws/nginx/nginx:'")),
    ("local", "instance_types: [m7g.medium, m6g.medium]", (
        "instance_types: [c7g.large, r7g.medium]", "instance_types: [m7g.mediun]")),
    ("local", "  max_azs: 2\n", ("  cidr: 10.1.0.0/18\n  max_azs: 2\n", "  cidr: 10.1.0.0/20\n  max_azs: 2\n")),
    ("local", "    writable_paths: [/tmp, /var/cache/nginx, /var/run]   # read-only root, writable scratch", (
        "    writable_paths: [/tmp, /var/run]", "    writable_paths: [/tmp, /tmp]")),
    ("local", "      LOG_LEVEL: info", (
        f"      LOG_LEVEL: info\n      BANNER: {'x' * 4000}", f"      LOG_LEVEL: info\n      BLOB: {'x' * 70000}")),
    ("prod", "hosts: [shop.example.com]", (
        'hosts: ["*.example.com"]', "hosts: [shop..example.com]", "hosts: [shop.example.co.uk, api.example.com]")),
    ("prod", "parameter: /shop/prod/stripe-api-key", (
        "parameter: arn:aws:ssm:eu-west-1:222222222222:parameter/shop/prod/stripe-api-key",
        "parameter: arn:aws:ssm:us-east-1:222222222222:parameter/shop/prod/stripe-api-key")),
    ("prod", "  deletion_protection: true", (
        "  deletion_protection: true\n  test_listener_port: 8443", "  deletion_protection: true\n  test_listener_port: 443")),
    ("prod", "      max_count: 20\n", (
        "      max_count: 20\n    logging: firelens\n", "      max_count: 20\n    ephemeral_storage_gib: 30\n")),
]  # fmt: skip


@st.composite
def edited_specs(draw: st.DrawFn) -> tuple[str, str]:
    """(env, text) with one to three realistic edits of one shipped file."""
    env = draw(st.sampled_from(["local", "prod"]))
    edits = [edit for edit in EDITS if edit[0] == env]
    text = VALID_TEXT[env]
    for _, old, choices in draw(st.lists(st.sampled_from(edits), min_size=1, max_size=3, unique=True)):
        text = text.replace(old, draw(st.sampled_from(choices)), 1)
    return env, text


VALID_TEXT = {env: (ENVIRONMENTS_DIR / f"{env}.yaml").read_text() for env in ("local", "prod")}


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edited_specs())
def test_realistic_edits_fail_only_with_yaml_paths(edit: tuple[str, str]) -> None:
    try:
        parse_spec(edit[1], source=f"{edit[0]}.yaml")
    except SpecError as error:
        assert all(problem.path and problem.line for problem in error.problems), str(error)


@settings(max_examples=3, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(edited_specs().filter(lambda edit: _valid(edit[1])))
def test_specs_that_validate_synthesise_through_app_py_and_lint_clean(edit: tuple[str, str]) -> None:
    """ "Valid" means deployable: what validate accepts, app.py synthesises with no traceback,
    and cfn-lint finds no error in the templates (3 examples: a synthesis takes seconds)."""
    env, text = edit
    with tempfile.TemporaryDirectory() as directory:
        environments, outdir = Path(directory, "environments"), Path(directory, "cdk.out")
        environments.mkdir()
        (environments / f"{env}.yaml").write_text(text)
        app = cdk.App(
            context={**cdk_context(), "env": env},
            outdir=str(outdir),
            builtin_cloud_formation_validation=False,
        )
        stderr = io.StringIO()
        with contextlib.redirect_stderr(stderr):
            code = app_module.synthesise(app, environments)
        assert code == 0 and "Traceback" not in stderr.getvalue(), stderr.getvalue()
        region = parse_spec(text).environment.region
        errors = [
            f"{template.name}: {match.rule.id} {match.message}"
            for template in sorted(outdir.glob("*.template.json"))
            for match in lint_template(template.read_text(), region)
            if match.rule.id.startswith("E")
        ]
        assert errors == []


def _valid(text: str) -> bool:
    try:
        parse_spec(text)
    except SpecError:
        return False
    return True


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=200), st.binary(max_size=200).map(lambda b: b.decode("latin-1"))))
def test_any_text_is_a_spec_or_a_spec_error(text: str) -> None:
    try:
        parse_spec(text, source="random.yaml")
    except SpecError as error:
        assert error.problems and "Traceback" not in str(error)
