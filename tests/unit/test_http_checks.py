"""Application Load Balancer rules and target groups: values the ALB refuses at deploy time
are refused by validation, each at its YAML path."""

from __future__ import annotations

import json

import pytest

from config import parse_spec
from config.json_schema import spec_json_schema
from tests.spec_problems import assert_problem, edited, refused

LONG_LABEL = "a" * 64
PATH, HOST = "services.web.http.paths[0]", "services.web.http.hosts[0]"
CODES = "services.web.http.health_check.success_codes"
PROTOCOL = "services.web.app_protocol"
TIMEOUT = "services.web.http.health_check.timeout_seconds"
PROTECTION = "  deletion_protection: true"
CERTIFICATE = "certificate_arn: arn:aws:acm:eu-west-1:222222222222"


def web_paths(paths: str) -> str:
    return edited("local", 'paths: ["/*"]', f"paths: {paths}")


def prod_hosts(hosts: str) -> str:
    return edited("prod", "hosts: [shop.example.com]", f"hosts: {hosts}")


def speaking(env: str, protocol: str, lines: str = "") -> str:
    """``env``'s web service (port 8080) with ``app_protocol: protocol`` and more ``lines`` after."""
    return edited(env, "    port: 8080\n", f"    port: 8080\n    app_protocol: {protocol}\n{lines}")


def local_target_check(lines: str) -> str:
    return edited(
        "local", "      health_check:\n        path: /\n", f"      health_check:\n        path: /\n{lines}"
    )


@pytest.mark.parametrize(
    ("text", "path", "fragment"),
    [
        (web_paths('["/api v1/*"]'), PATH, "' ' is not allowed in a path pattern"),
        (web_paths(f'["/{"a" * 130}"]'), PATH, "at most 128 characters (this one has 131)"),
        (web_paths('["api/*"]'), PATH, "a path pattern starts with '/'"),
        (web_paths('["/café/*"]'), PATH, "'é' is not allowed"),
        (prod_hosts("[shop..example.com]"), HOST, "each dot-separated label is 1 to 63"),
        (prod_hosts(f"[{LONG_LABEL}.example.com]"), HOST, "1 to 63 characters"),
        (prod_hosts("[localhost]"), HOST, "at least one '.'"),
        (prod_hosts("[shop.example.c0m]"), HOST, "only letters after the last one"),
        (prod_hosts("['shop example.com']"), HOST, "' ' is not allowed in a host"),
        (prod_hosts("[-shop.example.com]"), HOST, "cannot start or end with '-'"),
        (prod_hosts(f"[{'a.' * 64}com]"), HOST, "at most 128 characters"),
        (local_target_check('        success_codes: "600"\n'), CODES,
         "600 is outside 200-499"),
        (local_target_check('        success_codes: "299-200"\n'), CODES,
         "the range 299-200 does not go up"),
        (local_target_check('        success_codes: "2xx"\n'), CODES,
         "is not a list of HTTP codes; use codes from 200 to 499, e.g. 200, 200,302 or 200-399 "
         "(with app_protocol grpc: gRPC status codes from 0 to 99, e.g. 0 or 12)"),
        (local_target_check('        success_codes: "5-3"\n'), CODES,
         "the range 5-3 does not go up; use gRPC status codes from 0 to 99"),
        (local_target_check('        success_codes: "12"\n'), CODES,
         "'12' are gRPC status codes, checked only with app_protocol grpc; this target group speaks HTTP"),
        (speaking("local", "grpc"), PROTOCOL,
         "grpc behind the load balancer needs its HTTPS listener (an ALB sends HTTP/2 and gRPC to targets "
         "only from HTTPS): give load_balancer.certificate_arn an ACM certificate"),
        (speaking("local", "http2"), PROTOCOL,
         "http2 behind the load balancer needs its HTTPS listener"),
        (speaking("prod", "grpc"), "services.web.http.health_check.path",
         "'/health' is not a gRPC method; a gRPC health check calls /package.service/method"),
        (speaking("prod", "grpc").replace("path: /health", "path: /grpc.health.v1.Health/Check\n"
                                          "        success_codes: 200-399"),
         CODES, "'200-399' are HTTP codes; app_protocol grpc checks gRPC status codes 0 to 99"),
        (local_target_check("        interval_seconds: 5\n        timeout_seconds: 5\n"),
         TIMEOUT, "the timeout (5 s) must be shorter"),
        (edited("prod", PROTECTION, f"{PROTECTION}\n  test_listener_port: 443"),
         "load_balancer.test_listener_port", "port 443 is a production listener"),
        (edited("local", "services:", "load_balancer:\n  test_listener_port: 80\nservices:"),
         "load_balancer.test_listener_port", "port 80 is a production listener"),
        (edited("prod", "certificate_arn: arn:aws:acm:eu-west-1:", "certificate_arn: arn:aws:acm:us-east-1:"),
         "load_balancer.certificate_arn", "the certificate is in us-east-1; a load balancer in eu-west-1"),
        (edited("prod", CERTIFICATE, CERTIFICATE.replace("222222222222", "333333333333")),
         "load_balancer.certificate_arn", "a load balancer uses a certificate of its own account"),
    ],
)  # fmt: skip
def test_alb_refusals_name_the_path(text: str, path: str, fragment: str) -> None:
    assert_problem(refused(text), path, fragment)


