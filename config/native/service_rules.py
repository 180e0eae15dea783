"""What the service's spec asks of its native file: a main container and port for a web
service or one that others call (``allow_from``), and a task role the app may grant to."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from config.http_checks import target_group_problems
from config.native.containers import container_names, main_container, served_app_protocol, served_target
from config.native.model import FileProblem

if TYPE_CHECKING:
    from config.schema import AppSpec


def service_rule_problems(body: dict[str, Any], spec: AppSpec, service: str) -> Iterator[FileProblem]:
    """Every way ``body`` cannot serve what ``services.<service>`` asks of it."""
    svc = spec.services[service]
    needs = "a web service" if svc.kind == "web" else ("allow_from" if svc.allow_from else None)
    if needs is not None:
        main = main_container(body, service)
        if main is None:
            yield FileProblem(
                "containerDefinitions",
                f"{needs} needs its main container: name one {service!r}, or map ports on one container only "
                f"(containers: {', '.join(container_names(body))})",
            )
        elif served_target(body, service) is None:
            yield FileProblem(
                "containerDefinitions",
                f"{needs} needs a port: the main container {main!r} maps no TCP containerPort",
            )
    if svc.kind == "web":
        yield from _target_group_problems(body, spec, service)
    for index, volume in enumerate(body.get("volumes", [])):
        if volume.get("configuredAtLaunch"):
            yield FileProblem(
                f"volumes[{index}].configuredAtLaunch",
                "the service would have to attach an EBS volume at launch, which it does not for a task "
                "definition file; use a services.<name>.volumes ebs volume with container keys instead",
            )
    if svc.permissions and "taskRoleArn" in body:
        yield FileProblem(
            "taskRoleArn",
            f"services.{service}.permissions grants rights to the task role the app creates; "
            "remove taskRoleArn, or remove permissions and grant these rights to that role yourself",
        )


def _target_group_problems(body: dict[str, Any], spec: AppSpec, service: str) -> Iterator[FileProblem]:
    """What the load balancer's target group cannot do with the served mapping's ``appProtocol``."""
    found = served_app_protocol(body, service)
    where, protocol = found if found else ("containerDefinitions", None)
    check = spec.services[service].http_settings.health_check
    https = spec.load_balancer.certificate_arn is not None
    for key, message, _ in target_group_problems(protocol, check, https):
        spec_key = "" if key == "app_protocol" else f"services.{service}.http.health_check.{key}: "
        yield FileProblem(where, spec_key + message)
