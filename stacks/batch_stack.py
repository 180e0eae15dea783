"""``BatchStack``: the environment's AWS Batch compute environments, job queues and jobs."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns
from constructs import Construct

from config import naming
from config.cdk_context import Release
from config.schema import AppSpec
from constructs_lib import BatchComputeEnvironment, BatchJobDefinition, BatchJobQueue, BatchRetry, Network
from stacks.batch_from_spec import compute_props, container_props
from stacks.permissions_from_spec import grant_permissions
from stacks.retention import retention


class BatchStack(cdk.Stack):
    """Composes ``spec.batch``: a ``BatchComputeEnvironment`` per compute environment in the
    network's private subnets, a ``BatchJobQueue`` per queue (named ``<app>-<env>-<queue>``,
    its failed-jobs alarm notifying ``alarm_topic`` when given) and a ``BatchJobDefinition`` per
    job (named ``<app>-<env>-<job>``, logs encrypted with ``encryption_key``, revisions labelled
    with ``release``).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        spec: AppSpec,
        network: Network,
        encryption_key: kms.IKey,
        alarm_topic: sns.ITopic | None = None,
        release: Release | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        batch = spec.batch
        self.compute_environments = {
            name: BatchComputeEnvironment(
                self,
                f"Compute-{name}",
                vpc=network.vpc,
                vpc_subnets=network.private_subnets,
                compute=compute_props(name, environment),
            )
            for name, environment in batch.compute_environments.items()
        }
        self.queues = {
            name: BatchJobQueue(
                self,
                f"Queue-{name}",
                job_queue_name=naming.job_queue_name(spec, name),
                compute_environments=[
                    self.compute_environments[e].compute_environment for e in queue.compute_environments
                ],
                priority=queue.priority,
                runnable_timeout=cdk.Duration.minutes(queue.runnable_timeout_minutes),
                failed_jobs_rule_name=naming.failed_jobs_rule_name(spec, name),
                alarm_topic=alarm_topic,
            )
            for name, queue in batch.queues.items()
        }
        labels = (release or Release()).labels()
        self.jobs: dict[str, BatchJobDefinition] = {}
        for name, job in batch.jobs.items():
            holder = Construct(self, f"Job-{name}")
            fargate = batch.compute_environments[batch.queues[job.queue].compute_environments[0]].type
            definition = BatchJobDefinition(
                holder,
                "Definition",
                container=container_props(holder, job, job.image, encryption_key),
                fargate=fargate == "fargate",
                job_definition_name=naming.job_definition_name(spec, name),
                parameters=job.parameters,
                retry=BatchRetry(attempts=job.retry.attempts, exit_on_codes=job.retry.exit_on_codes),
                timeout=cdk.Duration.minutes(job.timeout_minutes),
                log_retention=retention(job.log_retention_days),
                log_encryption_key=encryption_key,
            )
            for key, value in labels.items():
                cdk.Tags.of(definition.job_definition).add(key, value)
            grant_permissions(holder, name, definition.job_role, job.permissions)
            self.jobs[name] = definition
        for name, queue in self.queues.items():
            cdk.CfnOutput(self, naming.job_queue_output(name), value=queue.job_queue.job_queue_name)
