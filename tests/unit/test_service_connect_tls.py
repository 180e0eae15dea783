"""``ServiceConnectTls``: a short-lived-mode Private CA, and a role that can use exactly it."""

from __future__ import annotations

import aws_cdk as cdk
import pytest
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk.assertions import Match, Template
from cdk_nag import AwsSolutionsChecks

from constructs_lib.service_connect_tls import ServiceConnectTls
from tests.harness import make_app, new_stack

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
