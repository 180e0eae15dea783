"""The environment's CloudWatch dashboard from its spec (every name in it is literal, so the
dashboard depends on no other stack)."""

from __future__ import annotations

from constructs import Construct

from config import naming
from config.schema import AppSpec
from constructs_lib import EnvironmentDashboard, failed_jobs_metric


def environment_dashboard(scope: Construct, spec: AppSpec) -> EnvironmentDashboard:
    """``EnvironmentDashboard`` ("Dashboard"): running and desired tasks of every long-running
    service, and failed jobs of every Batch queue."""
    return EnvironmentDashboard(
        scope,
        "Dashboard",
        dashboard_name=naming.dashboard_name(spec),
        cluster_name=naming.cluster_name(spec),
        services=spec.long_running,
        job_failures={
            f"Batch queue {queue}": failed_jobs_metric(naming.failed_jobs_rule_name(spec, queue))
            for queue in spec.batch.queues
        },
    )
