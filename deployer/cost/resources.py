"""Price the infrastructure resources of one template: NATs, public IPv4 addresses, load
balancers, interface endpoints, KMS keys, EC2 capacity at its minimum size, alarms, secrets and
hosted zones; EventBridge rules and Step Functions state machines are usage notes. ECS services
and schedules are priced by ``deployer.cost.tasks``.

A resource type that is neither priced here nor known to be free (or usage-only, covered by a
note) becomes a warning, so a new kind of resource never goes missing from an estimate silently.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from config import naming
from config.schema import AppSpec
from deployer.cost.model import Findings, Group, LineItem
from deployer.cost.prices import Price, PriceTable

NO_CHARGE_OF_THEIR_OWN = frozenset(
    {
        "AWS::ApplicationAutoScaling::ScalableTarget",
        "AWS::AutoScaling::LifecycleHook",
        "AWS::CDK::Metadata",
        "AWS::EC2::EgressOnlyInternetGateway",
        "AWS::EC2::InternetGateway",
        "AWS::EC2::LaunchTemplate",
        "AWS::EC2::Route",
        "AWS::EC2::RouteTable",
        "AWS::ACMPCA::Certificate",  # the CA's own root certificate: in the CA's monthly price
        "AWS::ACMPCA::CertificateAuthorityActivation",
        "AWS::EC2::SecurityGroup",
        "AWS::EC2::SecurityGroupEgress",
        "AWS::EC2::SecurityGroupIngress",
        "AWS::EC2::Subnet",
        "AWS::EC2::SubnetRouteTableAssociation",
        "AWS::EC2::VPC",
        "AWS::EC2::VPCCidrBlock",
        "AWS::EC2::VPCGatewayAttachment",
        "AWS::ECS::CapacityProvider",
        "AWS::ECS::ClusterCapacityProviderAssociations",
        "AWS::ECS::Service",  # its tasks: deployer.cost.tasks
        "AWS::ECS::TaskDefinition",
        "AWS::ElasticLoadBalancingV2::Listener",
        "AWS::ElasticLoadBalancingV2::ListenerCertificate",
        "AWS::ElasticLoadBalancingV2::ListenerRule",
        "AWS::ElasticLoadBalancingV2::TargetGroup",
        "AWS::IAM::InstanceProfile",
        "AWS::IAM::ManagedPolicy",
        "AWS::IAM::Policy",
        "AWS::IAM::Role",
        "AWS::KMS::Alias",
        "AWS::Lambda::Function",  # custom-resource handlers, run on deploys only
        "AWS::S3::BucketPolicy",
        "AWS::SNS::TopicPolicy",
        "AWS::SQS::QueuePolicy",
        "AWS::ServiceDiscovery::HttpNamespace",
    }
)
_REQUESTS = ("AWS::S3::Bucket", "AWS::SQS::Queue", "AWS::SNS::Topic", "AWS::Scheduler::Schedule")
_LOGS = ("AWS::Logs::LogGroup", "AWS::EC2::FlowLog")
_HOSTED_ZONES = (
    "AWS::Route53::HostedZone",
    "AWS::ServiceDiscovery::PrivateDnsNamespace",
    "AWS::ServiceDiscovery::PublicDnsNamespace",
)
_WITHOUT_PUBLIC_IPV4 = "dualstack-without-public-ipv4"


@dataclass(frozen=True)
class _Scope:
    spec: AppSpec
    resources: Mapping[str, Any]
    group: Group
    prices: PriceTable
    found: Findings

    def line(self, what: str, quantity: float, unit: str, price: Price, note: str = "") -> None:
        self.found.lines.append(LineItem(self.group, what, quantity, unit, price, note))

    def usage(self, key: str) -> None:
        self.found.note(self.prices.usage[key].text)

    def instance_price(self, instance_type: str) -> Price | None:
        price = self.prices.instances.get(instance_type)
        if price is None:
            self.found.warnings.append(
                f"no price for instance type {instance_type} in deployer/cost/prices.py: its line is left "
                "out of the estimate; add the type's on-demand price there"
            )
        return price


def price_resources(
    spec: AppSpec, template: Mapping[str, Any], group: Group, prices: PriceTable, found: Findings
) -> None:
    """Add ``template``'s priced resources to ``found`` as lines of ``group``."""
    resources = template.get("Resources", {})
    scope = _Scope(spec, resources, group, prices, found)
    for logical_id, resource in resources.items():
        kind = resource["Type"]
        props = resource.get("Properties", {})
        handler = _HANDLERS.get(kind)
        if handler:
            handler(scope, logical_id, props)
        elif kind in _REQUESTS:
            scope.usage("requests")
        elif kind in _LOGS:
            scope.usage("logs")
        elif kind in _HOSTED_ZONES:
            scope.line("Route 53 hosted zone", 1, "zone", prices.hosted_zone)
        elif kind not in NO_CHARGE_OF_THEIR_OWN and not kind.startswith("Custom::"):
            found.warnings.append(
                f"not priced: {kind} ({logical_id}); teach deployer/cost/resources.py its price"
            )


