"""Image references (Docker reference grammar), EC2 instance types and AWS regions. The
instance-type and region tables must be what botocore ships (scripts/refresh_aws_tables.py)."""

from __future__ import annotations

import botocore.loaders
import botocore.session
import pytest

from config import parse_spec
from config.instance_types import instance_families, instance_type_problem
from config.regions import regions_by_partition
from tests.spec_problems import assert_problem, edited, refused

WEB_IMAGE = "image: public.ecr.aws/nginx/nginx-unprivileged:1.27"
DIGEST = "sha256:" + "4f" * 32


@pytest.mark.parametrize(
    ("image", "fragment"),
    [
        ("public.ecr.aws//nginx:1.27", "a path component is empty ('//', or a '/' at an end)"),
        ("public.ecr.aws/nginx/", "a path component is empty"),
        ("'public.ecr.aws/nginx/nginx:'", "the tag '' is not 1-128 letters, digits"),
        ("public.ecr.aws/nginx/nginx:.hidden", "the tag '.hidden' is not 1-128"),
        (
            "public.ecr.aws/nginx..x/nginx:1",
            "the path component 'nginx..x' is not lowercase letters and digits",
        ),
        ("public.ecr.aws/Nginx/nginx:1", "the repository path 'Nginx' has capitals; it is lowercase"),
        ("nginx@sha256:abc", "the digest 'sha256:abc' is not sha256: and 64 lowercase hex digits"),
        ("-registry.example.com/app:1", "the registry '-registry.example.com' is not a host name"),
        ("'Not An Image'", "is not an image reference"),
        (
            f"registry.example.com/{'a' * 250}:1",
            "an image reference is at most 255 characters (this one has 273)",
        ),
    ],
)
def test_bad_image_references_name_the_wrong_part_and_the_shape(image: str, fragment: str) -> None:
    problem = assert_problem(
        refused(edited("local", WEB_IMAGE, f"image: {image}")), "services.web.image", fragment
    )
    if "255" not in fragment:
        assert "use registry/repository:tag or registry/repository@sha256:<64 hex digits>" in problem.message


@pytest.mark.parametrize(
    "image",
    [
        "nginx",
        "nginx:latest",
        "localhost:5000/team/app:1.0_rc-2",
        "[::1]:5000/app:1",
        "registry.example.com/a__b/c-d---e:v1",
        f"123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop-web@{DIGEST}",
        f"public.ecr.aws/nginx/nginx-unprivileged:1.27@{DIGEST}",
    ],
)
def test_valid_image_references_pass(image: str) -> None:
    assert parse_spec(edited("local", WEB_IMAGE, f"image: '{image}'")).services["web"].image == image


@pytest.mark.parametrize(
    ("types", "path", "fragment"),
    [
        ("[m7g.mediun, m6g.medium]", "[0]", "m7g comes in medium, large, xlarge"),
        ("[m7g.medium, m6x.medium]", "[1]", "no EC2 instance family 'm6x'; did you mean"),
        (
            "[u-12tb1.112xlarge, m6g.medium]",
            "[0]",
            "aws-cdk-lib cannot read this type's name (it takes a family",
        ),
    ],
)
def test_unknown_instance_types_are_refused_with_the_choices(types: str, path: str, fragment: str) -> None:
    text = edited("local", "instance_types: [m7g.medium, m6g.medium]", f"instance_types: {types}")
    assert_problem(refused(text), f"cluster.ec2_capacity.graviton.instance_types{path}", fragment)


def test_an_unknown_region_is_refused_with_the_closest_ones() -> None:
    problem = assert_problem(
        refused(edited("local", "region: us-east-1", "region: us-east-9")),
        "environment.region",
        "'us-east-9' is not an AWS region; did you mean",
    )
    assert "us-east-1" in problem.message


def test_every_instance_type_validate_accepts_is_one_aws_cdk_lib_reads() -> None:
    """The oracle is aws-cdk-lib itself: ec2.InstanceType's architecture, which the capacity
    constructs read, refuses the names it cannot parse (u-12tb1.112xlarge passed validate)."""
    from aws_cdk import aws_ec2 as ec2

    def cdk_reads(name: str) -> bool:
        try:
            ec2.InstanceType(name).architecture  # noqa: B018 - the getter is the check
        except RuntimeError:
            return False
        return True

    names = [f"{family}.{size}" for family, sizes in instance_families().items() for size in sizes]
    accepted = {name for name in names if instance_type_problem(name) is None}
    assert accepted == {name for name in names if cdk_reads(name)}
    assert len(accepted) > 900


def test_the_instance_type_table_is_botocores() -> None:
    enum = botocore.session.get_session().get_service_model("ec2").shape_for("InstanceType").enum
    table = {f"{family}.{size}" for family, sizes in instance_families().items() for size in sizes}
    assert table == set(enum), "run: .venv/bin/python scripts/refresh_aws_tables.py"


def test_the_region_table_is_botocores() -> None:
    partitions = botocore.loaders.Loader().load_data("partitions")["partitions"]
    expected = {p["id"]: sorted(r for r in p["regions"] if not r.endswith("-global")) for p in partitions}
    assert {k: list(v) for k, v in regions_by_partition().items()} == expected, (
        "run: .venv/bin/python scripts/refresh_aws_tables.py"
    )
