"""VPC sizes, SSM secrets by name or ARN, and a plain-words shape for every pattern."""

from __future__ import annotations

import json
from typing import Any

import aws_cdk as cdk
import pytest

from config import parse_spec
from config.container_schema import SecretRef
from config.errors import PATTERN_EXPLAINERS
from config.json_schema import spec_json_schema
from config.patterns import PATTERN_HINTS
from config.permissions_schema import PARAMETER_REFERENCE, SHAPES
from stacks.containers_from_spec import _secret
from tests.harness import make_app
from tests.spec_problems import assert_problem, edited, refused

PARAMETER_ARN = "arn:aws:ssm:eu-west-1:222222222222:parameter/shop/prod/stripe-api-key"


@pytest.mark.parametrize(
    ("network", "fragment"),
    [
        ("  cidr: 10.0.0.0/19\n  max_azs: 2\n", "a /19 VPC holds the subnets of 1 AZs, not max_azs 2"),
        ("  cidr: 10.0.0.0/24\n  max_azs: 1\n", "a /24 VPC holds the subnets of 0 AZs"),
        ("  cidr: 10.0.0.0/18\n  max_azs: 4\n", "a /18 VPC holds the subnets of 3 AZs"),
        ("  cidr: 127.0.0.0/16\n  max_azs: 2\n", "127.0.0.0/16 is a reserved range (loopback, link-local"),
        ("  cidr: 10.0.0.0/15\n  max_azs: 2\n", "a VPC block is /16 at the largest"),
    ],
)
def test_vpc_blocks_that_cannot_hold_the_subnets_are_refused(network: str, fragment: str) -> None:
    text = edited("local", "  max_azs: 2\n", network)
    assert_problem(refused(text), "network.cidr", fragment)


ONE_AZ_WITHOUT_WEB = """
app: rx
environment: {name: rx, account: "123456789012", region: us-east-1, target: local}
network: {cidr: 10.0.0.0/19, max_azs: 1, nat_gateways: 1}
services:
  worker: {kind: worker, image: public.ecr.aws/nginx/nginx:1.27, user: "101"}
"""


def test_one_az_serves_no_load_balancer() -> None:
    """An Application Load Balancer needs two AZs: max_azs 1 synthesised, and CDK's
    CloudFormation validation then refused the load balancer's single subnet."""
    text = edited("local", "  max_azs: 2\n", "  cidr: 10.0.0.0/19\n  max_azs: 1\n")
    [problem] = refused(text)
    assert (problem.path, problem.message) == (
        "network.max_azs",
        "the web services' load balancer needs subnets in at least 2 AZs "
        "(AWS's rule for an Application Load Balancer); set max_azs: 2 or more",
    )
    assert parse_spec(ONE_AZ_WITHOUT_WEB).network.max_azs == 1  # no web service: one AZ is fine


@pytest.mark.parametrize(("cidr", "azs"), [("10.0.0.0/17", 6), ("10.0.0.0/18", 3)])
def test_vpc_blocks_that_hold_the_subnets_pass(cidr: str, azs: int) -> None:
    text = edited(
        "local", "  max_azs: 2\n  nat_gateways: 1\n", f"  cidr: {cidr}\n  max_azs: {azs}\n  nat_gateways: 1\n"
    )
    assert str(parse_spec(text).network.cidr) == cidr


def test_an_ssm_parameter_secret_may_be_a_full_arn() -> None:
    text = edited("prod", "parameter: /shop/prod/stripe-api-key", f"parameter: {PARAMETER_ARN}")
    secret = parse_spec(text).services["web"].secrets["STRIPE_API_KEY"]
    assert secret.parameter == PARAMETER_ARN


def test_an_arn_secret_reaches_the_task_definition_as_that_arn() -> None:
    stack = cdk.Stack(make_app(), "Prod", env=cdk.Environment(account="222222222222", region="eu-west-1"))
    secret = _secret(stack, "STRIPE", SecretRef(parameter=PARAMETER_ARN))
    assert stack.resolve(secret.arn) == PARAMETER_ARN


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("arn:aws:ssm:eu-west-1:222222222222:param/x", "is not an SSM parameter ARN: arn:aws:ssm:<region>"),
        ("'shop prod key'", "is not an SSM parameter: a name such as /app/db-password"),
        (PARAMETER_ARN.replace("eu-west-1", "us-east-1"), "the parameter is in us-east-1; a task of this"),
    ],
)
def test_a_bad_parameter_says_the_expected_shape(value: str, fragment: str) -> None:
    text = edited("prod", "parameter: /shop/prod/stripe-api-key", f"parameter: {value}")
    path = "services.web.secrets.STRIPE_API_KEY"
    assert_problem(refused(text), path if "us-east-1" in fragment else f"{path}.parameter", fragment)


def _patterns(node: Any) -> set[str]:
    if isinstance(node, dict):
        found = {node["pattern"]} if isinstance(node.get("pattern"), str) else set()
        return found.union(*(_patterns(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(_patterns(value) for value in node))
    return set()


def test_every_pattern_of_the_schema_has_a_plain_words_shape() -> None:
    shaped = set(PATTERN_HINTS) | set(PATTERN_EXPLAINERS) | set(SHAPES) | {PARAMETER_REFERENCE}
    assert _patterns(json.loads(spec_json_schema())) - shaped == set()


@pytest.mark.parametrize(
    ("old", "new", "path", "hint"),
    [
        ("    app_protocol: http\n", "    app_protocol: http\n    working_directory: srv\n",
         "services.api.working_directory", "use an absolute path, starting with '/'"),
        ("        path: /\n", "        path: health\n", "services.web.http.health_check.path",
         "use a request path starting with '/', without spaces"),
        ('    user: "101"\n', "    user: 'app user'\n", "services.api.user",
         "use user or user:group, by name or number (1000:1000)"),
        ("    app_protocol: http\n", "    app_protocol: http\n    volumes:\n      data:\n        efs:\n"
         "          file_system_id: fs-xyz\n", "services.api.volumes.data.efs.file_system_id",
         "use an EFS file system id: fs- and 8 to 40 hex digits"),
        ("    app_protocol: http\n", "    app_protocol: http\n    volumes:\n      data:\n        efs:\n"
         "          file_system_id: fs-0123abcd\n          access_point_id: ap-1\n",
         "services.api.volumes.data.efs.access_point_id", "use an EFS access point id: fsap- and 8 to 40"),
        ("  target: local\n", "  target: local\n  permissions_boundary: arn:aws:iam::policy/x\n",
         "environment.permissions_boundary", "use a managed policy ARN: arn:aws:iam::<account>:policy"),
    ],
)  # fmt: skip
def test_pattern_mismatches_say_the_expected_shape(old: str, new: str, path: str, hint: str) -> None:
    assert_problem(refused(edited("local", old, new)), path, hint)
