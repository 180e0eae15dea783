"""One Copilot workload in one environment, as one entry of ``services``."""

from __future__ import annotations

from dataclasses import dataclass

from config.yaml_source import Loc
from deployer.copilot.map_count import map_service_count, map_worker_count
from deployer.copilot.map_http import map_http
from deployer.copilot.map_jobs import map_schedule, map_subscribe
from deployer.copilot.map_task import map_task
from deployer.copilot.models_workload import (
    BACKEND,
    JOB,
    WEB,
    WORKER,
    BackendConfig,
    Deployment,
    JobConfig,
    Network,
    ServiceKeys,
    WebConfig,
    WorkerConfig,
)
from deployer.copilot.names import Target
from deployer.copilot.record import FieldLog
from deployer.copilot.resolve import Resolved

KIND_OF_TYPE = {WEB: "web", BACKEND: "backend", WORKER: "worker", JOB: "job"}


@dataclass(frozen=True)
class Imported:
    """What the environment needs to know of an imported service."""

    kind: str
    port: int | None
    private_placement: bool


def map_workload(
    name: str, kind_of: str, resolved: Resolved, log: FieldLog, target: Target
) -> Imported | None:
    """``services.<name>`` from the manifest; None (with the reason logged) when it is not imported."""
    config = resolved.config
    to: Loc = ("services", name)
    platform = getattr(config, "platform", None)
    if platform is not None and platform.parts[0] != "linux":
        for key in resolved.data:
            log.manual(
                (key,),
                "Windows containers are not supported here: the service is not imported",
                "run it elsewhere",
            )
        return None
    kind = KIND_OF_TYPE[kind_of]
    if isinstance(config, WebConfig) and config.http is not None and not config.http.enabled:
        kind = "backend"
    if isinstance(config, JobConfig) and config.on is not None and config.on.schedule.strip() == "none":
        kind = "backend"
    log.put(("type",), (*to, "kind"), kind, note=_kind_note(kind_of, kind))
    map_task(config, log, target, name)
    port = config.image.port if config.image is not None else None
    if isinstance(config, ServiceKeys):
        _service_keys(config, log, to, kind)
    if isinstance(config, WebConfig):
        _web(config, log, to, name, port)
    if isinstance(config, BackendConfig) and config.http is not None:
        log.manual(
            ("http",),
            "Copilot put this service behind the environment's internal load balancer; there is none here",
            f"call it through Service Connect at http://{name}:{port or '<port>'} instead of the internal "
            "load balancer's DNS name or its alias",
        )
    if isinstance(config, WorkerConfig) and config.subscribe is not None:
        map_subscribe(config.subscribe, log, to)
    if isinstance(config, JobConfig):
        map_schedule(config, log, to, name)
    network = getattr(config, "network", None)
    private = _network(network, log) if network is not None else False
    return Imported(kind, port, private)


def _kind_note(kind_of: str, kind: str) -> str:
    if kind_of == BACKEND:
        return (
            "reachable through Service Connect at http://<service>:<port>; Copilot's Cloud Map names "
            "(<service>.<env>.<app>.local) do not exist here"
        )
    if kind_of == WEB and kind == "backend":
        return "http: false: no Application Load Balancer (the NLB is reported below)"
    if kind_of == JOB and kind == "backend":
        return "schedule none: a service with no task (desired_count 0); start a run with `deployer run`"
    return ""


def _service_keys(config: ServiceKeys, log: FieldLog, to: Loc, kind: str) -> None:
    if config.count is not None:
        if kind == "worker":
            map_worker_count(config.count, log, to)
        else:
            map_service_count(config.count, log, to, web=kind == "web")
    if config.exec is not None:
        if config.exec.enable:
            log.manual(
                ("exec",),
                "ECS Exec is not enabled here (no shell into running tasks)",
                "run one-off commands with `deployer run <service> --command …` on the service's revision",
            )
        else:
            log.seen(("exec",), note="off, as here")
    if config.deployment is not None:
        _deployment(config.deployment, log, to)
    if config.observability is not None and config.observability.tracing is not None:
        log.manual(
            ("observability", "tracing"),
            "Copilot added an X-Ray/OpenTelemetry collector sidecar",
            "add an aws-otel-collector sidecar (config/environments/dev.yaml has one) and grant X-Ray writes",
        )


def _deployment(deployment: Deployment, log: FieldLog, to: Loc) -> None:
    if deployment.rolling is not None:
        if deployment.rolling == "default":
            log.seen(
                ("deployment", "rolling"), (*to, "deployment", "strategy"), note="rolling is the default here"
            )
        else:
            log.manual(
                ("deployment", "rolling"),
                "recreate (stop every task, then start new ones) is not offered: a deploy here starts new "
                "tasks before stopping old ones (minHealthyPercent 100)",
                "make sure two revisions can run side by side for a moment",
            )
    if deployment.rollback_alarms is not None:
        if isinstance(deployment.rollback_alarms, list):
            log.put(
                ("deployment", "rollback_alarms"),
                (*to, "deployment", "rollback_alarms"),
                deployment.rollback_alarms,
            )
        else:
            log.manual(
                ("deployment", "rollback_alarms"),
                "Copilot created these alarms; rollback_alarms here names existing alarms",
                "create the alarms in your CDK app and list their names in deployment.rollback_alarms",
            )


def _web(config: WebConfig, log: FieldLog, to: Loc, name: str, port: int | None) -> None:
    if config.http is not None and config.http.enabled:
        map_http(config.http, log, to, name, port)
    elif config.http is not None:
        log.seen(("http",), note="no Application Load Balancer: imported as a backend service")
    if config.nlb is not None:
        log.manual(
            ("nlb",),
            "Network Load Balancers are not modelled",
            "put an NLB in front of the service in your own CDK code, or serve it through the ALB (http)",
        )


def _network(network: Network, log: FieldLog) -> bool:
    """Logs the network keys; True when the tasks were in private subnets."""
    if network.connect is not None:
        if network.connect.alias is not None:
            log.manual(
                ("network", "connect", "alias"),
                "the Service Connect name is the service name here",
                "call the service by its name",
            )
        log.seen(("network", "connect"), note="every long-running service joins Service Connect here")
    vpc = network.vpc
    if vpc is None:
        return False
    if vpc.security_groups is not None:
        log.manual(
            ("network", "vpc", "security_groups"),
            "extra security groups on tasks are not modelled; each service has its own group",
            "open the resource to the service's security group (stack output) or use allow_from "
            "between services",
        )
    placement = vpc.placement
    if placement is None:
        return False
    if placement.subnets is not None:
        log.manual(
            ("network", "vpc", "placement", "subnets"),
            "tasks run in the environment's private subnets here",
            "none, unless the subnets mattered (then peer or route to them)",
        )
    if placement.kind == "private":
        log.seen(("network", "vpc", "placement"), note="private subnets, as every task here")
    if placement.kind == "public":
        log.seen(
            ("network", "vpc", "placement"),
            note="tasks run in private subnets without public IPs here, and reach the internet through NAT",
        )
    return placement.kind == "private"
