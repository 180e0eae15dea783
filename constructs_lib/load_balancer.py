"""``PublicLoadBalancer``: one internet-facing Application Load Balancer shared by web services."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from aws_cdk import aws_s3 as s3
from constructs import Construct

from constructs_lib.control_tower import ACCESS_LOG_BUCKET, acknowledge_control
from constructs_lib.nag import acknowledge

_NOT_FOUND = elbv2.ListenerAction.fixed_response(404, content_type="text/plain", message_body="not found")


class PublicLoadBalancer(Construct):
    """An ALB in public subnets whose listeners answer 404 until services add rules.

    With ``certificate_arn``: HTTPS on 443 (``ssl_policy``, default TLS 1.2/1.3) and a
    permanent HTTP→HTTPS redirect on 80. Without it (local endpoints only): plain HTTP on 80.
    Defaults: invalid header fields dropped; access logs to an S3 bucket of their own (SSE-S3,
    the only encryption ALB log delivery supports; TLS-only; no public access; objects expire
    after ``access_log_retention_days``, default 90; retained); idle timeout 60 s; security
    group open to the internet on the listener ports only, with no egress until a service
    opens its port (``allow_to``). ``test_listener_port`` (default none) adds a listener for
    blue/green test traffic that only the VPC may reach. ``public_ipv4=False`` makes it
    ``dualstack-without-public-ipv4``: internet clients come over IPv6 only, and AWS charges no
    public IPv4 addresses for it (the VPC must be dual-stack).

    ``listener`` takes production rules; ``test_listener`` the test rules.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        vpc: ec2.IVpc,
        certificate_arn: str | None = None,
        ssl_policy: elbv2.SslPolicy = elbv2.SslPolicy.RECOMMENDED_TLS,
        idle_timeout_seconds: int = 60,
        access_log_retention_days: int = 90,
        deletion_protection: bool = False,
        test_listener_port: int | None = None,
        public_ipv4: bool = True,
    ) -> None:
        super().__init__(scope, construct_id)
        if access_log_retention_days < 1:
            raise ValueError(f"access_log_retention_days={access_log_retention_days} must be 1 or more")
        self.security_group = ec2.SecurityGroup(
            self, "SecurityGroup", vpc=vpc, description="public load balancer", allow_all_outbound=False
        )
        # Service stacks add the egress rule to each target port. aws-cdk-lib then drops its
        # "no traffic" placeholder, and a group with no inline egress gets AWS's allow-all
        # default, so the placeholder is pinned here.
        group = self.security_group.node.default_child
        assert isinstance(group, ec2.CfnSecurityGroup)
        group.add_property_override(
            "SecurityGroupEgress",
            [
                {
                    "CidrIp": "255.255.255.255/32",
                    "Description": "Disallow all traffic",
                    "FromPort": 252,
                    "IpProtocol": "icmp",
                    "ToPort": 86,
                }
            ],
        )
        acknowledge(
            self.security_group,
            "EC23",
            "A public load balancer must accept clients from anywhere, and only on its listener "
            "ports (443, and 80 to redirect to HTTPS); the test listener is open to the VPC only.",
        )
        self.load_balancer = elbv2.ApplicationLoadBalancer(
            self,
            "LoadBalancer",
            vpc=vpc,
            internet_facing=True,
            vpc_subnets=ec2.SubnetSelection(subnet_type=ec2.SubnetType.PUBLIC),
            security_group=self.security_group,
            drop_invalid_header_fields=True,
            idle_timeout=cdk.Duration.seconds(idle_timeout_seconds),
            deletion_protection=deletion_protection,
            ip_address_type=None if public_ipv4 else elbv2.IpAddressType.DUAL_STACK_WITHOUT_PUBLIC_IPV4,
        )
        internet = ec2.Peer.any_ipv4() if public_ipv4 else ec2.Peer.any_ipv6()
        self.access_logs = self._access_log_bucket(access_log_retention_days)
        self.load_balancer.log_access_logs(self.access_logs, prefix="alb")
        https = certificate_arn is not None
        self.listener = self._listener(
            "Https" if https else "Http",
            443 if https else 80,
            internet,
            certificate_arn,
            ssl_policy,
        )
        if https:
            self.security_group.add_ingress_rule(internet, ec2.Port.tcp(80), "HTTP, redirected")
            self.load_balancer.add_redirect(source_port=80, target_port=443, open=False)
        self.test_listener: elbv2.ApplicationListener | None = None
        if test_listener_port is not None:
            self.test_listener = self._listener(
                "TestListener",
                test_listener_port,
                ec2.Peer.ipv4(vpc.vpc_cidr_block),
                certificate_arn,
                ssl_policy,
            )

    def _listener(
        self,
        name: str,
        port: int,
        peer: ec2.IPeer,
        certificate_arn: str | None,
        ssl_policy: elbv2.SslPolicy,
    ) -> elbv2.ApplicationListener:
        listener = self.load_balancer.add_listener(
            name,
            port=port,
            protocol=elbv2.ApplicationProtocol.HTTPS if certificate_arn else elbv2.ApplicationProtocol.HTTP,
            certificates=[elbv2.ListenerCertificate.from_arn(certificate_arn)] if certificate_arn else None,
            ssl_policy=ssl_policy if certificate_arn else None,
            default_action=_NOT_FOUND,
            open=False,
        )
        self.security_group.add_ingress_rule(peer, ec2.Port.tcp(port), f"{name} listener")
        return listener

    def _access_log_bucket(self, retention_days: int) -> s3.Bucket:
        bucket = s3.Bucket(
            self,
            "AccessLogs",
            encryption=s3.BucketEncryption.S3_MANAGED,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            enforce_ssl=True,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            lifecycle_rules=[
                s3.LifecycleRule(
                    expiration=cdk.Duration.days(retention_days),
                    abort_incomplete_multipart_upload_after=cdk.Duration.days(1),
                )
            ],
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        acknowledge(
            bucket,
            "S1",
            "This bucket receives the load balancer's access logs; logging access to the access "
            "logs would need yet another bucket, and S3 data events in CloudTrail cover it.",
        )
        for rule, reason in ACCESS_LOG_BUCKET.items():
            acknowledge_control(bucket, rule, reason)
        return bucket
