"""`deployer diagram`: the picture of an environment, from its spec and synthesised templates.

The model and the DOT text are checked against the spec (and `config.routing`) on each
environment synthesised once per session; one SVG and one PNG render run the real Graphviz
(WebAssembly, from package.json) and resvg; bad input exits 2 before any synthesis.
"""

from __future__ import annotations

import struct
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from config import routing
from config.schema import AppSpec
from deployer.cli import app
from deployer.diagram.dot import to_dot
from deployer.diagram.model import INTERNET, Flow, Picture, Placement, Queue, balancer_node, service_node
from deployer.diagram.read import read_picture
from deployer.diagram.render import PNG_FONT, png, render, svg
from deployer.exit_codes import ExitCode
from tests.harness import SynthesisCache

ENVIRONMENTS = ["local", "dev"]
BRIDGE_PORTS = "32768-65535"  # the Linux ephemeral range ECS assigns bridge host ports from
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
SVG = "{http://www.w3.org/2000/svg}"


def picture_of(cache: SynthesisCache, env: str) -> tuple[AppSpec, Picture]:
    synthesised = cache.get(env)
    return synthesised.spec, read_picture(synthesised.spec, synthesised.templates)


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_every_service_is_drawn_with_its_kind_containers_and_ports(
    synth_cache: SynthesisCache, env: str
) -> None:
    spec, picture = picture_of(synth_cache, env)
    dot = to_dot(picture)
    assert [s.name for s in picture.services] == list(spec.services)
    for service in picture.services:
        wanted = spec.services[service.name]
        assert service.kind == wanted.kind
        main, *sidecars = service.containers
        assert (main.name, main.ports) == (service.name, (wanted.port,) if wanted.port else ())
        assert [c.name for c in sidecars] == list(wanted.sidecars)
        assert f'"{service_node(service.name)}" [fillcolor=' in dot
        assert f"{service.name}{f' :{wanted.port}' if wanted.port else ''} (main)" in dot
        assert [(p.provider, p.weight, p.base) for p in service.placement] == [
            (item.provider, item.weight, item.base) for item in spec.strategy_for(service.name)
        ]


def test_a_sidecar_is_drawn_in_its_task(synth_cache: SynthesisCache) -> None:
    _, picture = picture_of(synth_cache, "dev")
    web = next(s for s in picture.services if s.name == "web")
    assert [(c.name, c.essential) for c in web.containers] == [("web", True), ("otel", False)]
    assert "otel (sidecar, not essential)" in to_dot(picture)


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_load_balancer_routes_match_the_spec_and_config_routing(
    synth_cache: SynthesisCache, env: str
) -> None:
    spec, picture = picture_of(synth_cache, env)
    (balancer,) = picture.load_balancers
    expected = {r.service: r for r in routing.routes(spec)}
    main_port = 443 if spec.load_balancer.certificate_arn else 80
    routes = [route for route in balancer.routes if route.listener_port == main_port]
    assert sorted(r.service for r in routes) == sorted(spec.services_of_kind("web"))
    for route in routes:
        assert (route.priority, route.paths, route.hosts) == (
            expected[route.service].priority,
            expected[route.service].paths,
            expected[route.service].hosts,
        )
        assert route.port == spec.services[route.service].port
        where = f"{','.join(route.hosts) or 'any host'} {' '.join(route.paths)}"
        assert f"#{route.priority} {where} → {route.service}:{route.port}" in to_dot(picture)


def test_a_canary_web_service_also_has_a_rule_on_the_test_listener(synth_cache: SynthesisCache) -> None:
    spec, picture = picture_of(synth_cache, "dev")
    (balancer,) = picture.load_balancers
    assert [(x.protocol, x.port, x.default) for x in balancer.listeners] == [
        ("HTTP", 80, "redirect to HTTPS:443"),
        ("HTTPS", 443, "404"),
        ("HTTPS", spec.load_balancer.test_listener_port, "404"),
    ]
    assert {route.listener_port for route in balancer.routes} == {443, spec.load_balancer.test_listener_port}


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_network_paths_are_exactly_the_load_balancer_and_allow_from(
    synth_cache: SynthesisCache, env: str
) -> None:
    spec, picture = picture_of(synth_cache, env)
    between_services = {
        flow
        for flow in picture.flows
        if flow.source.startswith("service:") or flow.target.startswith("service:")
    }
    expected = {
        Flow(service_node(caller), service_node(callee), str(spec.services[callee].port))
        for callee, service in spec.services.items()
        for caller in service.allow_from
    } | {
        # a bridge task's host port is ECS's to pick: the rule opens the whole dynamic range
        Flow(
            balancer_node("main"), service_node(web), BRIDGE_PORTS if bridge else str(spec.services[web].port)
        )
        for web in spec.services_of_kind("web")
        for bridge in [spec.services[web].network_mode == "bridge"]
    }
    assert between_services == expected
    public_ports = {"443", "80"} if spec.load_balancer.certificate_arn else {"80"}
    assert {f.port for f in picture.flows if f.source == INTERNET} == public_ports


def test_allow_from_edges_carry_the_service_connect_name(synth_cache: SynthesisCache) -> None:
    _, picture = picture_of(synth_cache, "local")
    dot = to_dot(picture)
    assert '"service:web" -> "service:api" [label="api:8080"];' in dot
    assert '"service:worker" -> "service:api" [label="api:8080"];' in dot
    assert '"lb:main" -> "service:web" [label=":8080"];' in dot
    api = next(s for s in picture.services if s.name == "api")
    assert api.connect == ("api:8080",)


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_cluster_capacity_providers_are_fargate_and_each_ec2_group(
    synth_cache: SynthesisCache, env: str
) -> None:
    spec, picture = picture_of(synth_cache, env)
    names = {provider.name for provider in picture.cluster.providers}
    assert names == {"FARGATE", "FARGATE_SPOT", *spec.cluster.ec2_capacity}
    details = {provider.name: provider.detail for provider in picture.cluster.providers}
    for group, settings in spec.cluster.ec2_capacity.items():
        assert "/".join(settings.instance_types) in details[group]
        assert f"{settings.min_capacity}-{settings.max_capacity} instances" in details[group]
        assert ("Spot" in details[group]) == settings.spot
    assert picture.cluster.namespace == f"shop-{env}.internal"


