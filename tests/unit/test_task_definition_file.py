"""`services.<name>.task_definition_file`: an existing native JSON file drives the task."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from config import SpecError, load_spec
from config.loader import ENVIRONMENTS_DIR
from constructs_lib.native_json import from_cloudformation
from stacks.app_builder import build_environment
from tests.harness import make_app, resources_of_type

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "task_definitions" / "web-with-sidecars.json"
WORKER = "    kind: worker                  # consumes its own SQS queue, scaled on backlog per task\n"
WORKER += "    image: public.ecr.aws/docker/library/busybox:1.37\n    cpu: 256\n    memory: 512\n"


def environments(tmp_path: Path, worker_lines: str) -> Path:
    directory = tmp_path / "environments"
    directory.mkdir()
    shutil.copy(FIXTURE, tmp_path / "web.json")
    text = (ENVIRONMENTS_DIR / "local.yaml").read_text()
    assert WORKER in text
    graviton = "    capacity:\n      - provider: graviton\n        weight: 1\n"
    assert graviton in text  # the file asks for Fargate: the worker runs on the default capacity
    text = text.replace(WORKER, "    kind: worker\n" + worker_lines, 1).replace(graviton, "", 1)
    text = text.replace('    user: "65534"                 # nobody\n', "", 1)  # the file says who runs
    (directory / "local.yaml").write_text(text)
    return directory


def test_file_becomes_the_task_definition_and_image_input_still_applies(tmp_path: Path) -> None:
    root = (
        '    run_as_root_containers: {log_router: {reason: "FireLens must run as root: ECS requires it"}}\n'
    )
    spec = load_spec("local", environments(tmp_path, "    task_definition_file: web.json\n" + root))
    app = make_app()
    build_environment(app, spec, images={"worker": "public.ecr.aws/nginx/nginx:1.28"})
    template = app.synth().get_stack_by_name("shop-local-svc-worker").template
    [task] = resources_of_type(template, "AWS::ECS::TaskDefinition").values()
    native = from_cloudformation(task["Properties"])
    assert native["family"] == "shop-local-worker"  # the file's shop-web, renamed for this environment
    assert [c["name"] for c in native["containerDefinitions"]] == ["web", "envoy", "log_router"]
    # --image worker=… replaces the main container: the only one with a port mapping
    assert native["containerDefinitions"][0]["image"] == "public.ecr.aws/nginx/nginx:1.28"
    assert task["UpdateReplacePolicy"] == "Retain"


@pytest.mark.parametrize(
    ("lines", "fragment"),
    [
        ("    task_definition_file: missing.json\n", "no such file"),
        (
            "    task_definition_file: web.json\n    image: x/y:1\n",
            "replaces the container keys; remove: image",
        ),
    ],
)
def test_bad_file_references_name_the_yaml_path(tmp_path: Path, lines: str, fragment: str) -> None:
    with pytest.raises(SpecError) as caught:
        load_spec("local", environments(tmp_path, lines))
    assert any(p.path.startswith("services.worker") and fragment in p.message for p in caught.value.problems)


def test_unrepresentable_file_is_a_spec_error(tmp_path: Path) -> None:
    directory = environments(tmp_path, "    task_definition_file: web.json\n")
    (tmp_path / "web.json").write_text(
        (tmp_path / "web.json").read_text().replace('"family"', '"maxSwap": 1, "family"')
    )
    with pytest.raises(
        SpecError, match=r"services\.worker\.task_definition_file: web\.json: maxSwap: unknown field"
    ):
        load_spec("local", directory)


@pytest.mark.parametrize(
    ("old", "new", "fragment"),
    [
        ('"startPeriod": 15', '"startPeriod": NaN', "not valid JSON: JSON has no NaN or Infinity (got NaN)"),
        ('"startPeriod": 15', '"startPeriod": 1e999', "JSON has no NaN or Infinity: 1e999 is past"),
        ('"cpu": "1024"', '"cpu": "1024", "x": ' + "[" * 60000 + "]" * 60000, "nesting is deeper than 64"),
    ],
)
def test_json_python_reads_but_aws_does_not_is_refused(
    tmp_path: Path, old: str, new: str, fragment: str
) -> None:
    directory = environments(tmp_path, "    task_definition_file: web.json\n")
    text = (tmp_path / "web.json").read_text()
    assert old in text
    (tmp_path / "web.json").write_text(text.replace(old, new, 1))
    with pytest.raises(SpecError) as caught:
        load_spec("local", directory)
    assert any(fragment in p.message for p in caught.value.problems), caught.value.problems
