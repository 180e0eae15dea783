"""The dated price table ``deployer cost`` uses: one region, on-demand list prices in USD.

Prices change: update ``AS_OF`` and the values together, from the pages named in each
``source``. Every price here is a public list price of ``REGION`` (Linux, no Savings Plans, no
free tier); the command prints the region and the date, and warns when an environment lives
in another region (most cost a little more than us-east-1).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Literal

Per = Literal["hour", "month", "GB-month"]

REGION = "us-east-1"
AS_OF = date(2026, 11, 23)
HOURS_PER_MONTH = 730  # AWS's own convention in its pricing examples

VPC = "https://aws.amazon.com/vpc/pricing/"
ELB = "https://aws.amazon.com/elasticloadbalancing/pricing/"
FARGATE = "https://aws.amazon.com/fargate/pricing/"
EC2 = "https://aws.amazon.com/ec2/pricing/on-demand/ (Linux)"


@dataclass(frozen=True)
class Price:
    """``usd`` per ``per`` (one hour, one month, or one GB stored for a month)."""

    usd: float
    per: Per
    source: str

    def monthly(self, quantity: float = 1.0) -> float:
        """What ``quantity`` units cost in a month of ``HOURS_PER_MONTH`` hours."""
        return quantity * self.usd * (HOURS_PER_MONTH if self.per == "hour" else 1)


@dataclass(frozen=True)
class UsagePrice:
    """A charge that grows with traffic or data (per GB, per request): printed as a note."""

    text: str
    source: str


@dataclass(frozen=True)
class PriceTable:
    region: str
    as_of: date
    nat_gateway: Price
    public_ipv4: Price
    load_balancer: Price  # Application and Network Load Balancers have the same hourly price
    interface_endpoint_az: Price
    kms_key: Price
    ebs_gp3: Price
    ebs_gp2: Price
    alarm_metric: Price
    cloud_map_instance: Price
    secret: Price
    hosted_zone: Price
    private_ca: Mapping[str, Price]  # by usage mode: SHORT_LIVED_CERTIFICATE, GENERAL_PURPOSE
    fargate_vcpu: Mapping[str, Price]  # by "x86_64" / "arm64"
    fargate_gb: Mapping[str, Price]
    # x86_64 and arm64 (ARM64 on platform 1.4.0+, per the ECS API's CapacityProviderStrategyItem)
    fargate_spot_vcpu: Mapping[str, Price]
    fargate_spot_gb: Mapping[str, Price]
    fargate_storage_gb: Price  # ephemeral storage above the 20 GiB every task gets
    instances: Mapping[str, Price]  # on-demand, by instance type
    usage: Mapping[str, UsagePrice]


PRIVATE_CA = (
    "https://aws.amazon.com/private-ca/pricing/ (per CA per month; short-lived certificates "
    "add $0.058 each, one per Service Connect service every 5 days, and ECS keeps each service's "
    "certificate in a Secrets Manager secret)"
)


def _hourly(usd: float, source: str) -> Price:
    return Price(usd, "hour", source)


_SPOT_SOURCE = (
    f"{FARGATE} Spot price varies (AWS: up to 70% off); estimated at 50% off on-demand, the "
    "cautious end of the 50-70% range"
)

PRICES = PriceTable(
    region=REGION,
    as_of=AS_OF,
    nat_gateway=_hourly(0.045, VPC),
    public_ipv4=_hourly(0.005, f"{VPC} (every public IPv4 address, in use or idle, since 2024-02-01)"),
    load_balancer=_hourly(0.0225, ELB),
    interface_endpoint_az=_hourly(0.01, "https://aws.amazon.com/privatelink/pricing/ (per endpoint per AZ)"),
    kms_key=Price(
        1.0,
        "month",
        "https://aws.amazon.com/kms/pricing/ (rotation adds $1/month for each "
        "of the first two rotated backing keys)",
    ),
    ebs_gp3=Price(0.08, "GB-month", "https://aws.amazon.com/ebs/pricing/ (3000 IOPS, 125 MB/s included)"),
    ebs_gp2=Price(0.10, "GB-month", "https://aws.amazon.com/ebs/pricing/"),
    alarm_metric=Price(
        0.10,
        "month",
        "https://aws.amazon.com/cloudwatch/pricing/ (standard resolution, per metric in the alarm)",
    ),
    cloud_map_instance=Price(
        0.10, "month", "https://aws.amazon.com/cloud-map/pricing/ (per registered resource)"
    ),
    secret=Price(0.40, "month", "https://aws.amazon.com/secrets-manager/pricing/"),
    hosted_zone=Price(0.50, "month", "https://aws.amazon.com/route53/pricing/"),
    private_ca=MappingProxyType(
        {
            "SHORT_LIVED_CERTIFICATE": Price(50.0, "month", PRIVATE_CA),
            "GENERAL_PURPOSE": Price(400.0, "month", PRIVATE_CA),
        }
    ),
    fargate_vcpu=MappingProxyType({"x86_64": _hourly(0.04048, FARGATE), "arm64": _hourly(0.03238, FARGATE)}),
    fargate_gb=MappingProxyType({"x86_64": _hourly(0.004445, FARGATE), "arm64": _hourly(0.00356, FARGATE)}),
    fargate_spot_vcpu=MappingProxyType(
        {"x86_64": _hourly(0.02024, _SPOT_SOURCE), "arm64": _hourly(0.01619, _SPOT_SOURCE)}
    ),
    fargate_spot_gb=MappingProxyType(
        {"x86_64": _hourly(0.0022225, _SPOT_SOURCE), "arm64": _hourly(0.00178, _SPOT_SOURCE)}
    ),
    fargate_storage_gb=_hourly(0.000111, FARGATE),
    instances=MappingProxyType(
        {
            name: _hourly(usd, EC2)
            for name, usd in {
                "t4g.nano": 0.0042,
                "t4g.micro": 0.0084,
                "t4g.small": 0.0168,
                "t3.medium": 0.0416,
                "t3.large": 0.0832,
                "t3a.medium": 0.0376,
                "t3a.large": 0.0752,
                "m5.large": 0.096,
                "m6i.large": 0.096,
                "m7i.large": 0.1008,
                "m6g.medium": 0.0385,
                "m6g.large": 0.077,
                "m7g.medium": 0.0408,
                "m7g.large": 0.0816,
                "c6i.large": 0.085,
                "c7g.large": 0.0725,
            }.items()
        }
    ),
    usage=MappingProxyType(
        {
            "load_balancer": UsagePrice(
                "ALB: $0.008 per LCU-hour (connections, bytes, rule evaluations)", ELB
            ),
            "nat_gateway": UsagePrice("NAT gateway: $0.045 per GB processed, both directions", VPC),
            "nat_instance": UsagePrice(
                "NAT instance: no charge per GB processed; its bandwidth is its instance type's "
                "(t4g.nano: a low baseline with bursts)",
                EC2,
            ),
            "internet_egress": UsagePrice(
                "data out to the internet: $0.09 per GB after the first 100 GB a month",
                "https://aws.amazon.com/ec2/pricing/on-demand/#Data_Transfer",
            ),
            "interface_endpoint": UsagePrice(
                "interface endpoints: $0.01 per GB processed", "https://aws.amazon.com/privatelink/pricing/"
            ),
            "logs": UsagePrice(
                "CloudWatch Logs (service, ECS Exec and VPC flow logs): $0.50 per GB ingested, "
                "$0.03 per GB-month stored",
                "https://aws.amazon.com/cloudwatch/pricing/",
            ),
            "container_insights": UsagePrice(
                "Container Insights: performance log events per GB ingested and the metrics derived "
                "from them, per cluster, service and task",
                "https://aws.amazon.com/cloudwatch/pricing/",
            ),
            "eventbridge": UsagePrice(
                "EventBridge rules: AWS service events (S3 Object Created) on the default bus are free; "
                "custom events $1.00 per million published",
                "https://aws.amazon.com/eventbridge/pricing/",
            ),
            "step_functions": UsagePrice(
                "Step Functions standard workflows: $0.025 per 1,000 state transitions (each step, "
                "retry and failure notification is one), 4,000 a month free",
                "https://aws.amazon.com/step-functions/pricing/",
            ),
            "requests": UsagePrice(
                "SQS, SNS, EventBridge Scheduler, KMS and S3 requests, S3 storage of access logs: "
                "per request or per GB, with free tiers",
                "each service's pricing page",
            ),
        }
    ),
)
