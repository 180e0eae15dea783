"""What ``deployer diagram`` draws, as data: one environment's network, load balancers,
cluster, services and the network paths its security groups allow.

``deployer.diagram.read`` fills it from the spec and the synthesised templates;
``deployer.diagram.dot`` draws it. Node keys (``Flow.source``/``target``) are ``internet``,
``vpc``, ``cidr:<block>``, ``endpoints``, ``lb:<name>``, ``service:<name>`` and
``workflow:<name>``.
"""

from __future__ import annotations

from dataclasses import dataclass

INTERNET = "internet"
VPC = "vpc"
ENDPOINTS = "endpoints"


def service_node(name: str) -> str:
    return f"service:{name}"


def balancer_node(name: str) -> str:
    return f"lb:{name}"


@dataclass(frozen=True)
class Subnet:
    name: str  # the CDK subnet group: "public", "private"
    type: str  # Public, Private or Isolated
    zone: str
    cidr: str
    nat_gateway: bool = False  # the subnet holds one of the VPC's NATs
    nat_kind: str = "NAT gateway"  # or "NAT instance"


@dataclass(frozen=True)
class Network:
    cidr: str
    subnets: tuple[Subnet, ...]  # by zone, then public before private
    endpoints: tuple[str, ...]  # VPC endpoint services: "s3 (gateway)", "ecr.api"

    @property
    def zones(self) -> list[str]:
        return sorted({subnet.zone for subnet in self.subnets})


@dataclass(frozen=True)
class Flow:
    """Traffic a security group rule allows: ``source`` may open connections to ``target``."""

    source: str
    target: str
    port: str  # "8080", "1024-65535" or "all"


@dataclass(frozen=True)
class Listener:
    protocol: str
    port: int
    default: str  # what an unmatched request gets: "404", "redirect to HTTPS:443"


@dataclass(frozen=True)
class Route:
    """A listener rule: requests matching ``hosts`` and ``paths`` go to ``service`` on ``port``."""

    listener_port: int
    priority: int
    hosts: tuple[str, ...]  # empty: any host
    paths: tuple[str, ...]
    service: str
    port: int


@dataclass(frozen=True)
class LoadBalancer:
    name: str  # the services' ``http.load_balancer``
    listeners: tuple[Listener, ...]  # by port
    routes: tuple[Route, ...]  # by listener port, then priority

    @property
    def node(self) -> str:
        return balancer_node(self.name)


@dataclass(frozen=True)
class CapacityProvider:
    name: str  # FARGATE, FARGATE_SPOT, or the spec's capacity group name
    detail: str  # "Fargate Spot", "EC2 Spot, t3.medium/m5.large, 0-3 instances"


@dataclass(frozen=True)
class Cluster:
    name: str
    namespace: str  # the Service Connect namespace
    providers: tuple[CapacityProvider, ...]


@dataclass(frozen=True)
class Container:
    name: str
    ports: tuple[int, ...]
    essential: bool


@dataclass(frozen=True)
class Placement:
    """One entry of a capacity provider strategy."""

    provider: str  # as in CapacityProvider.name
    weight: int
    base: int


@dataclass(frozen=True)
class Queue:
    visibility_seconds: int
    max_receives: int  # receives before a message moves to the dead-letter queue


@dataclass(frozen=True)
class Service:
    """A service or a job, with its task's containers (the main one first)."""

    name: str
    kind: str  # web, backend, worker or job
    containers: tuple[Container, ...]
    placement: tuple[Placement, ...]
    connect: tuple[str, ...] = ()  # Service Connect names it serves: "api:8080"
    schedule: str | None = None  # job: "cron(0 3 * * ? *) UTC"
    queue: Queue | None = None  # worker
    triggers: tuple[str, ...] = ()  # job: "S3 uploads/exports/", "events from my.app"

    @property
    def node(self) -> str:
        return service_node(self.name)


@dataclass(frozen=True)
class Workflow:
    """A Step Functions state machine: what starts it and which service each step runs."""

    name: str  # the spec's workflow name
    steps: tuple[tuple[str, str], ...]  # (step name, service it runs), in definition order
    starts: tuple[str, ...] = ()  # "schedule cron(0 4 * * ? *) UTC", "S3 uploads/", …

    @property
    def node(self) -> str:
        return workflow_node(self.name)


def workflow_node(name: str) -> str:
    return f"workflow:{name}"


@dataclass(frozen=True)
class Picture:
    """One environment, ready to draw."""

    title: str  # "shop-dev (aws, eu-west-1)"
    network: Network
    load_balancers: tuple[LoadBalancer, ...]
    cluster: Cluster
    services: tuple[Service, ...]  # spec order
    flows: tuple[Flow, ...]
    workflows: tuple[Workflow, ...] = ()  # spec order
