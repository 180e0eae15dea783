"""Reading Copilot manifests: YAML 1.2 as Copilot reads it, durations, strict models with
errors at the key's YAML path, and the per-environment overlay."""

from __future__ import annotations

import time
from decimal import Decimal
from pathlib import Path

import pytest

from config.errors import SpecError
from deployer.copilot.durations import DurationError, parse_duration, whole_seconds
from deployer.copilot.names import spec_name
from deployer.copilot.resolve import merge, substitute
from deployer.copilot.workspace import read_workspace
from deployer.copilot.yaml_reader import ManifestSyntaxError, read_yaml


def test_yaml_is_read_as_yaml_1_2_like_copilot() -> None:
    data, lines = read_yaml("on:\n  schedule: '@daily'\nexec: yes\ncpu: 256\nflag: True\nport: 0x1F\n")
    assert data == {"on": {"schedule": "@daily"}, "exec": "yes", "cpu": 256, "flag": True, "port": 31}
    assert lines[("on", "schedule")] == 2


def test_string_maps_keep_the_literal_text_of_their_values() -> None:
    data, _ = read_yaml("variables:\n  SSL: True\n  PORT: 010\n  EMPTY:\n  REF: {from_cfn: x}\n")
    assert data["variables"] == {"SSL": "True", "PORT": "010", "EMPTY": None, "REF": {"from_cfn": "x"}}


def test_a_repeated_key_is_an_error_naming_its_line() -> None:
    with pytest.raises(ManifestSyntaxError, match="line 3: duplicate key 'cpu'"):
        read_yaml("cpu: 256\nmemory: 512\ncpu: 512\n")


def test_an_alias_bomb_is_refused_not_expanded() -> None:
    """The spec reader had a budget for aliases; the manifest reader expanded them (9**9 values)."""
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 10)]
    started = time.process_time()
    with pytest.raises(ManifestSyntaxError, match="aliases expand it to more than 100000 values"):
        read_yaml("\n".join(lines) + "\n")
    assert time.process_time() - started < 5


def test_aliases_and_merges_within_the_budget_still_work() -> None:
    data, _ = read_yaml(
        "base: &base {cpu: 256, memory: 512}\nweb:\n  <<: *base\n  cpu: 512\nlist: [*base, *base]\n"
    )
    assert data["web"] == {"cpu": 512, "memory": 512}
    assert data["list"] == [{"cpu": 256, "memory": 512}] * 2


def test_merge_keys_copy_an_anchor_under_explicit_keys() -> None:
    data, _ = read_yaml("a: &base\n  cpu: 256\n  memory: 512\nb:\n  <<: *base\n  cpu: 1024\n")
    assert data["b"] == {"cpu": 1024, "memory": 512}


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("30s", Decimal(30)),
        ("1h30m", Decimal(5400)),
        ("250ms", Decimal("0.25")),
        ("4d", Decimal(345600)),
        ("0", 0),
    ],
)
def test_durations_are_go_durations(text: str, seconds: Decimal) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["30", "1 h", "", "1y"])
def test_a_duration_needs_units(text: str) -> None:
    with pytest.raises(DurationError):
        parse_duration(text)


def test_whole_seconds_refuses_a_fraction() -> None:
    assert whole_seconds("2m") == 120
    with pytest.raises(DurationError, match="not a whole number of seconds"):
        whole_seconds("1500ms")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("api", "api"),
        ("myManagedEFSVolume", "my-managed-efs-volume"),
        ("tmp_dir", "tmp-dir"),
        ("9lives", "c-9lives"),
    ],
)
def test_copilot_names_become_spec_names(name: str, expected: str) -> None:
    assert spec_name(name) == expected


def test_an_environment_block_merges_maps_and_replaces_the_rest() -> None:
    base = {
        "cpu": 256,
        "count": {"range": "1-10", "cpu_percentage": 70},
        "http": {"path": "/", "alias": ["a"]},
    }
    override = {"count": {"range": "3-12"}, "http": {"alias": ["b"]}, "cpu": None}
    assert merge(base, override) == {
        "cpu": 256,
        "count": {"range": "3-12"},
        "http": {"path": "/", "alias": ["b"]},
    }


