"""Spec errors for kinds, routes, strategies and allow_from, each at its YAML path, and the
derived listener rule priorities."""

from __future__ import annotations

import pytest

from config import parse_spec
from config.loader import ENVIRONMENTS_DIR
from config.routing import literal_prefix, routes
from tests.unit.test_spec_loader import problems_of

LOCAL_TEXT = (ENVIRONMENTS_DIR / "local.yaml").read_text()
DEV_TEXT = (ENVIRONMENTS_DIR / "dev.yaml").read_text()
WEB = "    kind: web                     # behind the shared load balancer (plain HTTP on local)\n"
API = "    kind: backend                 # internal: http://api:8080 through Service Connect\n"


def with_web_lines(lines: str) -> str:
    assert WEB in LOCAL_TEXT
    return LOCAL_TEXT.replace(WEB, WEB + lines, 1)


def with_api_lines(lines: str) -> str:
    assert API in LOCAL_TEXT
    return LOCAL_TEXT.replace(API, API + lines, 1)


def second_web(paths: str, extra: str = "") -> str:
    service = (
        "  shop:\n    kind: web\n    image: public.ecr.aws/nginx/nginx-unprivileged:1.27\n"
        "    user: '101'\n    port: 8080\n"
        f"    http:\n      paths: {paths}\n{extra}"
    )
    return LOCAL_TEXT.replace("  api:\n", service + "  api:\n", 1)


# The local file without the reports job's schedule, triggers and the workflow that runs it.
JOB_WITHOUT_STARTS = (
    LOCAL_TEXT.split("\nworkflows:")[0]
    .replace("    schedule:\n      expression: cron(0 3 * * ? *)\n", "", 1)
    .split("    triggers:")[0]
    + LOCAL_TEXT.split("\nworkflows:")[0].split("          prefix: exports/\n")[1]
)


@pytest.mark.parametrize(
    ("text", "path", "fragment"),
    [
        (with_api_lines("    deployment:\n      strategy: blue_green\n"), "services.api.deployment.strategy",
         "needs a web service"),
        (with_api_lines("    http:\n      paths: [/x/*]\n"), "services.api.http", "'http' is for kind web"),
        (LOCAL_TEXT.replace("    port: 8080\n    desired_count: 2\n", "    desired_count: 2\n", 1),
         "services.web.port", "a web service needs the port"),
        (JOB_WITHOUT_STARTS, "services.reports.schedule", "a job needs a schedule"),
        (with_api_lines("    allow_from: [web, wroker]\n").replace("    allow_from: [web, worker]\n", "", 1),
         "services.api.allow_from[1]", "did you mean 'worker'"),
        (with_web_lines("    allow_from: [api]\n"), "services.web.allow_from",
         "calls cannot go both ways"),
        (second_web("[/*]"), "services.shop.http.paths[0]", "already routed to service 'web'"),
        (second_web("[/a/*, /b/*, /c/*, /d/*]", "      hosts: [a.example.com, b.example.com]\n"),
         "services.shop.http", "make 6 condition values; an ALB rule takes at most 5"),
        (second_web('["/a/*/b/*/c/*", "/d/*/e/*/f/*"]'), "services.shop.http.paths",
         "paths and hosts have 6 wildcards (6 in paths, 0 in hosts); an ALB rule takes at most 5 * and ?"),
        (second_web("[/a/*]", "      hosts: ['*.a?.example.com', '*.b??.example.com']\n"),
         "services.shop.http.hosts", "have 6 wildcards (1 in paths, 5 in hosts); an ALB rule takes"),
        (with_web_lines("    deployment:\n      step_percent: 10\n"), "services.web.deployment.step_percent",
         "for canary or linear"),
        (with_web_lines("    deployment:\n      strategy: linear\n      step_percent: 1\n"),
         "services.web.deployment.step_percent", "linear steps are 3 to 100"),
        (LOCAL_TEXT.replace("    queue:\n      messages_per_task: 20\n      max_count: 4\n",
                            "    autoscaling: {max_count: 3}\n", 1),
         "services.worker.autoscaling", "scales on its queue backlog"),
        (with_api_lines("    autoscaling: {requests_per_target: 100}\n"),
         "services.api.autoscaling.requests_per_target", "web services only"),
        (LOCAL_TEXT.replace("    schedule:\n      expression: cron(0 3 * * ? *)\n",
                            "    schedule:\n      expression: every night\n", 1),
         "services.reports.schedule.expression", "cron(0 3 * * ? *) or rate(15 minutes)"),
        (LOCAL_TEXT.replace("  container_insights: enhanced\n", "  container_insights: disabled\n", 1),
         "services.worker.queue.min_count", "Container Insights"),
    ],
)  # fmt: skip
def test_spec_error_names_the_yaml_path(text: str, path: str, fragment: str) -> None:
    problems = problems_of(text)
    assert any(p.startswith(path) and fragment in p for p in problems), problems