def _nat_gateway(scope: _Scope, _id: str, _props: Mapping[str, Any]) -> None:
    scope.line("NAT gateway", 1, "gateway", scope.prices.nat_gateway)
    scope.usage("nat_gateway")
    scope.usage("internet_egress")


def _elastic_ip(scope: _Scope, logical_id: str, _props: Mapping[str, Any]) -> None:
    allocation = {"Fn::GetAtt": [logical_id, "AllocationId"]}
    nat = any(r.get("Properties", {}).get("AllocationId") == allocation for r in scope.resources.values())
    owner = "NAT gateway" if nat else "Elastic IP"
    scope.line(f"public IPv4 address: {owner}", 1, "address", scope.prices.public_ipv4)


def _instance(scope: _Scope, _id: str, props: Mapping[str, Any]) -> None:
    kind = "NAT instance" if props.get("SourceDestCheck") is False else "EC2 instance"
    instance_type = str(props.get("InstanceType", "m1.small"))  # CloudFormation's default
    price = scope.instance_price(instance_type)
    if price:
        scope.line(f"{kind} {instance_type}", 1, "instance", price)
    if any(nic.get("AssociatePublicIpAddress") is True for nic in props.get("NetworkInterfaces", [])):
        scope.line(f"public IPv4 address: {kind}", 1, "address", scope.prices.public_ipv4)
    _volumes(scope, f"{kind} root volume", props.get("BlockDeviceMappings", []), 1)
    if kind == "NAT instance":
        scope.usage("nat_instance")
    scope.usage("internet_egress")


def _volumes(scope: _Scope, what: str, mappings: list[Mapping[str, Any]], count: int) -> None:
    if not mappings:
        scope.found.warnings.append(f"{what}: its size comes from the AMI and is not priced")
    for mapping in mappings:
        ebs = mapping.get("Ebs", {})
        volume_type = str(ebs.get("VolumeType", "gp2"))
        price = scope.prices.ebs_gp3 if volume_type == "gp3" else scope.prices.ebs_gp2
        scope.line(f"EBS {volume_type}: {what}", count * int(ebs.get("VolumeSize", 8)), "GB", price)


def _load_balancer(scope: _Scope, _id: str, props: Mapping[str, Any]) -> None:
    kind = props.get("Type", "application")
    if kind not in ("application", "network"):
        scope.found.warnings.append(f"not priced: a {kind} load balancer")
        return
    scope.line(f"{kind.capitalize()} Load Balancer", 1, "load balancer", scope.prices.load_balancer)
    scope.usage("load_balancer")
    public = props.get("Scheme", "internet-facing") == "internet-facing"
    if public and props.get("IpAddressType", "ipv4") != _WITHOUT_PUBLIC_IPV4:
        zones = len(props.get("Subnets") or props.get("SubnetMappings") or [])
        scope.line(
            "public IPv4 addresses: load balancer, one per AZ",
            zones,
            "address",
            scope.prices.public_ipv4,
            note="AWS adds addresses when the load balancer scales out",
        )


def _endpoint(scope: _Scope, _id: str, props: Mapping[str, Any]) -> None:
    if props.get("VpcEndpointType", "Gateway") != "Interface":
        return  # gateway endpoints (S3, DynamoDB) have no charge
    zones = len(props.get("SubnetIds", []))
    scope.line(
        "interface endpoint, in each of its AZs", zones, "endpoint-AZ", scope.prices.interface_endpoint_az
    )
    scope.usage("interface_endpoint")


def _kms_key(scope: _Scope, _id: str, _props: Mapping[str, Any]) -> None:
    scope.line(
        "KMS key", 1, "key", scope.prices.kms_key, note="+$1/month after each of its first 2 rotations"
    )


