"""Web services: the shared load balancer, routing, fast health checks, strategies, alarms."""

from __future__ import annotations

from typing import Any

from config import naming
from tests.harness import SynthesisCache, resources_of_type


def one(template: dict[str, Any], kind: str) -> dict[str, Any]:
    [resource] = resources_of_type(template, kind).values()
    return dict(resource["Properties"])


def test_local_load_balancer_serves_http_drops_invalid_headers_and_logs(synth_cache: SynthesisCache) -> None:
    synthesised = synth_cache.get("local")
    template = synthesised.templates[naming.ingress_stack_name(synthesised.spec)]
    balancer = one(template, "AWS::ElasticLoadBalancingV2::LoadBalancer")
    attributes = {a["Key"]: a["Value"] for a in balancer["LoadBalancerAttributes"]}
    assert balancer["Scheme"] == "internet-facing"
    assert attributes["routing.http.drop_invalid_header_fields.enabled"] == "true"
    assert attributes["access_logs.s3.enabled"] == "true"
    [listener] = resources_of_type(template, "AWS::ElasticLoadBalancingV2::Listener").values()
    assert listener["Properties"]["Protocol"] == "HTTP" and listener["Properties"]["Port"] == 80
    assert listener["Properties"]["DefaultActions"][0]["FixedResponseConfig"]["StatusCode"] == "404"
    bucket = one(template, "AWS::S3::Bucket")
    assert bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"][0][
        "ServerSideEncryptionByDefault"
    ] == {"SSEAlgorithm": "AES256"}
    assert bucket["LifecycleConfiguration"]["Rules"][0]["ExpirationInDays"] == 90
    policy = one(template, "AWS::S3::BucketPolicy")["PolicyDocument"]["Statement"]
    assert any(
        s["Effect"] == "Deny" and s["Condition"] == {"Bool": {"aws:SecureTransport": "false"}} for s in policy
    )
    [access_logs] = resources_of_type(template, "AWS::S3::Bucket").values()
    assert access_logs["DeletionPolicy"] == "Retain"


def test_aws_load_balancer_is_https_with_a_redirect_and_a_vpc_only_test_listener(
    synth_cache: SynthesisCache,
) -> None:
    synthesised = synth_cache.get("prod")
    template = synthesised.templates[naming.ingress_stack_name(synthesised.spec)]
    listeners = {
        r["Properties"]["Port"]: r["Properties"]
        for r in resources_of_type(template, "AWS::ElasticLoadBalancingV2::Listener").values()
    }
    assert listeners[443]["Protocol"] == "HTTPS"
    assert listeners[443]["SslPolicy"] == "ELBSecurityPolicy-TLS13-1-2-2021-06"
    assert listeners[443]["Certificates"] == [
        {"CertificateArn": synthesised.spec.load_balancer.certificate_arn}
    ]
    assert listeners[80]["DefaultActions"][0]["RedirectConfig"]["Protocol"] == "HTTPS"
    assert listeners[80]["DefaultActions"][0]["RedirectConfig"]["StatusCode"] == "HTTP_301"
    assert listeners[9443]["Protocol"] == "HTTPS"
    group = one(template, "AWS::EC2::SecurityGroup")
    ingress = {
        (rule["FromPort"], "anywhere" if rule.get("CidrIp") == "0.0.0.0/0" else "vpc")
        for rule in group["SecurityGroupIngress"]
    }
    assert ingress == {(443, "anywhere"), (80, "anywhere"), (9443, "vpc")}
    assert (
        group["SecurityGroupEgress"][0]["CidrIp"] == "255.255.255.255/32"
    )  # no egress until a service opens


def test_target_group_health_check_is_fast_and_deregistration_short(synth_cache: SynthesisCache) -> None:
    synthesised = synth_cache.get("local")
    template = synthesised.templates[naming.service_stack_name(synthesised.spec, "web")]
    group = one(template, "AWS::ElasticLoadBalancingV2::TargetGroup")
    assert group["TargetType"] == "ip" and group["Port"] == 8080
    assert (group["HealthCheckIntervalSeconds"], group["HealthyThresholdCount"]) == (5, 2)
    assert (group["HealthCheckTimeoutSeconds"], group["UnhealthyThresholdCount"]) == (4, 2)
    assert group["Matcher"] == {"HttpCode": "200-399"}
    attributes = {a["Key"]: a["Value"] for a in group["TargetGroupAttributes"]}
    assert attributes["deregistration_delay.timeout_seconds"] == "15"
    service = one(template, "AWS::ECS::Service")
    assert service["HealthCheckGracePeriodSeconds"] == 10
    assert service["LoadBalancers"][0]["ContainerName"] == "web"


