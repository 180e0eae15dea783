"""Property-based bad input: mutated valid specs never raise anything but a ``SpecError``
whose every problem names a YAML path; the app exits 2 and writes nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from config import AppSpec, SpecError, parse_spec
from config.loader import ENVIRONMENTS_DIR
from tests.harness import ROOT

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
    copy = yaml.safe_load(yaml.safe_dump(document))
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
    return yaml.safe_dump(mutate(document, path, action, draw(BAD_VALUES)), allow_unicode=True)


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