def test_an_image_location_in_an_environment_block_replaces_the_build() -> None:
    merged = merge({"image": {"build": "Dockerfile", "port": 80}}, {"image": {"location": "nginx:1"}})
    assert merged == {"image": {"port": 80, "location": "nginx:1"}}


def test_variables_are_substituted_in_values_and_the_unknown_ones_reported() -> None:
    unresolved: set[str] = set()
    data = {"a": "${APP}-${ENV}", "b": ["\\${APP}", "${MISSING}"], "${APP}": 1}
    result = substitute(data, {"APP": "shop", "ENV": "dev"}, unresolved)
    assert result == {"a": "shop-dev", "b": ["${APP}", "${MISSING}"], "${APP}": 1}
    assert unresolved == {"MISSING"}


def workspace_with(tmp_path: Path, manifest: str, name: str = "web") -> Path:
    (tmp_path / "copilot" / "environments" / "test").mkdir(parents=True)
    (tmp_path / "copilot" / ".workspace").write_text("application: shop\n")
    (tmp_path / "copilot" / "environments" / "test" / "manifest.yml").write_text(
        "name: test\ntype: Environment\n"
    )
    (tmp_path / "copilot" / name).mkdir()
    (tmp_path / "copilot" / name / "manifest.yml").write_text(manifest)
    return tmp_path


def problems(tmp_path: Path, manifest: str) -> list[str]:
    with pytest.raises(SpecError) as caught:
        read_workspace(workspace_with(tmp_path, manifest))
    assert caught.value.source == "copilot/web/manifest.yml"
    return [str(problem) for problem in caught.value.problems]


def test_an_unknown_key_is_named_with_its_path_line_and_the_allowed_keys(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        "name: web\ntype: Load Balanced Web Service\nimage:\n  location: nginx\n  port: 80\n"
        "http:\n  path: /\n  healthcheck:\n    path: /health\n    intervall: 10s\n",
    )
    assert found == [
        "http.healthcheck.intervall (line 10): unknown key; did you mean 'interval'? allowed: path, port, "
        "success_codes, healthy_threshold, unhealthy_threshold, interval, timeout, grace_period"
    ]


def test_an_unknown_key_in_an_environment_block_is_named_there(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        "name: web\ntype: Backend Service\nimage:\n  location: nginx\n"
        "environments:\n  test:\n    cpus: 512\n",
    )
    assert len(found) == 1
    assert found[0].startswith("environments.test.cpus (line 7): unknown key; did you mean 'cpu'?")


def test_camel_case_keys_are_listed_as_copilot_spells_them(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        "name: web\ntype: Worker Service\nimage:\n  location: nginx\nlogging:\n  enable_metadata: true\n",
    )
    assert "did you mean 'enableMetadata'?" in found[0]
    assert found[0].startswith("logging.enable_metadata (line 6)")


def test_a_wrong_short_form_is_named_at_the_field(tmp_path: Path) -> None:
    found = problems(
        tmp_path, "name: web\ntype: Load Balanced Web Service\nimage:\n  location: nginx\ncount: three\n"
    )
    assert found == [
        "count (line 5): Input should be a valid integer, unable to parse string as an integer (got 'three')"
    ]


def test_a_duration_without_a_unit_is_an_error(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        "name: web\ntype: Load Balanced Web Service\nimage:\n  location: nginx\n"
        "http:\n  deregistration_delay: 30\n",
    )
    assert found == ["http.deregistration_delay (line 6): 30 has no unit; write it as e.g. 30s"]


def test_an_unknown_type_names_the_copilot_types(tmp_path: Path) -> None:
    found = problems(tmp_path, "name: web\ntype: Load Balanced Service\n")
    assert found[0].startswith(
        "type (line 2): unknown workload type 'Load Balanced Service'; Copilot's types: "
    )


def test_a_manifest_without_a_type_says_so(tmp_path: Path) -> None:
    """It said "unknown workload type None"."""
    found = problems(tmp_path, "name: web\nimage:\n  location: nginx\n")
    assert found[0].startswith(
        "type (line 1): no workload type; Copilot's types: Load Balanced Web Service, "
    )


def test_a_workspace_needs_copilot_workspace(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match=r"no copilot/\.workspace here"):
        read_workspace(tmp_path)
