"""Task-definition files through the CLI as users run it: refusals exit 2 naming the file and
the JSON path; in-process synthesis (render) runs jsii on the pinned Node 22 even when the
shell's PATH finds an end-of-life Node first."""

from __future__ import annotations

import json
import os
from pathlib import Path

from tests.cli import run_deployer
from tests.native_fixtures import FIXTURES, ROOT_REASON, write_environment

# Each refused fixture as a service of its own; the one that is ambiguous only for a web service is one.
WEB = 'kind: web\n    http: {paths: ["/*"]}\n'
REFUSED = {
    f"r{index}": (f"refused/{path.name}", WEB if path.name == "two-served-containers.json" else "")
    for index, path in enumerate(sorted((FIXTURES / "refused").iterdir()))
}
PINNED_NODE = Path(__file__).resolve().parents[2] / "node_modules" / ".bin"


def test_every_refused_fixture_exits_2_naming_its_file_and_nothing_else_happens(tmp_path: Path) -> None:
    environments = write_environment(tmp_path, REFUSED)
    result = run_deployer("validate", "--env", "fx", env={"DEPLOYER_ENVIRONMENTS_DIR": str(environments)})
    assert result.code == 2, result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    for service, (file, _) in REFUSED.items():
        assert f"services.{service}.task_definition_file: {Path(file).name}: " in result.stderr, file


def test_render_of_a_native_service_runs_jsii_on_the_pinned_node(tmp_path: Path) -> None:
    environments = write_environment(tmp_path, {"gateway": ("ecspresso-rendered.json", "")})
    without_pinned = os.pathsep.join(
        p for p in os.environ["PATH"].split(os.pathsep) if Path(p) != PINNED_NODE
    )
    result = run_deployer(
        "render",
        "--env",
        "fx",
        "--service",
        "gateway",
        "--image",
        "public.ecr.aws/nginx/nginx:1.28",
        env={"DEPLOYER_ENVIRONMENTS_DIR": str(environments), "PATH": without_pinned},
    )
    assert result.code == 0, result.output
    assert "end-of-life" not in result.stderr and "b'" not in result.stderr
    document = json.loads(result.stdout)
    assert document["family"] == "fx-fx-gateway"
    assert [c["image"] for c in document["containerDefinitions"]] == [
        "public.ecr.aws/nginx/nginx:1.28",  # nginx, the main container: the only one with a port
        "public.ecr.aws/docker/library/debian:bookworm-slim",
    ]


def test_validate_lists_each_file_container_that_runs_as_root_with_its_reason(tmp_path: Path) -> None:
    environments = write_environment(tmp_path, {"sidecars": ("web-with-sidecars.json", "")})
    env = {"DEPLOYER_ENVIRONMENTS_DIR": str(environments)}
    human = run_deployer("validate", "--env", "fx", env=env)
    assert human.code == 0, human.output
    assert f"runs as root: sidecars/log_router: {ROOT_REASON}" in human.stdout
    as_json = run_deployer("validate", "--env", "fx", "--json", env=env)
    assert json.loads(as_json.stdout)["run_as_root"] == [
        {"service": "sidecars", "container": "log_router", "reason": ROOT_REASON}
    ]
