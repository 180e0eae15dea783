"""``deployer cost``: line items from the templates, the dated price table, Spot shares, the dev
profile's budget, and the command's text, JSON and bad input."""

from __future__ import annotations

import copy
import json
from datetime import date
from typing import Any

import pytest
from typer.testing import CliRunner

from config import AppSpec, load_spec, naming
from deployer.cli import app
from deployer.cost.estimate import estimate
from deployer.cost.model import DEV_FIXED_TARGET_USD, Estimate
from deployer.cost.prices import PRICES, Price
from deployer.cost.tasks import StrategyEntry, fargate_task_price, strategy_shares
from deployer.exit_codes import ExitCode
from tests.harness import SynthesisCache, resources_of_type

ENVIRONMENTS = ["local", "dev", "prod"]
Templates = dict[str, dict[str, Any]]


def all_of(templates: Templates, resource_type: str) -> list[dict[str, Any]]:
    return [
        resource.get("Properties", {})
        for template in templates.values()
        for resource in resources_of_type(template, resource_type).values()
    ]


def quantity(result: Estimate, what: str) -> float:
    """Total quantity of the lines whose description starts with ``what``."""
    return sum(line.quantity for line in result.lines if line.what.startswith(what))


def monthly(result: Estimate, what: str) -> float:
    return sum(line.monthly for line in result.lines if line.what.startswith(what))


@pytest.fixture(scope="module")
def estimates(synth_cache: SynthesisCache) -> dict[str, Estimate]:
    return {env: estimate(synth_cache.get(env).spec, synth_cache.get(env).templates) for env in ENVIRONMENTS}


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_line_items_count_what_the_templates_hold(
    synth_cache: SynthesisCache, estimates: dict[str, Estimate], env: str
) -> None:
    templates, result = synth_cache.get(env).templates, estimates[env]
    nat_instances = [i for i in all_of(templates, "AWS::EC2::Instance") if i.get("SourceDestCheck") is False]
    interface_azs = sum(
        len(e["SubnetIds"])
        for e in all_of(templates, "AWS::EC2::VPCEndpoint")
        if e["VpcEndpointType"] == "Interface"
    )
    assert quantity(result, "NAT gateway") == len(all_of(templates, "AWS::EC2::NatGateway"))
    assert quantity(result, "public IPv4 address: NAT gateway") == len(all_of(templates, "AWS::EC2::EIP"))
    assert quantity(result, "NAT instance t4g.nano") == len(nat_instances)
    assert quantity(result, "public IPv4 address: NAT instance") == len(nat_instances)
    assert quantity(result, "Application Load Balancer") == len(
        all_of(templates, "AWS::ElasticLoadBalancingV2::LoadBalancer")
    )
    assert quantity(result, "interface endpoint") == interface_azs
    assert quantity(result, "KMS key") == len(all_of(templates, "AWS::KMS::Key")) == 1
    assert not result.warnings or all("prices are us-east-1's" in w for w in result.warnings)


def test_each_environment_has_the_network_its_spec_asks_for(estimates: dict[str, Estimate]) -> None:
    local, dev, prod = (estimates[env] for env in ENVIRONMENTS)
    assert (quantity(local, "NAT gateway"), quantity(local, "NAT instance")) == (1, 0)
    assert (quantity(dev, "NAT gateway"), quantity(dev, "NAT instance")) == (0, 1)  # the dev profile
    assert quantity(prod, "NAT gateway") == 3 and quantity(prod, "public IPv4 address: NAT gateway") == 3
    assert quantity(dev, "interface endpoint") == 0 and quantity(prod, "interface endpoint") > 0
    assert quantity(local, "EC2 group graviton: m7g.medium") == 1  # min_capacity 1
    assert quantity(prod, "EC2 group workers: m7g.large") == 2


def test_prod_with_interface_endpoints_and_nat_gateways_costs_more_than_dev(
    estimates: dict[str, Estimate],
) -> None:
    dev, prod = estimates["dev"], estimates["prod"]
    assert monthly(prod, "interface endpoint") == pytest.approx(27 * 0.01 * 730)
    assert prod.subtotal("fixed") > dev.subtotal("fixed") + monthly(prod, "interface endpoint")


