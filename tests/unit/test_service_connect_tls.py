"""``ServiceConnectTls``: a short-lived-mode Private CA, and a role that can use exactly it."""

from __future__ import annotations

import json

import aws_cdk as cdk
import pytest
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk.assertions import Match, Template
from cdk_nag import AwsSolutionsChecks

from constructs_lib.service_connect_tls import ServiceConnectTls
from tests.harness import SynthesisCache, make_app, new_stack, resources_of_type

EXISTING_CA = (
    "arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/11111111-2222-3333-4444-555555555555"
)
END_ENTITY = "arn:aws:acm-pca:::template/EndEntityCertificate/V1"
VIA_SECRETS_MANAGER = "secretsmanager.us-east-1.amazonaws.com"


def build(authority_arn: str | None = None) -> tuple[cdk.App, cdk.Stack, ServiceConnectTls]:
    app = make_app()
    stack = new_stack(app)
    key = kms.Key(stack, "Key", enable_key_rotation=True)
    tls = ServiceConnectTls(stack, "Tls", key=key, authority_arn=authority_arn)
    role = iam.Role(stack, "TaskRole", assumed_by=iam.ServicePrincipal("ecs-tasks.amazonaws.com"))
    tls.grant_certificate_read(role)
    return app, stack, tls


def test_creates_a_short_lived_root_ca_that_is_activated_and_retained() -> None:
    _, stack, _ = build()
    template = Template.from_stack(stack)
    template.has_resource(
        "AWS::ACMPCA::CertificateAuthority",
        {
            "Properties": {
                "Type": "ROOT",
                "UsageMode": "SHORT_LIVED_CERTIFICATE",
                "KeyAlgorithm": "EC_prime256v1",
                "SigningAlgorithm": "SHA256WITHECDSA",
                "Tags": [{"Key": "AmazonECSManaged", "Value": "true"}],
            },
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
        },
    )
    template.has_resource_properties(
        "AWS::ACMPCA::Certificate",
        {"Validity": {"Type": "YEARS", "Value": 10}, "SigningAlgorithm": "SHA256WITHECDSA"},
    )
    template.has_resource_properties("AWS::ACMPCA::CertificateAuthorityActivation", {"Status": "ACTIVE"})


def test_an_existing_ca_creates_nothing_and_is_the_only_issuer() -> None:
    _, stack, tls = build(EXISTING_CA)
    template = Template.from_stack(stack)
    for resource_type in ("CertificateAuthority", "Certificate", "CertificateAuthorityActivation"):
        template.resource_count_is(f"AWS::ACMPCA::{resource_type}", 0)
    assert tls.authority_arn == EXISTING_CA
    template.has_resource_properties(
        "AWS::IAM::Policy",
        {
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [
                        {
                            "Action": "acm-pca:IssueCertificate",
                            "Condition": {"StringEquals": {"acm-pca:TemplateArn": END_ENTITY}},
                            "Effect": "Allow",
                            "Resource": EXISTING_CA,
                        }
                    ]
                )
            }
        },
    )


def test_no_statement_of_the_infrastructure_role_reaches_beyond_its_ca_secrets_and_key() -> None:
    _, stack, _ = build(EXISTING_CA)
    policies = Template.from_stack(stack).find_resources("AWS::IAM::Policy")
    statements = [
        statement
        for policy in policies.values()
        if policy["Properties"]["Roles"][0]["Ref"].startswith("TlsInfrastructureRole")
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
    ]
    assert len(statements) == 6
    for statement in statements:
        resource = statement["Resource"]
        text = str(resource)
        assert resource == EXISTING_CA or "secret:ecs-sc!*" in text or "Key" in text, statement
        assert resource != "*"


def test_task_role_may_only_decrypt_through_secrets_manager() -> None:
    _, stack, _ = build(EXISTING_CA)
    Template.from_stack(stack).has_resource_properties(
        "AWS::IAM::Policy",
        {
            "Roles": [{"Ref": Match.string_like_regexp("^TaskRole")}],
            "PolicyDocument": {
                "Statement": [
                    {
                        "Action": "kms:Decrypt",
                        "Condition": {"StringEquals": {"kms:ViaService": VIA_SECRETS_MANAGER}},
                        "Effect": "Allow",
                        "Resource": {"Fn::GetAtt": ["Key961B73FD", "Arn"]},
                    }
                ]
            },
        },
    )


@pytest.mark.parametrize("authority", [None, EXISTING_CA])
def test_cdk_nag_has_no_unacknowledged_finding(authority: str | None) -> None:
    app, _, _ = build(authority)
    cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app))
    app.synth()


def test_prod_serves_every_service_connect_endpoint_over_tls(synth_cache: SynthesisCache) -> None:
    """network.service_connect_tls.enabled in prod: one CA in the cluster stack, TLS on every
    service that serves on the namespace, and each task role may read its certificate key."""
    templates = synth_cache.get("prod").templates
    cluster = templates["shop-prod-cluster"]
    [authority] = resources_of_type(cluster, "AWS::ACMPCA::CertificateAuthority").values()
    assert authority["Properties"]["UsageMode"] == "SHORT_LIVED_CERTIFICATE"
    served = [
        service
        for template in templates.values()
        for ecs_service in resources_of_type(template, "AWS::ECS::Service").values()
        for service in ecs_service["Properties"].get("ServiceConnectConfiguration", {}).get("Services", [])
    ]
    assert served  # prod has services on the namespace: the check ran over something
    for service in served:
        tls = service["Tls"]
        assert "Fn::ImportValue" in str(tls["IssuerCertificateAuthority"]["AwsPcaAuthorityArn"])
        assert "Fn::ImportValue" in str(tls["RoleArn"]) and "Fn::ImportValue" in str(tls["KmsKey"])


def test_dev_and_local_keep_plain_service_connect(synth_cache: SynthesisCache) -> None:
    for env in ("dev", "local"):
        for template in synth_cache.get(env).templates.values():
            assert not resources_of_type(template, "AWS::ACMPCA::CertificateAuthority")
            assert '"Tls"' not in json.dumps(template)


def test_the_ca_is_priced_by_its_mode() -> None:
    from deployer.cost.prices import PRICES

    assert PRICES.private_ca["SHORT_LIVED_CERTIFICATE"].usd == 50.0
    assert PRICES.private_ca["GENERAL_PURPOSE"].usd == 400.0


def test_a_ca_arn_must_be_an_acm_pca_certificate_authority() -> None:
    from tests.spec_problems import edited, refused

    bad = (
        "    enabled: true           # TLS 1.3 between services, certificates from a short-lived Private CA\n"
    )
    text = edited(
        "prod", bad, bad + "    certificate_authority_arn: arn:aws:acm:eu-west-1:222222222222:cert/x\n"
    )
    [problem] = refused(text)
    assert problem.path == "network.service_connect_tls.certificate_authority_arn"
