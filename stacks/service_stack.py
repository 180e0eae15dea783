"""``ServiceStack``: one service, its task definition and its security group."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_ecs as ecs
from constructs import Construct

from config.naming import task_family
from config.schema import AppSpec
from constructs_lib import (
    Capacity,
    ContainerProps,
    EcsCluster,
    EcsService,
    Network,
    VersionedTaskDefinition,
    container_image,
)


class ServiceStack(cdk.Stack):
    """Composes ``VersionedTaskDefinition`` and ``EcsService`` for ``spec.services[name]``.

    ``image`` overrides the spec's image (release input from ``-c image.<service>=<ref>``).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        spec: AppSpec,
        service: str,
        network: Network,
        cluster: EcsCluster,
        image: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        svc = spec.services[service]
        image_ref = image or svc.image
        self.task_definition = VersionedTaskDefinition(
            self,
            "TaskDefinition",
            family=task_family(spec, service),
            cpu=svc.cpu,
            memory_mib=svc.memory,
            capacity=Capacity(spec.capacity_kind(service)),
            containers=[
                ContainerProps(
                    name=service,
                    image=container_image(self, "Image", image_ref),
                    port=svc.container_port,
                    environment=svc.environment,
                )
            ],
            release_labels={"deployer.image": image_ref},
        )
        self.service = EcsService(
            self,
            "Service",
            cluster=cluster.cluster,
            task_definition=self.task_definition.task_definition,
            service_name=service,
            desired_count=svc.desired_count,
            vpc_subnets=network.private_subnets,
            capacity_provider_strategies=_strategy(spec, service, cluster.capacity_provider_names),
        )
        cdk.CfnOutput(self, "ServiceName", value=self.service.service.service_name)
        cdk.CfnOutput(
            self, "TaskDefinitionArn", value=self.task_definition.task_definition.task_definition_arn
        )


def _strategy(
    spec: AppSpec, service: str, provider_names: Mapping[str, str]
) -> list[ecs.CapacityProviderStrategy]:
    return [
        ecs.CapacityProviderStrategy(
            capacity_provider=provider_names[item.provider], weight=item.weight, base=item.base
        )
        for item in spec.strategy_for(service)
    ]
