"""``ServiceStack``: one service, its task definition, volumes and security group."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_kms as kms
from constructs import Construct

from config.naming import cluster_name, task_family
from config.schema import AppSpec
from constructs_lib import (
    Capacity,
    EcsCluster,
    EcsService,
    LogRouting,
    NativeTaskDefinition,
    Network,
    VersionedTaskDefinition,
)
from constructs_lib.load_balancer import PublicLoadBalancer
from constructs_lib.scheduled_job import ScheduledJob
from stacks.containers_from_spec import (
    container_props,
    grant_efs,
    grant_environment_files,
    grant_secret_keys,
    task_volumes,
)
from stacks.permissions_from_spec import grant_permissions
from stacks.release import Release
from stacks.retention import retention
from stacks.service_kinds import attach_queue, attach_web, deployment, service_connect, track_targets

WEB_STOP_TIMEOUT = 10  # seconds; ECS's default is 30
EBS_VOLUME_TYPES = {
    "gp3": ec2.EbsDeviceVolumeType.GP3,
    "gp2": ec2.EbsDeviceVolumeType.GP2,
    "io1": ec2.EbsDeviceVolumeType.IO1,
    "io2": ec2.EbsDeviceVolumeType.IO2,
    "st1": ec2.EbsDeviceVolumeType.ST1,
    "sc1": ec2.EbsDeviceVolumeType.SC1,
}


class ServiceStack(cdk.Stack):
    """Composes ``VersionedTaskDefinition`` and ``EcsService`` for ``spec.services[name]``.

    ``image`` overrides the main container's image (release input from
    ``-c image.<service>=<ref>``); ``release`` labels every revision;
    ``pinned_task_definition`` (``-c pin.<service>=<ARN>``, set by ``deployer rollback``)
    runs the service on that retained revision instead of the synthesised one.

    The kind decides the rest: ``web`` attaches to ``ingress`` (the load balancer serving it),
    ``worker`` gets its queue, ``job`` becomes a ``ScheduledJob`` instead of a service.
    ``callees`` maps each service this one may call (their ``allow_from`` names it) to its
    security group and port; the rules into them live here, in the caller's stack.
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
        release: Release | None = None,
        log_encryption_key: kms.IKey | None = None,
        pinned_task_definition: str | None = None,
        ingress: PublicLoadBalancer | None = None,
        callees: Mapping[str, tuple[ec2.ISecurityGroup, int]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        svc = spec.services[service]
        labels = (release or Release()).labels()
        document = spec.task_definition_document(service)
        self.task_definition: VersionedTaskDefinition | NativeTaskDefinition
        if document is not None:
            first = document["containerDefinitions"][0]["name"]
            self.task_definition = VersionedTaskDefinition.from_native_json(
                self,
                "TaskDefinition",
                document,
                image_overrides={first: image} if image else None,
                release_labels=labels,
            )
        else:
            self.task_definition = self._from_spec(spec, service, image, labels, log_encryption_key)
        grant_permissions(self, service, self.task_definition.task_definition.task_role, svc.permissions)
        self.security_group: ec2.ISecurityGroup
        if svc.kind == "job":
            schedule = svc.schedule
            if schedule is None:  # the spec check rejects a job without one
                raise ValueError(f"job {service} has no schedule")
            if pinned_task_definition:
                raise ValueError(f"{service} is a job: a pin applies to services only")
            self.job = ScheduledJob(
                self,
                "Job",
                cluster=ecs.Cluster.from_cluster_attributes(
                    self, "ClusterByName", cluster_name=cluster_name(spec), vpc=network.vpc
                ),
                task_definition=self.task_definition.task_definition,
                expression=schedule.expression,
                time_zone=schedule.timezone,
                retry_attempts=schedule.retries,
                max_event_age=cdk.Duration.seconds(schedule.max_event_age_seconds),
                capacity_provider_strategies=_strategy(spec, service, cluster.capacity_provider_names),
                vpc_subnets=network.private_subnets,
                description=service,
                encryption_key=cluster.encryption_key,
            )
            self.security_group = self.job.security_group
            cdk.CfnOutput(self, "ScheduleName", value=self.job.schedule.schedule_name)
            cdk.CfnOutput(self, "DeadLetterQueueUrl", value=self.job.dead_letter_queue.queue_url)
        else:
            self.service = self._service(spec, service, network, cluster, ingress)
            self.security_group = self.service.security_group
        running = self.task_definition.task_definition.task_definition_arn
        if pinned_task_definition:
            resource = self.service.service.node.default_child
            assert isinstance(resource, cdk.CfnResource)
            resource.add_property_override("TaskDefinition", pinned_task_definition)
            running = pinned_task_definition
            cdk.CfnOutput(self, "PinnedTaskDefinition", value=pinned_task_definition)
        for callee, (group, port) in (callees or {}).items():
            ec2.CfnSecurityGroupIngress(
                self,
                f"To-{callee}",
                group_id=group.security_group_id,
                source_security_group_id=self.security_group.security_group_id,
                ip_protocol="tcp",
                from_port=port,
                to_port=port,
                description=f"from {service} (allow_from)",
            )
        cdk.CfnOutput(self, "TaskDefinitionArn", value=running)

    def _service(
        self,
        spec: AppSpec,
        service: str,
        network: Network,
        cluster: EcsCluster,
        ingress: PublicLoadBalancer | None,
    ) -> EcsService:
        svc = spec.services[service]
        ecs_service = EcsService(
            self,
            "Service",
            cluster=cluster.cluster,
            task_definition=self.task_definition.task_definition,
            service_name=service,
            desired_count=None if svc.scaled else svc.desired_count,
            vpc_subnets=network.private_subnets,
            capacity_provider_strategies=_strategy(spec, service, cluster.capacity_provider_names),
            volume_configurations=[
                ecs.ServiceManagedVolume(
                    self,
                    f"Volume-{name}",
                    name=name,
                    managed_ebs_volume=ecs.ServiceManagedEBSVolumeConfiguration(
                        size=cdk.Size.gibibytes(volume.ebs.size_gib),
                        volume_type=EBS_VOLUME_TYPES[volume.ebs.volume_type],
                        encrypted=True,
                    ),
                )
                for name, volume in svc.volumes.items()
                if volume.ebs
            ],
            deployment=deployment(svc.deployment),
            health_check_grace_period=(
                cdk.Duration.seconds(svc.http_settings.health_check_grace_seconds)
                if svc.kind == "web"
                else None
            ),
            service_connect=service_connect(spec, service, cluster, self.task_definition),
        )
        alarms = list(svc.deployment.rollback_alarms)
        routing = None
        if svc.kind == "web":
            if ingress is None:
                raise ValueError(f"web service {service} needs the environment's load balancer")
            routing = attach_web(self, spec, service, ecs_service, ingress, alarm_topic=cluster.alarm_topic)
            alarms += routing.alarm_names
        if svc.kind == "worker":
            queue = attach_queue(self, spec, service, ecs_service, cluster)
            cdk.CfnOutput(self, "QueueUrl", value=queue.queue.queue_url)
        if svc.autoscaling is not None:
            track_targets(ecs_service, svc.autoscaling, routing.target_group if routing else None)
        ecs_service.roll_back_on_alarms(alarms)
        cdk.CfnOutput(self, "ServiceName", value=ecs_service.service.service_name)
        return ecs_service

    def _from_spec(
        self, spec: AppSpec, service: str, image: str | None, labels: dict[str, str], key: kms.IKey | None
    ) -> VersionedTaskDefinition:
        svc = spec.services[service]
        containers = svc.containers(service)
        if svc.kind == "web" and svc.stop_timeout_seconds is None:
            # Behind a load balancer the task has drained before SIGTERM; 10 s is enough to exit.
            containers[service] = containers[service].model_copy(
                update={"stop_timeout_seconds": WEB_STOP_TIMEOUT}
            )
        images = {name: str(c.image) for name, c in containers.items()} | ({service: image} if image else {})
        task_definition = VersionedTaskDefinition(
            self,
            "TaskDefinition",
            family=task_family(spec, service),
            cpu=svc.cpu,
            memory_mib=svc.memory,
            capacity=Capacity(spec.capacity_kind(service)),
            cpu_architecture=(
                ecs.CpuArchitecture.ARM64 if svc.architecture == "arm64" else ecs.CpuArchitecture.X86_64
            ),
            ephemeral_storage_gib=svc.ephemeral_storage_gib,
            volumes=task_volumes(svc.volumes),
            logging=LogRouting(svc.logging),
            log_retention=retention(svc.log_retention_days),
            log_encryption_key=key,
            containers=[container_props(self, n, c, images[n], labels) for n, c in containers.items()],
            release_labels=labels,
        )
        writable = {m.volume for c in containers.values() for m in c.mounts if not m.read_only}
        grant_efs(task_definition.task_definition.task_role, svc.volumes, writable)
        execution_role = task_definition.task_definition.obtain_execution_role()
        grant_environment_files(
            execution_role, [arn for c in containers.values() for arn in c.environment_files]
        )
        grant_secret_keys(
            execution_role, [ref for c in containers.values() for ref in c.secrets.values()], key
        )
        return task_definition


def _strategy(
    spec: AppSpec, service: str, provider_names: Mapping[str, str]
) -> list[ecs.CapacityProviderStrategy]:
    return [
        ecs.CapacityProviderStrategy(
            capacity_provider=provider_names[item.provider], weight=item.weight, base=item.base
        )
        for item in spec.strategy_for(service)
    ]
