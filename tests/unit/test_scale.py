"""Many services: the generated spec (bench/specs.py) of 200 services loads; synthesised, it
stays within CloudFormation's and the load balancers' quotas across load balancers; the quota
check names the services that do not fit; deploys run stacks in parallel with --concurrency.

The synthesis here is of 40 services in an account whose security groups allow 10 outbound
rules, so the web services fill two load balancers as 200 do with AWS's default of 60: the
same split, wiring and quota arithmetic, at a fifth of the cost. No stack grows with the
service count (each service is its own stack; the shared ones grow per load balancer):
`make bench` (bench/scale.py) synthesises 200 services and records the largest stack in
docs/benchmarks.md."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Any

import pytest

from bench.specs import mixed_spec
from config import AppSpec, parse_spec
from config.load_balancers import RULES_PER_LOAD_BALANCER, TARGET_GROUPS_PER_LOAD_BALANCER
from config.routing import routes
from tests.harness import SynthesisedEnvironment, resources_of_type, synthesise
from tests.spec_problems import problems_of
from tests.yaml_text import yaml_text

SERVICES = 200
SYNTHESISED, OUTBOUND_QUOTA = 40, 10  # 16 web services: 9 fit the first load balancer
CLOUDFORMATION_RESOURCE_LIMIT = 500


def spec_text(data: dict[str, Any]) -> str:
    return yaml_text(data, sort_keys=False)


def spec_of(services: int, edit: Callable[[dict[str, Any]], None] | None = None) -> AppSpec:
    data = mixed_spec("scale", services)
    if edit:
        edit(data)
    return parse_spec(spec_text(data), source="scale.yaml")


def web_services(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [service for service in data["services"].values() if service["kind"] == "web"]


@pytest.fixture(scope="module")
def scaled() -> SynthesisedEnvironment:
    """The 40-service spec of a 10-rule account synthesised once (built-in CloudFormation
    validation off)."""
    data = mixed_spec("scale", SYNTHESISED, outbound_quota=OUTBOUND_QUOTA)
    return synthesise(parse_spec(spec_text(data), source="scale.yaml"))


@pytest.fixture(scope="module")
def wiring(scaled: SynthesisedEnvironment) -> dict[str, Any]:
    """What each ingress export is: listener → load balancer, security group → load balancer."""
    ingress = scaled.templates["bench-scale-ingress"]
    exported = {
        output["Export"]["Name"]: _target(output["Value"])
        for output in ingress["Outputs"].values()
        if "Export" in output
    }
    balancers = resources_of_type(ingress, "AWS::ElasticLoadBalancingV2::LoadBalancer")
    group_of = {
        _target(lb["Properties"]["SecurityGroups"][0]): logical_id for logical_id, lb in balancers.items()
    }
    listener_of = {
        logical_id: _target(listener["Properties"]["LoadBalancerArn"])
        for logical_id, listener in resources_of_type(
            ingress, "AWS::ElasticLoadBalancingV2::Listener"
        ).items()
    }
    return {"exported": exported, "group_of": group_of, "listener_of": listener_of, "balancers": balancers}


def _target(value: Any) -> str:
    """The logical ID a ``Ref`` or ``Fn::GetAtt`` points at."""
    return str(value["Ref"]) if "Ref" in value else str(value["Fn::GetAtt"][0])


def test_generated_spec_has_every_kind_and_several_load_balancers() -> None:
    spec = spec_of(SERVICES)
    kinds = Counter(service.kind for service in spec.services.values())
    assert kinds == {"web": 80, "backend": 60, "worker": 40, "job": 20}
    balancers = Counter(
        spec.services[name].http_settings.load_balancer for name in spec.services_of_kind("web")
    )
    assert len(balancers) >= 2 and balancers["main"] == 59


def test_no_stack_is_near_the_cloudformation_resource_limit(scaled: SynthesisedEnvironment) -> None:
    sizes = {stack: len(template["Resources"]) for stack, template in scaled.templates.items()}
    largest = max(sizes, key=lambda stack: sizes[stack])
    print(f"largest stack: {largest} with {sizes[largest]} resources ({len(sizes)} stacks)")
    assert len(sizes) == SYNTHESISED + 3  # network, cluster, ingress
    assert sizes[largest] < CLOUDFORMATION_RESOURCE_LIMIT, f"{largest}: {sizes[largest]} resources"


def test_ingress_holds_one_load_balancer_and_dns_output_per_name(
    scaled: SynthesisedEnvironment, wiring: dict[str, Any]
) -> None:
    ingress = scaled.templates["bench-scale-ingress"]
    assert len(wiring["balancers"]) == 2
    assert "LoadBalancer8E47CE52" in wiring["balancers"]  # main keeps the single balancer's logical ID
    assert {"LoadBalancerDns", "LoadBalancerLb2Dns"} <= set(ingress["Outputs"])


def test_listener_priorities_are_unique_per_listener_and_quotas_hold(
    scaled: SynthesisedEnvironment, wiring: dict[str, Any]
) -> None:
    priorities: dict[str, list[int]] = defaultdict(list)
    rules: Counter[str] = Counter()
    target_groups: dict[str, set[tuple[str, str]]] = defaultdict(set)
    outbound: Counter[str] = Counter()
    for stack, template in scaled.templates.items():
        for rule in resources_of_type(template, "AWS::ElasticLoadBalancingV2::ListenerRule").values():
            listener = wiring["exported"][rule["Properties"]["ListenerArn"]["Fn::ImportValue"]]
            balancer = wiring["listener_of"][listener]
            priorities[listener].append(rule["Properties"]["Priority"])
            rules[balancer] += 1
            for action in rule["Properties"]["Actions"]:
                groups = action.get("ForwardConfig", {}).get("TargetGroups", [])
                refs = [g["TargetGroupArn"] for g in groups] or [action["TargetGroupArn"]]
                target_groups[balancer] |= {(stack, ref["Ref"]) for ref in refs}
        for egress in resources_of_type(template, "AWS::EC2::SecurityGroupEgress").values():
            group = wiring["exported"].get(egress["Properties"]["GroupId"].get("Fn::ImportValue"))
            if group in wiring["group_of"]:
                outbound[wiring["group_of"][group]] += 1
    assert len(priorities) == 4  # production and test listener of each load balancer
    for listener, numbers in priorities.items():
        assert len(numbers) == len(set(numbers)), listener
    for balancer in wiring["balancers"]:
        assert 0 < rules[balancer] <= RULES_PER_LOAD_BALANCER
        assert 0 < len(target_groups[balancer]) <= TARGET_GROUPS_PER_LOAD_BALANCER
        assert outbound[balancer] + 1 <= OUTBOUND_QUOTA  # the placeholder rule, then one per service
    assert sorted(outbound.values()) == [7, 9]  # the first load balancer full, the rest on the second


def test_a_second_load_balancer_passes_cdk_nag() -> None:
    import aws_cdk as cdk
    from cdk_nag import AwsSolutionsChecks

    from stacks.app_builder import build_environment
    from tests.harness import make_app

    def split(data: dict[str, Any]) -> None:
        for service in web_services(data)[4:]:
            service["http"]["load_balancer"] = "edge"

    app = make_app()
    build_environment(app, spec_of(20, split))
    cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app))
    app.synth()  # raises ValidationFailed listing every unacknowledged finding


def test_an_overloaded_load_balancer_fails_naming_how_many_fit() -> None:
    data = mixed_spec("scale", SERVICES)
    web = web_services(data)
    for service in web:
        service["http"]["load_balancer"] = "main"
    first_out = next(name for name, service in data["services"].items() if service is web[59])
    [problem] = problems_of(spec_text(data))
    assert problem.startswith(f"services.{first_out}.http.load_balancer")
    assert "load balancer 'main' would serve 80 web services" in problem
    assert "81 outbound rules in its security group (quota 60" in problem
    assert "The first 59 fit; set http.load_balancer to another name" in problem
    assert f"on the other 21, from '{first_out}' on" in problem


def test_with_a_raised_security_group_quota_target_groups_bind() -> None:
    data = mixed_spec("scale", SERVICES)
    data["load_balancer"] = {"rules_per_security_group": 500}
    for service in web_services(data):
        service["http"]["load_balancer"] = "main"
        service["deployment"] = {"strategy": "blue_green"}
    [problem] = problems_of(spec_text(data))
    assert "160 listener rules (quota 100), 160 target groups (quota 100)" in problem
    assert "The first 50 fit" in problem


def test_priorities_may_repeat_across_load_balancers_but_not_on_one() -> None:
    def pin(data: dict[str, Any], balancer: str) -> None:
        first, second = web_services(data)[:2]
        first["http"]["priority"] = second["http"]["priority"] = 42
        second["http"]["load_balancer"] = balancer

    spec = spec_of(10, lambda data: pin(data, "edge"))
    assert [r.load_balancer for r in routes(spec) if r.priority == 42] == ["main", "edge"]
    data = mixed_spec("scale", 10)
    pin(data, "main")
    assert any("priority 42 is also used" in p for p in problems_of(spec_text(data)))


def test_services_added_on_another_load_balancer_never_move_a_rule() -> None:
    before = {r.service: (r.load_balancer, r.priority) for r in routes(spec_of(100))}
    after = {r.service: (r.load_balancer, r.priority) for r in routes(spec_of(SERVICES))}
    assert before == {name: after[name] for name in before}


def test_a_load_balancer_name_is_letters_and_digits() -> None:
    data = mixed_spec("scale", 10)
    web_services(data)[0]["http"]["load_balancer"] = "Edge-1"
    [problem] = problems_of(spec_text(data))
    assert re.match(r"services\.svc000\.http\.load_balancer .*1-16 lowercase letters and digits", problem)


def test_deploy_concurrency_reaches_cdk_deploy(monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from config import load_spec
    from deployer import cli
    from deployer.aws.session import Clients
    from deployer.cdk import deploy
    from deployer.commands import deploy as deploy_command
    from deployer.commands.output import console
    from deployer.exit_codes import ExitCode

    received: dict[str, Any] = {}

    def fake_deploy_environment(*_: Any, **options: Any) -> int:
        received.update(options)
        return ExitCode.FAILED

    monkeypatch.setattr(deploy_command, "deploy_environment", fake_deploy_environment)
    CliRunner().invoke(cli.app, ["deploy", "--env", "dev", "--concurrency", "8"])
    assert received["concurrency"] == 8

    commands: list[list[str]] = []

    def fake_run_cdk(_spec: AppSpec, args: list[str], *_: Any, **__: Any) -> int:
        commands.append(list(args))
        return 1

    monkeypatch.setattr(deploy, "is_bootstrapped", lambda *_: True)
    monkeypatch.setattr(deploy, "run_cdk", fake_run_cdk)
    code = deploy._deploy_locked(Clients(load_spec("dev")), {}, console, None, None, None, 8, False, None)
    assert code == ExitCode.FAILED
    [args] = commands
    assert args[args.index("--concurrency") + 1] == "8"