def test_subtotals_and_total_add_up(estimates: dict[str, Estimate]) -> None:
    for result in estimates.values():
        assert result.total == pytest.approx(result.subtotal("fixed") + result.subtotal("services"))
        payload = result.to_dict()
        assert payload["total_usd"] == pytest.approx(
            sum(line["monthly_usd"] for line in payload["lines"]), abs=0.05
        )


def dev_fixed_lines(result: Estimate) -> dict[str, float]:
    return {line.what: round(line.monthly, 2) for line in result.lines if line.group == "fixed"}


def test_dev_floor_is_the_load_balancer_the_nat_instance_and_the_key(estimates: dict[str, Estimate]) -> None:
    """The dev load balancer has no public IPv4 address (dualstack-without-public-ipv4)."""
    dev = estimates["dev"]
    assert dev.cost_profile == "dev" and dev.target_met is not None
    assert set(dev_fixed_lines(dev)) == {
        "KMS key",
        "NAT instance t4g.nano",
        "public IPv4 address: NAT instance",
        "EBS gp3: NAT instance root volume",
        "Application Load Balancer",
    }


def test_public_ipv4_on_the_dev_load_balancer_would_break_its_target(synth_cache: SynthesisCache) -> None:
    """Each AZ of an IPv4 load balancer is one public address, $3.65 a month: two break the budget."""
    dev = synth_cache.get("dev")
    templates = copy.deepcopy(dev.templates)
    for template in templates.values():
        for balancer in resources_of_type(template, "AWS::ElasticLoadBalancingV2::LoadBalancer").values():
            balancer["Properties"]["IpAddressType"] = "ipv4"
    result = estimate(dev.spec, templates)
    assert quantity(result, "public IPv4 addresses: load balancer") == dev.spec.network.max_azs
    assert result.target_met is False and result.subtotal("fixed") > DEV_FIXED_TARGET_USD
    added = result.subtotal("fixed") - estimate(dev.spec, dev.templates).subtotal("fixed")
    assert added == pytest.approx(dev.spec.network.max_azs * 0.005 * 730, abs=0.01)


def test_dev_profile_fixed_cost_meets_its_target(estimates: dict[str, Estimate]) -> None:
    assert estimates["dev"].target_met is True
    assert estimates["dev"].subtotal("fixed") <= DEV_FIXED_TARGET_USD


def test_other_profiles_have_no_target(estimates: dict[str, Estimate]) -> None:
    assert estimates["local"].target_met is None and estimates["prod"].to_dict()["target"] is None


def test_the_price_table_is_dated_and_every_price_names_its_source() -> None:
    assert PRICES.region == "us-east-1"
    assert date(2026, 1, 1) <= PRICES.as_of <= date.today()
    prices = [value for value in vars(PRICES).values() if isinstance(value, Price)]
    for mapping in (
        PRICES.fargate_vcpu,
        PRICES.fargate_gb,
        PRICES.fargate_spot_vcpu,
        PRICES.fargate_spot_gb,
        PRICES.instances,
    ):
        prices.extend(mapping.values())
    assert len(prices) > 25 and all(p.usd > 0 and p.source for p in prices)
    for architecture in ("x86_64", "arm64"):
        assert PRICES.fargate_spot_vcpu[architecture].usd < PRICES.fargate_vcpu[architecture].usd
    assert PRICES.fargate_vcpu["arm64"].usd < PRICES.fargate_vcpu["x86_64"].usd