def test_wildcard_hosts_paths_and_code_lists_pass() -> None:
    text = prod_hosts('["*.example.com", "shop-1.example.co.uk", "api?.example.com"]').replace(
        "      health_check:\n        path: /health",
        '      paths: ["/api/*", "/v1/~user/*.json"]\n      health_check:\n        path: /health\n'
        '        success_codes: "200,302"',
        1,
    )
    http = parse_spec(text).services["web"].http_settings
    assert http.hosts[0] == "*.example.com" and http.health_check.success_codes == "200,302"


def test_grpc_behind_https_takes_a_method_and_grpc_codes() -> None:
    text = speaking("prod", "grpc").replace(
        "path: /health", "path: /grpc.health.v1.Health/Check\n        success_codes: 0-2"
    )
    service = parse_spec(text).services["web"]
    check = service.http_settings.health_check
    assert service.app_protocol == "grpc"
    assert check.resolved("grpc") == ("/grpc.health.v1.Health/Check", "0-2")


@pytest.mark.parametrize(
    ("written", "protocol", "codes"), [("200", "http", "200"), ("0", "grpc", "0"), ("204", "http", "204")]
)
def test_one_code_may_be_written_as_a_number(written: str, protocol: str, codes: str) -> None:
    """`success_codes: 200` (YAML reads a number) is the code as written, checked as text is."""
    text = speaking("prod", protocol)
    if protocol == "grpc":
        text = text.replace("path: /health", "path: /grpc.health.v1.Health/Check")
    text = text.replace(
        "      health_check:\n", f"      health_check:\n        success_codes: {written}\n", 1
    )
    assert parse_spec(text).services["web"].http_settings.health_check.success_codes == codes


@pytest.mark.parametrize(
    ("written", "fragment"),
    [("600", "600 is outside 200-499"), ("200.0", "write it in quotes"), ("true", "is a boolean")],
)
def test_a_number_out_of_range_or_not_whole_is_still_refused(written: str, fragment: str) -> None:
    text = speaking("prod", "http").replace(
        "      health_check:\n", f"      health_check:\n        success_codes: {written}\n", 1
    )
    assert_problem(refused(text), CODES, fragment)


def test_the_editor_schema_takes_a_code_as_a_number_too() -> None:
    """config/spec.schema.json (editors) says what the loader takes: no squiggle under `200`.
    jsonschema comes with cfn-lint; YAML read as an editor's language server reads it."""
    import jsonschema  # type: ignore[import-untyped]  # no stubs; it comes with cfn-lint
    import yaml

    check = "      health_check:\n"
    text = speaking("prod", "http").replace(check, f"{check}        success_codes: 200\n", 1)
    validator = jsonschema.Draft202012Validator(json.loads(spec_json_schema()))
    validator.validate(yaml.safe_load(text))
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(yaml.safe_load(text.replace("success_codes: 200", "success_codes: 2.5")))
