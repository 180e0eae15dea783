"""One stack plan: the stacks of an environment, their kinds and their deploy order, as the
app builds them and the deployer lists them."""

from __future__ import annotations

from config import load_spec, naming, parse_spec
from config.call_graph import call_order, callees, first_cycle
from config.loader import ENVIRONMENTS_DIR
from config.naming import PlannedStack
from stacks.app_builder import build_environment
from tests.harness import make_app
from tests.unit.test_spec_loader import problems_of

LOCAL_TEXT = (ENVIRONMENTS_DIR / "local.yaml").read_text()
WEB = "    kind: web                     # behind the shared load balancer (plain HTTP on local)\n"


def test_local_plan_layers_then_services_callees_first() -> None:
    assert naming.stack_plan(load_spec("local")) == [
        PlannedStack("shop-local-network", "network"),
        PlannedStack("shop-local-cluster", "cluster"),
        PlannedStack("shop-local-ingress", "ingress"),
        PlannedStack("shop-local-svc-api", "service", "api"),  # web calls api: api deploys first
        PlannedStack("shop-local-svc-web", "service", "web"),
        PlannedStack("shop-local-svc-worker", "service", "worker"),
        PlannedStack("shop-local-svc-reports", "service", "reports"),
        PlannedStack("shop-local-workflows", "workflows"),  # after every service its steps run
    ]
    assert naming.all_stack_names(load_spec("local")) == [
        "shop-local-network",
        "shop-local-cluster",
        "shop-local-ingress",
        "shop-local-svc-api",
        "shop-local-svc-web",
        "shop-local-svc-worker",
        "shop-local-svc-reports",
        "shop-local-workflows",
    ]


def test_no_web_service_no_ingress_stack() -> None:
    start, end = LOCAL_TEXT.index("  web:\n"), LOCAL_TEXT.index("  api:\n")
    without_web = LOCAL_TEXT[:start] + LOCAL_TEXT[end:]
    text = without_web.replace("allow_from: [web, worker]", "allow_from: [worker]")
    kinds = [(p.kind, p.service) for p in naming.stack_plan(parse_spec(text))]
    assert kinds == [
        ("network", None),
        ("cluster", None),
        ("service", "api"),
        ("service", "worker"),
        ("service", "reports"),
        ("workflows", None),
    ]


def test_a_chain_of_calls_deploys_the_last_callee_first() -> None:
    # worker → web → api: web now takes calls from worker too
    spec = parse_spec(LOCAL_TEXT.replace(WEB, WEB + "    allow_from: [worker]\n", 1))
    assert callees(spec) == {"web": ["api"], "api": [], "worker": ["web", "api"], "reports": []}
    assert call_order(spec) == ["api", "web", "worker", "reports"]
    assert first_cycle(spec) is None


def test_a_cycle_is_named_by_the_spec_check() -> None:
    [problem] = problems_of(LOCAL_TEXT.replace(WEB, WEB + "    allow_from: [api]\n", 1))
    assert "services.web.allow_from" in problem and "web → api → web: " in problem


def test_the_app_builds_the_plan_in_its_order() -> None:
    spec = load_spec("dev")
    stacks = build_environment(make_app(), spec)
    assert [s.stack_name for s in stacks] == naming.all_stack_names(spec)