@pytest.mark.parametrize(
    ("tasks", "expected"),
    [
        (0, {"FARGATE": 0.0, "FARGATE_SPOT": 0.0}),
        (1, {"FARGATE": 1.0, "FARGATE_SPOT": 0.0}),
        (5, {"FARGATE": 2.0, "FARGATE_SPOT": 3.0}),
        (9, {"FARGATE": 3.0, "FARGATE_SPOT": 6.0}),
    ],
)
def test_base_goes_first_and_the_rest_follows_the_weights(tasks: int, expected: dict[str, float]) -> None:
    strategy = [StrategyEntry("FARGATE", base=1, weight=1), StrategyEntry("FARGATE_SPOT", weight=3)]
    assert strategy_shares(strategy, tasks) == pytest.approx(expected)


def test_spot_and_on_demand_lines_follow_each_services_strategy(estimates: dict[str, Estimate]) -> None:
    # local web: autoscaling min 2 on FARGATE base 1 weight 1 + FARGATE_SPOT weight 3.
    local = estimates["local"]
    assert quantity(local, "web on FARGATE (") == pytest.approx(1.25)
    assert quantity(local, "web on FARGATE_SPOT") == pytest.approx(0.75)
    # dev web: 1 task on the dev profile's default strategy, Spot only.
    dev = estimates["dev"]
    assert quantity(dev, "web on FARGATE_SPOT") == 1 and quantity(dev, "web on FARGATE (") == 0
    # prod web: autoscaling min 3 on FARGATE base 2 weight 3 + FARGATE_SPOT weight 1.
    assert quantity(estimates["prod"], "web on FARGATE (") == pytest.approx(2.75)


def test_task_prices_follow_size_architecture_and_provider() -> None:
    from deployer.cost.tasks import TaskSize

    x86, arm = TaskSize(0.5, 1.0, "x86_64"), TaskSize(0.5, 1.0, "arm64")
    on_demand = fargate_task_price(x86, "FARGATE", PRICES).usd
    assert on_demand == pytest.approx(0.5 * 0.04048 + 1.0 * 0.004445)
    assert fargate_task_price(arm, "FARGATE", PRICES).usd < on_demand
    assert fargate_task_price(x86, "FARGATE_SPOT", PRICES).usd < on_demand
    bigger_disk = TaskSize(0.5, 1.0, "x86_64", storage_gib=50)
    assert fargate_task_price(bigger_disk, "FARGATE", PRICES).usd == pytest.approx(on_demand + 30 * 0.000111)


def synthetic(resources: dict[str, Any]) -> tuple[AppSpec, Templates]:
    """The local spec's templates, with ``resources`` added to its network stack."""
    spec = load_spec("local")
    templates: Templates = {name: {"Resources": {}} for name in naming.all_stack_names(spec)}
    templates["shop-local-network"] = {"Resources": resources}
    return spec, templates