def _auto_scaling_group(scope: _Scope, logical_id: str, props: Mapping[str, Any]) -> None:
    name = _group_name(scope, logical_id)
    minimum = int(props.get("MinSize", 0))
    if not minimum:
        scope.found.note(
            f"EC2 group {name}: no instance at its minimum size; instances start as tasks need them"
        )
        return
    mixed = props.get("MixedInstancesPolicy", {})
    launch = mixed.get("LaunchTemplate", {})
    data = _launch_template_data(
        scope, launch.get("LaunchTemplateSpecification") or props.get("LaunchTemplate")
    )
    overrides = [o["InstanceType"] for o in launch.get("Overrides", []) if "InstanceType" in o]
    instance_type = overrides[0] if overrides else str(data.get("InstanceType", ""))
    distribution = mixed.get("InstancesDistribution", {})
    spot = distribution.get("OnDemandPercentageAboveBaseCapacity", 100) == 0 and not distribution.get(
        "OnDemandBaseCapacity", 0
    )
    price = scope.instance_price(instance_type)
    if price:
        scope.line(
            f"EC2 group {name}: {instance_type}{' Spot' if spot else ''} at minimum size",
            minimum,
            "instance",
            price,
            note="Spot: priced on demand, the most it can cost" if spot else "",
        )
    _volumes(scope, f"EC2 group {name} root volumes", data.get("BlockDeviceMappings", []), minimum)


def _group_name(scope: _Scope, asg_id: str) -> str:
    """The spec's group name, from the capacity provider that uses this Auto Scaling group."""
    prefix = naming.capacity_provider_name(scope.spec, "")
    for resource in scope.resources.values():
        provider = resource.get("Properties", {}).get("AutoScalingGroupProvider", {})
        if provider.get("AutoScalingGroupArn") == {"Ref": asg_id}:
            return str(resource["Properties"].get("Name", asg_id)).removeprefix(prefix)
    return asg_id


def _launch_template_data(scope: _Scope, reference: Mapping[str, Any] | None) -> Mapping[str, Any]:
    template_id = (reference or {}).get("LaunchTemplateId", {})
    resource = scope.resources.get(template_id.get("Ref", "")) if isinstance(template_id, dict) else None
    return resource.get("Properties", {}).get("LaunchTemplateData", {}) if resource else {}


def _alarm(scope: _Scope, _id: str, props: Mapping[str, Any]) -> None:
    scope.line("CloudWatch alarm metrics", _metric_count(props), "metric", scope.prices.alarm_metric)


def _scaling_policy(scope: _Scope, _id: str, props: Mapping[str, Any]) -> None:
    tracking = props.get("TargetTrackingScalingPolicyConfiguration")
    if not tracking:
        return  # step scaling: its alarm is in the template
    custom = tracking.get("CustomizedMetricSpecification")
    metrics = _metric_count(custom) if custom else 1
    # Application Auto Scaling creates two alarms (scale out, scale in) per tracking policy.
    scope.line("CloudWatch alarm metrics", 2 * metrics, "metric", scope.prices.alarm_metric)
    scope.found.note(
        "alarm metrics include the 2 alarms Application Auto Scaling creates per target-tracking "
        "policy; the free tier (10 alarm metrics per account) is not subtracted"
    )


def _metric_count(props: Mapping[str, Any]) -> int:
    metrics = props.get("Metrics")
    return sum(1 for m in metrics if "MetricStat" in m) if metrics else 1


def _cluster(scope: _Scope, _id: str, props: Mapping[str, Any]) -> None:
    settings = {s.get("Name"): s.get("Value") for s in props.get("ClusterSettings", [])}
    if settings.get("containerInsights", "disabled") != "disabled":
        scope.usage("container_insights")


def _private_ca(scope: _Scope, _id: str, props: Mapping[str, Any]) -> None:
    mode = str(props.get("UsageMode", "GENERAL_PURPOSE"))
    scope.line(f"Private CA ({mode.lower().replace('_', ' ')})", 1, "CA", scope.prices.private_ca[mode])


def _secret(scope: _Scope, _id: str, _props: Mapping[str, Any]) -> None:
    scope.line("Secrets Manager secret", 1, "secret", scope.prices.secret)


_HANDLERS: dict[str, Callable[[_Scope, str, Mapping[str, Any]], None]] = {
    "AWS::EC2::NatGateway": _nat_gateway,
    "AWS::EC2::EIP": _elastic_ip,
    "AWS::EC2::Instance": _instance,
    "AWS::ElasticLoadBalancingV2::LoadBalancer": _load_balancer,
    "AWS::EC2::VPCEndpoint": _endpoint,
    "AWS::KMS::Key": _kms_key,
    "AWS::AutoScaling::AutoScalingGroup": _auto_scaling_group,
    "AWS::CloudWatch::Alarm": _alarm,
    "AWS::ApplicationAutoScaling::ScalingPolicy": _scaling_policy,
    "AWS::ECS::Cluster": _cluster,
    "AWS::SecretsManager::Secret": _secret,
    "AWS::ACMPCA::CertificateAuthority": _private_ca,
    "AWS::Events::Rule": lambda scope, _id, _props: scope.usage("eventbridge"),
    "AWS::StepFunctions::StateMachine": lambda scope, _id, _props: scope.usage("step_functions"),
}