def test_only_the_load_balancer_reaches_the_web_port(synth_cache: SynthesisCache) -> None:
    synthesised = synth_cache.get("local")
    template = synthesised.templates[naming.service_stack_name(synthesised.spec, "web")]
    ingress = [
        r["Properties"] for r in resources_of_type(template, "AWS::EC2::SecurityGroupIngress").values()
    ]
    from_balancer = [r for r in ingress if "ingress" in str(r["SourceSecurityGroupId"])]
    assert [(r["FromPort"], r["ToPort"]) for r in from_balancer] == [(8080, 8080)]
    egress = [r["Properties"] for r in resources_of_type(template, "AWS::EC2::SecurityGroupEgress").values()]
    assert [(r["FromPort"], r["ToPort"]) for r in egress] == [(8080, 8080)]
    assert all("CidrIp" not in r for r in ingress)


def test_rule_routes_paths_and_hosts_at_the_derived_priority(synth_cache: SynthesisCache) -> None:
    from config.routing import routes

    synthesised = synth_cache.get("prod")
    [route] = routes(synthesised.spec)
    template = synthesised.templates[naming.service_stack_name(synthesised.spec, "web")]
    rules = [
        r["Properties"]
        for r in resources_of_type(template, "AWS::ElasticLoadBalancingV2::ListenerRule").values()
    ]
    assert {r["Priority"] for r in rules} == {route.priority}
    production = next(r for r in rules if "443" in str(r["ListenerArn"]) or "Https" in str(r["ListenerArn"]))
    conditions = {c["Field"]: c for c in production["Conditions"]}
    assert conditions["path-pattern"]["PathPatternConfig"]["Values"] == ["/*"]
    assert conditions["host-header"]["HostHeaderConfig"]["Values"] == ["shop.example.com"]


def test_blue_green_has_an_alternate_target_group_bake_time_and_alarm_rollback(
    synth_cache: SynthesisCache,
) -> None:
    synthesised = synth_cache.get("prod")
    template = synthesised.templates[naming.service_stack_name(synthesised.spec, "web")]
    service = one(template, "AWS::ECS::Service")
    configuration = service["DeploymentConfiguration"]
    assert configuration["Strategy"] == "BLUE_GREEN"
    assert configuration["BakeTimeInMinutes"] == 10
    assert configuration["DeploymentCircuitBreaker"] == {"Enable": True, "Rollback": True}
    assert configuration["Alarms"]["Enable"] is True and configuration["Alarms"]["Rollback"] is True
    assert sorted(configuration["Alarms"]["AlarmNames"]) == [
        "shop-prod-web-target-5xx-rate",
        "shop-prod-web-unhealthy-targets",
    ]
    advanced = service["LoadBalancers"][0]["AdvancedConfiguration"]
    assert {"AlternateTargetGroupArn", "ProductionListenerRule", "TestListenerRule", "RoleArn"} <= set(
        advanced
    )
    assert len(resources_of_type(template, "AWS::ElasticLoadBalancingV2::TargetGroup")) == 2
    alarms = {
        r["Properties"]["AlarmName"] for r in resources_of_type(template, "AWS::CloudWatch::Alarm").values()
    }
    assert alarms == set(configuration["Alarms"]["AlarmNames"])


def test_canary_writes_its_step_and_bake(synth_cache: SynthesisCache) -> None:
    synthesised = synth_cache.get("dev")
    service = one(
        synthesised.templates[naming.service_stack_name(synthesised.spec, "web")], "AWS::ECS::Service"
    )
    configuration = service["DeploymentConfiguration"]
    assert configuration["Strategy"] == "CANARY"
    assert configuration["CanaryConfiguration"] == {"CanaryPercent": 10, "CanaryBakeTimeInMinutes": 5}


def test_autoscaling_owns_the_desired_count_and_tracks_cpu_and_requests(synth_cache: SynthesisCache) -> None:
    synthesised = synth_cache.get("local")
    template = synthesised.templates[naming.service_stack_name(synthesised.spec, "web")]
    assert "DesiredCount" not in one(template, "AWS::ECS::Service")
    target = one(template, "AWS::ApplicationAutoScaling::ScalableTarget")
    assert (target["MinCapacity"], target["MaxCapacity"]) == (2, 6)
    policies = [
        r["Properties"]["TargetTrackingScalingPolicyConfiguration"]
        for r in resources_of_type(template, "AWS::ApplicationAutoScaling::ScalingPolicy").values()
    ]
    metrics = {p["PredefinedMetricSpecification"]["PredefinedMetricType"]: p["TargetValue"] for p in policies}
    assert metrics == {"ECSServiceAverageCPUUtilization": 60, "ALBRequestCountPerTarget": 500}


def test_unscaled_services_keep_an_explicit_count_and_100_200(synth_cache: SynthesisCache) -> None:
    synthesised = synth_cache.get("local")
    service = one(
        synthesised.templates[naming.service_stack_name(synthesised.spec, "api")], "AWS::ECS::Service"
    )
    assert service["DesiredCount"] == 1
    configuration = service["DeploymentConfiguration"]
    assert (configuration["MinimumHealthyPercent"], configuration["MaximumPercent"]) == (100, 200)
