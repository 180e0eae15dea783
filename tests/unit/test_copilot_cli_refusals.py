"""``deployer import copilot`` refuses what it would otherwise ignore or crash on: exit 2, a
message naming the option, path or manifest, and nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.test_copilot_cli import FIXTURES, break_manifest, copy_workspace, run

SHOP = str(FIXTURES / "shop")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--account", "prd=222222222222"],
            "--account 'prd=222222222222': the workspace has no environment 'prd'; "
            "its environments: dev, prod",
        ),
        (["--region", "prd=us-west-2"], "--region 'prd=us-west-2': the workspace has no environment 'prd'"),
    ],
)
def test_an_option_naming_an_unknown_environment_exits_2(
    tmp_path: Path, args: list[str], message: str
) -> None:
    code, _, stderr = run(SHOP, "--output", str(tmp_path / "out"), *args)
    assert code == 2, stderr
    assert message in stderr
    assert not (tmp_path / "out").exists()


def test_an_empty_output_exits_2_and_writes_nothing_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # Path("") is the current directory
    code, _, stderr = run(SHOP, "--output", "")
    assert code == 2, stderr
    assert "--output is empty: give the directory for <env>.yaml and MIGRATION.md" in stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["prod.yaml", "MIGRATION.md"])
def test_a_directory_in_the_way_exits_2_and_writes_nothing(tmp_path: Path, name: str) -> None:
    out = tmp_path / "out"
    (out / name).mkdir(parents=True)
    code, _, stderr = run(SHOP, "--output", str(out))
    assert code == 2, stderr
    assert f"{out / name} exists and is not a file; remove it or choose another --output" in stderr
    assert [p.name for p in out.iterdir()] == [name]


def test_an_output_that_is_a_file_exits_2(tmp_path: Path) -> None:
    (tmp_path / "out").write_text("notes\n")
    code, _, stderr = run(SHOP, "--output", str(tmp_path / "out"))
    assert code == 2, stderr
    assert f"--output {tmp_path / 'out'} is not a directory" in stderr


@pytest.mark.parametrize(
    ("new", "message"),
    [
        (
            "memory: 1" + "0" * 4999,
            "line 22: a number of 5000 digits; Copilot reads numbers of at most 20 digits",
        ),
        ("memory: " + "[" * 5000 + "]" * 5000, "nesting is deeper than 64 levels"),
    ],
)
def test_a_hostile_manifest_value_names_the_manifest(tmp_path: Path, new: str, message: str) -> None:
    workspace = copy_workspace(tmp_path)
    break_manifest(workspace, "worker", "memory: 512", new)
    code, _, stderr = run(str(workspace), "--output", str(tmp_path / "out"))
    assert code == 2, stderr
    assert "copilot/worker/manifest.yml" in stderr and message in stderr
    assert "internal error" not in stderr
    assert not (tmp_path / "out").exists()