def test_aws_web_service_without_a_certificate_is_an_error() -> None:
    start = DEV_TEXT.index("load_balancer:\n")
    text = DEV_TEXT[:start] + DEV_TEXT[DEV_TEXT.index("services:\n") :]
    [problem] = problems_of(text)
    assert problem.startswith("load_balancer.certificate_arn") and "HTTPS" in problem


def test_local_web_service_may_serve_plain_http() -> None:
    spec = parse_spec(LOCAL_TEXT)
    assert spec.load_balancer.certificate_arn is None and spec.services_of_kind("web") == ["web"]


def test_literal_prefix_stops_at_the_first_wildcard() -> None:
    assert literal_prefix("/api/v2/*") == "/api/v2/"
    assert literal_prefix("/*") == "/"
    assert literal_prefix("/exact") == "/exact"


def test_more_specific_rules_get_lower_priorities() -> None:
    text = second_web("[/api/v2/*]", "      hosts: [shop.example.com]\n")
    text = text.replace("  api:\n", "  docs:\n    kind: web\n    user: '101'\n"
                        "    image: public.ecr.aws/nginx/nginx-unprivileged:1.27\n"
                        "    port: 8080\n    http:\n      paths: [/docs/*]\n  api:\n", 1)  # fmt: skip
    priority = {r.service: r.priority for r in routes(parse_spec(text))}
    # host and path < path only < the catch-all
    assert priority["shop"] < priority["docs"] < priority["web"]
    assert len(set(priority.values())) == 3


def test_adding_a_service_never_moves_another_rule() -> None:
    before = {r.service: r.priority for r in routes(parse_spec(LOCAL_TEXT))}
    after = {r.service: r.priority for r in routes(parse_spec(second_web("[/shop/*]")))}
    assert after["web"] == before["web"]


def test_explicit_priority_wins_and_duplicates_are_errors() -> None:
    text = second_web("[/shop/*]", "      priority: 7\n")
    assert {r.service: r.priority for r in routes(parse_spec(text))}["shop"] == 7
    clash = text.replace(
        '    http:\n      paths: ["/*"]\n', '    http:\n      paths: ["/*"]\n      priority: 7\n', 1
    )
    assert any(p.startswith("services.shop.http.priority") and "also used" in p for p in problems_of(clash))


def test_five_wildcards_in_a_rule_synthesise() -> None:
    """The nearest accepted variant: 5 wildcards across paths and hosts (ALB's most)."""
    from tests.harness import resources_of_type, synthesise

    text = second_web('["/a/*/b/*", "/c/?"]', "      hosts: ['*.shop.example.com', 'a?.example.com']\n")
    templates = synthesise(parse_spec(text)).templates.values()
    values = [
        value
        for template in templates
        for rule in resources_of_type(template, "AWS::ElasticLoadBalancingV2::ListenerRule").values()
        for condition in rule["Properties"]["Conditions"]
        for config in (condition.get("PathPatternConfig"), condition.get("HostHeaderConfig"))
        if config
        for value in config["Values"]
    ]
    assert {"/a/*/b/*", "/c/?", "*.shop.example.com", "a?.example.com"} <= set(values)
