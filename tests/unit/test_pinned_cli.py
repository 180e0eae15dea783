"""The pinned CDK CLI synthesises each environment into its own directory, ``cdk.out/<env>``:
the CLI locks the directory it synthesises into and refuses a second CLI there ("Another CLI
(PID=…) is currently synthing to cdk.out"), so with one shared ``cdk.out`` a deploy of dev and
a deploy, plan or synth of prod from the same checkout could not run at once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from config import load_spec
from deployer.cdk import pinned_cli
from deployer.cdk.pinned_cli import ASSEMBLIES_DIR, output_args, run_cdk

# A stand-in for node_modules/.bin/cdk that records the arguments it was given.
FAKE_CDK = """#!/usr/bin/env python3
import json, sys
with open({record!r}, "a") as out:
    out.write(json.dumps(sys.argv[1:]) + "\\n")
"""


@pytest.fixture
def recorded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    record = tmp_path / "argv.jsonl"
    fake = tmp_path / "cdk"
    fake.write_text(FAKE_CDK.format(record=str(record)))
    fake.chmod(0o755)
    monkeypatch.setattr(pinned_cli, "NODE_BIN", tmp_path)
    return record


def test_each_environment_synthesises_into_its_own_directory(recorded: Path) -> None:
    for env in ("dev", "prod"):
        assert run_cdk(load_spec(env), ["synth", "--quiet"]) == 0
    dev, prod = (json.loads(line) for line in recorded.read_text().splitlines())
    assert dev[dev.index("--output") + 1] == str(ASSEMBLIES_DIR / "dev")
    assert prod[prod.index("--output") + 1] == str(ASSEMBLIES_DIR / "prod")
    assert ASSEMBLIES_DIR == pinned_cli.PROJECT_DIR / "cdk.out"


@pytest.mark.parametrize(
    "args",
    [
        ["synth", "--output", "cdk.out/mine"],
        ["synth", "-o", "elsewhere"],
        ["synth", "--output=elsewhere"],
        ["deploy", "--app", "cdk.out/dev"],  # a synthesised assembly: nothing to synthesise
        ["bootstrap", "--app", ""],
    ],
)
def test_an_output_or_app_the_command_names_is_left_alone(args: list[str]) -> None:
    assert output_args(load_spec("dev"), args) == []


def test_a_local_run_gets_its_directory_and_no_notices(recorded: Path) -> None:
    assert run_cdk(load_spec("local"), ["diff"]) == 0
    [argv] = (json.loads(line) for line in recorded.read_text().splitlines())
    assert argv == ["diff", "--output", str(ASSEMBLIES_DIR / "local"), "--no-notices"]
