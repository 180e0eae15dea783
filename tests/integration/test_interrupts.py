"""SIGTERM (a CI cancellation, `timeout`) and Ctrl-C during a deploy: the CDK CLI's process
group is stopped, the deploy lock (an SSM parameter on the local moto endpoint) released, what
happened printed, and the exit code is 143 (SIGTERM) or 130 (Ctrl-C).

The CDK CLI is replaced by a shell script that sleeps in a child of its own, so the test sees
whether the whole group went; the deployer itself runs unchanged in a separate process.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from deployer.local import endpoint as local_endpoint
from deployer.processes import group_alive
from tests.cli import ROOT
from tests.fakes import local_client
from tests.harness import free_port

pytestmark = pytest.mark.moto

LOCK = "/deployer/shop/local/lock"
FAKE_CDK = """#!/bin/sh
[ "$1" = bootstrap ] && exit 0
echo $$ > "{started}"
sleep 60 &
wait
"""
# The deployer as `python -m deployer`, with the pinned CLI's directory pointed at the fake,
# and Ctrl-C handled as in a terminal's foreground: a suite started in the background
# (`make test &`) passes SIGINT on ignored, and Python then leaves it ignored, as it should.
RUN_DEPLOYER = (
    "import signal; signal.signal(signal.SIGINT, signal.default_int_handler); "
    "import runpy, sys; from pathlib import Path; import deployer.cdk.pinned_cli as cli; "
    "cli.NODE_BIN = Path(sys.argv.pop(1)); runpy.run_module('deployer', run_name='__main__')"
)


@pytest.fixture(scope="module")
def port() -> Iterator[int]:
    chosen = free_port()
    local_endpoint.up(chosen)
    yield chosen
    local_endpoint.down(chosen)


def wait_for(path: Path, seconds: float) -> str:
    deadline = time.monotonic() + seconds
    while not (path.exists() and path.read_text().strip()):
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.1)
    return path.read_text().strip()


@pytest.mark.parametrize(
    ("signum", "code", "said"),
    [(signal.SIGTERM, 143, "terminated (SIGTERM):"), (signal.SIGINT, 130, "interrupted:")],
)
def test_a_signal_during_the_cdk_deploy_stops_its_group_and_releases_the_lock(
    tmp_path: Path, port: int, signum: int, code: int, said: str
) -> None:
    started = tmp_path / "cdk.pid"
    fake = tmp_path / "cdk"
    fake.write_text(FAKE_CDK.format(started=started))
    fake.chmod(0o755)
    deployer = subprocess.Popen(
        [
            sys.executable,
            "-c",
            RUN_DEPLOYER,
            str(tmp_path),
            *("deploy", "--env", "local", "--port", str(port), "--json"),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        cdk_pid = int(wait_for(started, 30))
        ssm = local_client("ssm", port)
        assert json.loads(ssm.get_parameter(Name=LOCK)["Parameter"]["Value"])["command"] == "deploy"
        deployer.send_signal(signum)
        stdout, stderr = deployer.communicate(timeout=20)
    finally:
        deployer.kill()
    assert deployer.returncode == code, stderr
    assert not group_alive(cdk_pid)  # the fake CLI and its `sleep` child
    assert said in stderr and "Traceback" not in stderr
    assert f"the CDK CLI (pid {cdk_pid}) and its process group were stopped" in stderr
    assert "the deploy lock of local was released" in stderr
    assert LOCK not in {p["Name"] for p in ssm.describe_parameters()["Parameters"]}
    failure = json.loads(stdout)["error"]
    assert failure["exit_code"] == code
    assert failure["kind"] == ("terminated" if signum == signal.SIGTERM else "interrupted")
    assert "the deploy lock of local was released" in failure["notes"]


def test_sigterm_while_waiting_for_nothing_special_exits_143(port: int) -> None:
    """Outside the CDK CLI too: `status --watch` stopped by SIGTERM exits 143, not 0 like Ctrl-C."""
    watcher = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "deployer",
            *("status", "--env", "local", "--port", str(port), "--watch", "2", "--json"),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
    )
    try:
        first = watcher.stdout.readline() if watcher.stdout else ""  # one JSON document per line
        assert json.loads(first)["environment"] == "local"
        watcher.send_signal(signal.SIGTERM)
        rest, stderr = watcher.communicate(timeout=20)
    finally:
        watcher.kill()
    assert watcher.returncode == 143, stderr
    assert "terminated (SIGTERM)" in stderr
    assert json.loads(rest.splitlines()[-1])["error"]["exit_code"] == 143  # the stream's last line
