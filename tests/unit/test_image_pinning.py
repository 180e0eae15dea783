"""Image references an environment deploys (config/image_pinning.py): on ``target: aws`` no
``:latest``, written or implied, since a rollback would run whatever the tag names then; digests
where ``require_image_digests`` says so; anything on ``local``. Held wherever an image is
written: a service's containers, a Batch job, a task definition file, ``--image``, an import."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from config import parse_spec
from config.context_checks import context_problems
from config.image_pinning import ImagePinning
from config.task_definition_files import read_task_definition
from deployer.copilot.importer import import_workspace
from deployer.copilot.settings import Settings
from tests.native_fixtures import CAPACITY_SPEC_TEXT, FIXTURES
from tests.spec_problems import TEXTS, assert_problem, edited, refused

DIGEST = "sha256:" + "ab" * 32
AWS = ImagePinning(refuse_latest=True)
ECR = "111111111111.dkr.ecr.eu-west-1.amazonaws.com"


@pytest.mark.parametrize(
    ("reference", "said"),
    [
        ("nginx", "'nginx' has no tag, so ECS pulls :latest"),
        ("nginx:latest", "'nginx:latest' names :latest"),
        ("public.ecr.aws/nginx/nginx:latest", "give a version tag (public.ecr.aws/nginx/nginx:1.2.3)"),
        # A registry's port is not a tag: this reference has none.
        ("localhost:5000/app", "give a version tag (localhost:5000/app:1.2.3)"),
        (f"{ECR}/shop-web", "a rollback to this revision would run whatever :latest is then"),
    ],
)
def test_latest_written_or_implied_is_refused_on_aws(reference: str, said: str) -> None:
    problem = AWS.problem(reference)
    assert problem is not None and said in problem, problem
    assert ImagePinning().problem(reference) is None  # local: the endpoint runs no container


@pytest.mark.parametrize(
    "reference",
    [
        "nginx:1.27",
        "localhost:5000/app:2.0",
        "lacework/datacollector:latest-sidecar",  # a tag of its own, from a real Copilot manifest
        "nginx:Latest",  # tags are case-sensitive: not Docker's default
        f"nginx@{DIGEST}",
        f"nginx:latest@{DIGEST}",  # the digest is what runs
    ],
)
def test_a_version_tag_or_a_digest_is_deployed_on_aws(reference: str) -> None:
    assert AWS.problem(reference) is None


def test_where_digests_are_required_a_tag_is_not_enough() -> None:
    required = ImagePinning(require_digests=True, refuse_latest=True)
    assert (
        required.problem("nginx:1.27")
        == "'nginx:1.27' has no @sha256 digest; this environment requires digests"
    )
    assert required.problem("nginx:latest") == (
        "'nginx:latest' has no @sha256 digest; this environment requires digests"
    )
    assert required.problem(f"nginx@{DIGEST}") is None


@pytest.mark.parametrize(
    ("old", "new", "path"),
    [
        (f"{ECR}/shop-web:1.4.2", f"{ECR}/shop-web:latest", "services.web.image"),
        (
            "aws-otel-collector:v0.43.1",
            "aws-otel-collector",
            "services.web.sidecars.otel.image",
        ),
        (f"{ECR}/shop-reports:2.0.0", f"{ECR}/shop-reports:latest", "batch.jobs.monthly-report.image"),
    ],
)
def test_validate_refuses_latest_at_its_path_on_an_aws_environment(old: str, new: str, path: str) -> None:
    assert_problem(refused(edited("dev", old, new)), path, "a tag every push moves")


def test_a_local_environment_takes_latest() -> None:
    spec = parse_spec(edited("local", "nginx-unprivileged:1.27", "nginx-unprivileged:latest"))
    assert spec.services["web"].image.endswith(":latest")


def test_a_task_definition_file_on_aws_is_held_to_the_same_rule(tmp_path: Path) -> None:
    document = json.loads((FIXTURES / "web-with-sidecars.json").read_text())
    document["containerDefinitions"][1]["image"] = "public.ecr.aws/nginx/nginx"
    (tmp_path / "x.json").write_text(json.dumps(document))
    aws_text = CAPACITY_SPEC_TEXT.replace("target: local}", "target: aws}")
    spec = parse_spec(aws_text.replace("  web: {kind: web, task_definition_file: x.json}\n", ""))  # no HTTPS
    _, found = read_task_definition(tmp_path / "x.json", spec, "fargate")
    assert [
        (p.path, "has no tag, so ECS pulls :latest" in p.message) for p in found if "latest" in p.message
    ] == [("containerDefinitions[1].image", True)]
    local = parse_spec(CAPACITY_SPEC_TEXT)
    assert not [
        p for p in read_task_definition(tmp_path / "x.json", local, "fargate")[1] if "latest" in p.message
    ]


def test_a_release_image_is_held_to_the_rule_of_its_environment() -> None:
    dev = parse_spec(TEXTS["dev"])
    [problem] = context_problems(dev, {"web": f"{ECR}/shop-web:latest"}, {})
    assert problem.startswith(f"-c image.web={ECR}/shop-web:latest: '{ECR}/shop-web:latest' names :latest")
    assert context_problems(dev, {"web": f"{ECR}/shop-web:1.5.0"}, {}) == []


def test_an_imported_latest_image_becomes_a_placeholder_and_a_step(tmp_path: Path) -> None:
    """Every import is for `target: aws`: Copilot's `location: …:latest` cannot be deployed as it is."""
    workspace = tmp_path / "shop"
    shutil.copytree(Path(__file__).parent.parent / "fixtures" / "copilot" / "shop", workspace)
    manifest = workspace / "copilot" / "worker" / "manifest.yml"
    manifest.write_text(manifest.read_text().replace("shop/worker:1.4.2", "shop/worker:latest"))
    result = import_workspace(workspace, Settings())
    dev = parse_spec(result.files["dev.yaml"])
    assert dev.services["worker"].image == f"{ECR}/shop/worker:replace-me"
    steps = [s["step"] for s in result.report.manual_steps()]
    assert (
        f"choose the version of {ECR}/shop/worker to run, then deploy with --image "
        f"worker={ECR}/shop/worker:<tag>, or put that reference in the spec"
    ) in steps
