"""The --json contract: on a failure, stdout is one JSON document with the exit code and the
problems (path, line, message); stderr stays human. Every command the README lists with
--json is run on a bad spec or a bad argument, in process (typer's CliRunner), except the
usage errors, which need the process entry point (``deployer.commands.process.run``).
"""

from __future__ import annotations

import json
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from config.loader import ENVIRONMENTS_DIR
from deployer.commands import process

BAD_CPU = ("    cpu: 256\n    memory: 512\n    port", "    cpu: 300\n    memory: 512\n    port")

# Every command the README's CLI reference lists with --json (bootstrap and cdk pass through).
SPEC_COMMANDS = [
    ["validate"],
    ["deploy"],
    ["wait"],
    ["history", "web"],
    ["rollback", "web"],
    ["prune", "web"],
    ["cost"],
    ["diagram"],
    ["plan"],
    ["run", "web"],
    ["verify"],
    ["unlock"],
    ["diff", "web"],
    ["render", "--service", "web"],
    ["status"],
    ["destroy", "--yes"],
]


@pytest.fixture(scope="module")
def bad_environments(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    """A copy of local.yaml with cpu 300 for web; returns the directory and that line's number."""
    text = (ENVIRONMENTS_DIR / "local.yaml").read_text()
    assert BAD_CPU[0] in text
    broken = text.replace(*BAD_CPU, 1)
    directory = tmp_path_factory.mktemp("environments")
    (directory / "local.yaml").write_text(broken)
    line = next(n for n, text in enumerate(broken.splitlines(), 1) if text == "    cpu: 300")
    return directory, line


def invoke(args: list[str], env: dict[str, str] | None = None) -> tuple[int, Any, str]:
    from deployer.cli import app

    result = CliRunner().invoke(app, args, env={"COLUMNS": "200", **(env or {})})
    return result.exit_code, json.loads(result.stdout), result.stderr


@pytest.mark.parametrize("command", SPEC_COMMANDS, ids=lambda c: c[0])
def test_a_bad_spec_is_one_json_document_on_stdout(
    command: list[str], bad_environments: tuple[Path, int]
) -> None:
    directory, line = bad_environments
    code, document, stderr = invoke(
        [*command, "--env", "local", "--json"], {"DEPLOYER_ENVIRONMENTS_DIR": str(directory)}
    )
    assert code == 2
    failure = document["error"]
    assert failure["exit_code"] == 2 and failure["kind"] == "bad_input"
    assert [(p["path"], p["line"]) for p in failure["problems"]] == [("services.web.cpu", line)]
    assert failure["problems"][0]["source"] == str(directory / "local.yaml")
    assert "300 is not a valid Fargate CPU" in failure["problems"][0]["message"]
    assert f"services.web.cpu (line {line}): 300 is not a valid Fargate CPU" in stderr  # still human


@pytest.mark.parametrize("command", [["up"], ["down"], ["status"]], ids=lambda c: c[0])
@pytest.mark.parametrize("port", ["abc", "0", "65536"])
def test_a_bad_local_port_variable_is_exit_2(command: list[str], port: str) -> None:
    code, document, stderr = invoke(["local", *command, "--json"], {"DEPLOYER_LOCAL_PORT": port})
    assert code == 2
    assert document["error"]["problems"][0]["message"] == (
        f"$DEPLOYER_LOCAL_PORT {port!r}: expected a port number, 1-65535"
    )
    assert "Traceback" not in stderr


def test_import_copilot_bad_argument_is_json(tmp_path: Path) -> None:
    code, document, _ = invoke(
        ["import", "copilot", str(tmp_path), "--output", str(tmp_path / "out"), "--json"]
    )
    assert code == 2
    assert "no copilot/.workspace here" in document["error"]["message"]


def test_wait_on_a_local_target_prints_json() -> None:
    code, document, _ = invoke(["wait", "--env", "local", "--json"])
    assert code == 0
    assert [(v["service"], v["outcome"]) for v in document] == [
        ("web", "not judged"),
        ("api", "not judged"),
        ("worker", "not judged"),
    ]


@pytest.fixture
def entry_point() -> Iterator[None]:
    """``process.run`` installs a SIGTERM handler; give the test process its own back."""
    previous = signal.getsignal(signal.SIGTERM)
    yield
    signal.signal(signal.SIGTERM, previous)


@pytest.mark.usefixtures("entry_point")
@pytest.mark.parametrize(
    ("args", "path"),
    [
        (["status", "--env", "local", "--port", "abc", "--json"], "--port"),
        (["wait", "--env", "local", "--timeout", "5", "--json"], "--timeout"),
        (["schema", "--bogus", "--json"], None),
    ],
)
def test_a_usage_error_is_json_too(
    args: list[str], path: str | None, capsys: pytest.CaptureFixture[str]
) -> None:
    from deployer.cli import app

    with pytest.raises(SystemExit) as exited:
        process.run(app, args)
    assert exited.value.code == 2
    captured = capsys.readouterr()
    failure = json.loads(captured.out)["error"]
    assert failure["exit_code"] == 2 and failure["kind"] == "usage"
    assert failure["problems"][0]["path"] == path
    assert "Usage:" in captured.err  # typer's own message, unchanged


@pytest.mark.usefixtures("entry_point")
def test_without_json_a_usage_error_leaves_stdout_empty(capsys: pytest.CaptureFixture[str]) -> None:
    from deployer.cli import app

    with pytest.raises(SystemExit) as exited:
        process.run(app, ["validate", "--bogus", "--", "--json"])  # --json after -- is not ours
    assert exited.value.code == 2
    assert capsys.readouterr().out == ""


def test_every_command_takes_json_but_the_cdk_pass_throughs() -> None:
    """The README: every command takes --json; bootstrap and cdk pass through to the CDK CLI."""
    import typer

    from deployer.cli import app

    def leaves(group: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
        for name, command in group.commands.items():
            if hasattr(command, "commands"):
                yield from leaves(command, f"{prefix}{name} ")
            else:
                yield f"{prefix}{name}", command

    without = [
        name
        for name, command in leaves(typer.main.get_command(app))
        if not any("--json" in param.opts for param in command.params)
    ]
    assert without == ["bootstrap", "cdk"]