def test_the_job_has_its_schedule_and_the_worker_its_queue(synth_cache: SynthesisCache) -> None:
    spec, picture = picture_of(synth_cache, "local")
    services = {service.name: service for service in picture.services}
    schedule = spec.services["reports"].schedule
    assert schedule is not None
    assert services["reports"].schedule == f"{schedule.expression} {schedule.timezone}"
    assert services["reports"].queue is None  # its dead-letter queue is for runs, not work
    queue = spec.services["worker"].queue_settings
    assert services["worker"].queue == Queue(queue.visibility_timeout_seconds, queue.max_receive_count)
    assert services["worker"].placement == (Placement("graviton", 1, 0),)
    dot = to_dot(picture)
    assert "schedule cron(0 3 * * ? *) UTC" in dot
    assert '"queue:worker" -> "dlq:worker" [label="after 5 receives"];' in dot


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_subnets_are_public_and_private_in_each_zone(synth_cache: SynthesisCache, env: str) -> None:
    spec, picture = picture_of(synth_cache, env)
    network = picture.network
    assert network.cidr == str(spec.network.cidr)
    assert len(network.zones) == spec.network.max_azs
    for zone in network.zones:
        assert sorted((s.name, s.type) for s in network.subnets if s.zone == zone) == [
            ("private", "Private"),
            ("public", "Public"),
        ]
    assert sum(s.nat_gateway for s in network.subnets) == spec.network.nat_gateways
    assert all(s.type == "Public" for s in network.subnets if s.nat_gateway)
    assert network.endpoints == ("s3 (gateway)",)
    assert all(f"<td align='left'>{zone}</td>" in to_dot(picture) for zone in network.zones)


def test_the_svg_is_real_graphviz_output_naming_every_service(synth_cache: SynthesisCache) -> None:
    spec, picture = picture_of(synth_cache, "local")
    root = ET.fromstring(render(picture, "svg"))
    assert root.tag == f"{SVG}svg"
    titles = {element.text for element in root.iter(f"{SVG}title")}
    assert {service_node(name) for name in spec.services} <= titles
    texts = " ".join(element.text or "" for element in root.iter(f"{SVG}text"))
    assert all(f"{name} (main)" in texts or f"{name} :" in texts for name in spec.services)
    assert "public load balancer" in texts


def test_the_png_is_a_real_picture(synth_cache: SynthesisCache) -> None:
    _, picture = picture_of(synth_cache, "dev")
    image = render(picture, "png")
    assert image.startswith(PNG_MAGIC)
    width, height = struct.unpack(">II", image[16:24])  # the IHDR chunk
    assert width > 1500 and height > 700 and len(image) > 50_000


def test_the_png_draws_text_with_the_pinned_font() -> None:
    """Without a usable font resvg silently drops text: the two pictures would be the same."""

    def box(label: str) -> bytes:
        return png(
            svg(f'digraph {{ node [fontname="{PNG_FONT}", fixedsize=true, width=3]; a [label="{label}"] }}')
        )

    assert box("shop-dev web :8080") != box(" ")


def test_bad_dot_is_reported_by_graphviz() -> None:
    from deployer.diagram.render import RenderError

    with pytest.raises(RenderError, match="syntax error"):
        svg("digraph { a -> }")


# --- the command ------------------------------------------------------------------------------


@pytest.fixture
def cached_synthesis(synth_cache: SynthesisCache, monkeypatch: pytest.MonkeyPatch) -> None:
    """The command synthesises through `deployer.cdk.synth`; give it the session's templates."""

    def synthesise(spec: AppSpec, *_: Any, **__: Any) -> dict[str, dict[str, Any]]:
        return synth_cache.get(spec.environment.name).templates

    monkeypatch.setattr("deployer.commands.diagram.synthesise_templates", synthesise)


@pytest.mark.usefixtures("cached_synthesis")
def test_the_default_file_is_diagram_env_format_and_its_path_is_printed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["diagram", "--env", "local", "--format", "dot"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "diagram-local.dot"
    assert (
        (tmp_path / "diagram-local.dot").read_text().startswith('digraph "shop-local (local, us-east-1)" {')
    )


@pytest.mark.usefixtures("cached_synthesis")
def test_output_dash_writes_svg_to_stdout() -> None:
    result = CliRunner().invoke(app, ["diagram", "--env", "local", "--output", "-"])
    assert result.exit_code == 0, result.output
    assert ET.fromstring(result.stdout).tag == f"{SVG}svg"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--env", "nope"], "no environment 'nope'; available: "),
        (["--format", "gif"], "--format 'gif': use one of svg, png, dot"),
        (["--format", "png", "--output", "-"], "--output -: png is binary"),
        (["--output", "no/such/dir/d.svg"], "directory 'no/such/dir' does not exist"),
        (["--output", "."], "--output '.' is a directory"),
        (["--output", "-", "--json"], "--json prints the path of a written file"),
    ],
)
def test_bad_input_exits_2_naming_the_option(args: list[str], message: str) -> None:
    result = CliRunner().invoke(app, ["diagram", *args])
    assert result.exit_code == ExitCode.BAD_INPUT, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)