@pytest.mark.parametrize(
    ("props", "addresses"),
    [
        ({"Subnets": ["a", "b", "c"]}, 3),
        ({"Subnets": ["a", "b"], "Scheme": "internal"}, 0),
        ({"Subnets": ["a", "b"], "IpAddressType": "dualstack"}, 2),
        ({"Subnets": ["a", "b"], "IpAddressType": "dualstack-without-public-ipv4"}, 0),
    ],
)
def test_load_balancer_public_ipv4_depends_on_scheme_and_address_type(
    props: dict[str, Any], addresses: int
) -> None:
    spec, templates = synthetic(
        {"Lb": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": props}}
    )
    result = estimate(spec, templates)
    assert quantity(result, "Application Load Balancer") == 1
    assert quantity(result, "public IPv4 addresses: load balancer") == addresses


def test_spot_groups_at_minimum_are_priced_on_demand_with_a_note_and_unknown_things_warn() -> None:
    spec, templates = synthetic(
        {
            "Asg": {
                "Type": "AWS::AutoScaling::AutoScalingGroup",
                "Properties": {
                    "MinSize": "2",
                    "MixedInstancesPolicy": {
                        "InstancesDistribution": {"OnDemandPercentageAboveBaseCapacity": 0},
                        "LaunchTemplate": {"Overrides": [{"InstanceType": "t3.medium"}]},
                    },
                },
            },
            "Odd": {"Type": "AWS::EC2::Instance", "Properties": {"InstanceType": "x9.huge"}},
            "Db": {"Type": "AWS::RDS::DBInstance", "Properties": {}},
        }
    )
    result = estimate(spec, templates)
    [group] = [line for line in result.lines if line.what.startswith("EC2 group Asg")]
    assert group.quantity == 2 and group.price.usd == 0.0416 and "Spot" in group.what and group.note
    assert any("no price for instance type x9.huge" in w for w in result.warnings)
    assert any("not priced: AWS::RDS::DBInstance (Db)" in w for w in result.warnings)


def test_arm64_tasks_on_fargate_spot_get_the_arm64_spot_rate(synth_cache: SynthesisCache) -> None:
    """Fargate Spot runs ARM64 tasks on platform 1.4.0+; Graviton is about 20% cheaper there too."""
    dev = synth_cache.get("dev")
    templates = copy.deepcopy(dev.templates)
    for task in all_of({"web": templates["shop-dev-svc-web"]}, "AWS::ECS::TaskDefinition"):
        task["RuntimePlatform"]["CpuArchitecture"] = "ARM64"
    arm = estimate(dev.spec, templates)
    x86 = estimate(dev.spec, dev.templates)

    def web_spot(result: Estimate) -> float:
        return next(line.price.usd for line in result.lines if line.what.startswith("web on FARGATE_SPOT"))

    assert web_spot(arm) == pytest.approx(web_spot(x86) * 0.8, rel=0.01)
    assert not any("FARGATE_SPOT" in w for w in arm.warnings)


@pytest.fixture
def cached_synthesis(synth_cache: SynthesisCache, monkeypatch: pytest.MonkeyPatch) -> None:
    def synthesise(spec: AppSpec, *_: Any, **__: Any) -> Templates:
        return synth_cache.get(spec.environment.name).templates

    monkeypatch.setattr("deployer.commands.cost.synthesise_templates", synthesise)


def test_command_prints_the_table_the_price_date_and_region() -> None:
    result = CliRunner().invoke(app, ["cost", "--env", "local"])  # synthesises in-process
    assert result.exit_code == 0, result.output
    assert "fixed subtotal" in result.stdout and "services subtotal" in result.stdout
    assert f"prices: us-east-1 on-demand list prices as of {PRICES.as_of.isoformat()}" in result.stdout
    assert "NAT gateway" in result.stdout and "$32.85" in result.stdout
    assert "cost_profile dev" not in result.stdout


@pytest.mark.usefixtures("cached_synthesis")
def test_command_on_dev_states_the_target_and_warns_about_the_region(estimates: dict[str, Estimate]) -> None:
    result = CliRunner().invoke(app, ["cost", "--env", "dev"])
    assert result.exit_code == 0, result.output
    fixed = estimates["dev"].subtotal("fixed")
    verdict = "met" if fixed <= DEV_FIXED_TARGET_USD else "NOT met"
    assert (
        f"cost_profile dev: fixed ${fixed:,.2f} per month against a $25.00 target: {verdict}" in result.stdout
    )
    assert "warning: prices are us-east-1's; this environment is in eu-west-1" in result.stdout


@pytest.mark.usefixtures("cached_synthesis")
def test_command_json_is_the_same_estimate(estimates: dict[str, Estimate]) -> None:
    result = CliRunner().invoke(app, ["cost", "--env", "dev", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload == json.loads(json.dumps(estimates["dev"].to_dict()))
    assert payload["prices"] == {"region": "us-east-1", "as_of": PRICES.as_of.isoformat()}
    assert set(payload["subtotals_usd"]) == {"fixed", "services"} and payload["target"]["fixed_max_usd"] == 25


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--env", "nope"], "no environment 'nope'; available: "),
        (["--env", "Bad Name"], "'Bad Name' is not a valid environment name"),
    ],
)
def test_bad_input_exits_2_without_a_traceback(args: list[str], message: str) -> None:
    result = CliRunner().invoke(app, ["cost", *args])
    assert result.exit_code == ExitCode.BAD_INPUT, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)
