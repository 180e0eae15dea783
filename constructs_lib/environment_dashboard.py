"""``EnvironmentDashboard``: one CloudWatch dashboard per environment, a row per concern."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cloudwatch
from constructs import Construct

CONTAINER_INSIGHTS = "ECS/ContainerInsights"
WIDGET_WIDTH = 12  # two graphs a row (a dashboard row is 24 wide)


def failed_jobs_metric(rule_name: str, period: cdk.Duration | None = None) -> cloudwatch.Metric:
    """Jobs that failed per ``period`` (default 5 minutes), counted by the EventBridge rule
    ``rule_name`` that matches them (``AWS/Events`` ``TriggeredRules``, summed)."""
    return cloudwatch.Metric(
        namespace="AWS/Events",
        metric_name="TriggeredRules",
        dimensions_map={"RuleName": rule_name},
        statistic="Sum",
        period=period or cdk.Duration.minutes(5),
        label="failed jobs",
    )


class EnvironmentDashboard(Construct):
    """A dashboard named ``dashboard_name`` with, per service of ``services``, its running and
    desired task counts (Container Insights metrics of ``cluster_name``: with insights
    ``disabled`` the graphs stay empty), and one graph of failed jobs per entry of
    ``job_failures`` (title → metric, e.g. ``failed_jobs_metric`` of each Batch queue); a text
    widget saying so when there are neither. ``add_row`` adds more (a workflow section)."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        dashboard_name: str,
        cluster_name: str,
        services: Sequence[str],
        job_failures: Mapping[str, cloudwatch.IMetric] | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        self.dashboard = cloudwatch.Dashboard(
            self, "Dashboard", dashboard_name=dashboard_name, default_interval=cdk.Duration.hours(3)
        )
        self.add_row(*(self._service_tasks(cluster_name, service) for service in services))
        failures = job_failures or {}
        self.add_row(
            *(
                cloudwatch.GraphWidget(title=f"{title}: failed jobs", left=[metric], width=WIDGET_WIDTH)
                for title, metric in failures.items()
            )
        )
        if not services and not failures:  # a dashboard body needs a widget
            self.add_row(cloudwatch.TextWidget(markdown="No services or Batch queues yet.", width=24))

    def add_row(self, *widgets: cloudwatch.IWidget) -> None:
        """Add ``widgets`` below what the dashboard has, two to a line (nothing when empty)."""
        for start in range(0, len(widgets), 2):
            self.dashboard.add_widgets(*widgets[start : start + 2])

    @staticmethod
    def _service_tasks(cluster_name: str, service: str) -> cloudwatch.GraphWidget:
        def count(name: str, label: str) -> cloudwatch.Metric:
            return cloudwatch.Metric(
                namespace=CONTAINER_INSIGHTS,
                metric_name=name,
                dimensions_map={"ClusterName": cluster_name, "ServiceName": service},
                statistic="Average",
                period=cdk.Duration.minutes(1),
                label=label,
            )

        return cloudwatch.GraphWidget(
            title=f"{service}: tasks running / desired",
            left=[count("RunningTaskCount", "running"), count("DesiredTaskCount", "desired")],
            width=WIDGET_WIDTH,
        )
