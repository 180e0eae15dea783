"""``ServiceConnectTls``: TLS between Service Connect services, from an AWS Private CA."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_acmpca as acmpca
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from constructs import Construct

from constructs_lib.nag import acknowledge

ALGORITHM = "EC_prime256v1"  # 256-bit ECDSA, one of the two key types Service Connect accepts
SIGNING = "SHA256WITHECDSA"
ROOT_VALIDITY_YEARS = 10
SECRETS_FINDING = "arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:ecs-sc!*"
SERVICE_CONNECT_SECRETS = (
    "ECS names the secrets that hold each service's certificate and private key 'ecs-sc!' "
    "followed by a generated suffix; statements are limited to that prefix, this account and "
    "the tags ECS sets, as in the AWS managed policy for Service Connect TLS."
)


class ServiceConnectTls(Construct):
    """The certificate authority, KMS key and role that turn on TLS for Service Connect.

    ECS issues each Service Connect service a certificate from ``authority_arn``, rotates it
    every five days and terminates TLS 1.3 in the Service Connect proxy: the application
    keeps plain HTTP on its port, traffic between tasks is encrypted.

    Defaults: a new AWS Private CA per construct, a root CA in short-lived certificate mode
    (certificates valid at most 7 days, no revocation needed, the cheaper mode), ECDSA P-256,
    its own root certificate valid 10 years, retained on deletion (running services keep
    trusting it). Give ``authority_arn`` to use an existing CA instead (nothing is created).
    Certificates' private keys are stored in Secrets Manager encrypted with ``key``. The
    infrastructure role ECS assumes may issue end-entity certificates from exactly that CA,
    read its chain, manage only the ``ecs-sc!`` secrets ECS creates, and use ``key`` only
    through Secrets Manager; services pass ``tls_configuration()`` to Service Connect and
    ``grant_certificate_read(task_role)`` to their task role.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        key: kms.IKey,
        authority_arn: str | None = None,
        common_name: str = "service-connect",
    ) -> None:
        super().__init__(scope, construct_id)
        self.key = key
        self.authority_arn = authority_arn or self._short_lived_root_ca(common_name)
        self.role = iam.Role(
            self,
            "InfrastructureRole",
            assumed_by=iam.ServicePrincipal("ecs.amazonaws.com"),
            description="ECS Service Connect TLS: issue and rotate service certificates",
        )
        self._allow_issuing()
        self._allow_certificate_secrets()
        self._allow_key_via_secrets_manager(self.role)

    def tls_configuration(self) -> ecs.ServiceConnectTlsConfiguration:
        """What a Service Connect service passes as ``tls``."""
        return ecs.ServiceConnectTlsConfiguration(
            aws_pca_authority_arn=self.authority_arn, kms_key=self.key, role=self.role
        )

    def grant_certificate_read(self, grantee: iam.IGrantable) -> iam.Grant:
        """Let a task role decrypt its certificate's private key (``key``, via Secrets Manager only)."""
        return self._allow_key_via_secrets_manager(grantee, actions=("kms:Decrypt",))

    def _short_lived_root_ca(self, common_name: str) -> str:
        authority = acmpca.CfnCertificateAuthority(
            self,
            "Authority",
            type="ROOT",
            key_algorithm=ALGORITHM,
            signing_algorithm=SIGNING,
            subject=acmpca.CfnCertificateAuthority.SubjectProperty(common_name=common_name),
            usage_mode="SHORT_LIVED_CERTIFICATE",
            tags=[cdk.CfnTag(key="AmazonECSManaged", value="true")],
        )
        authority.apply_removal_policy(cdk.RemovalPolicy.RETAIN)
        certificate = acmpca.CfnCertificate(
            self,
            "RootCertificate",
            certificate_authority_arn=authority.attr_arn,
            certificate_signing_request=authority.attr_certificate_signing_request,
            signing_algorithm=SIGNING,
            template_arn=f"arn:{cdk.Aws.PARTITION}:acm-pca:::template/RootCACertificate/V1",
            validity=acmpca.CfnCertificate.ValidityProperty(type="YEARS", value=ROOT_VALIDITY_YEARS),
        )
        acmpca.CfnCertificateAuthorityActivation(
            self,
            "Activation",
            certificate_authority_arn=authority.attr_arn,
            certificate=certificate.attr_certificate,
            status="ACTIVE",
        )
        return authority.attr_arn

    def _allow_issuing(self) -> None:
        self.role.add_to_policy(
            iam.PolicyStatement(
                actions=[
                    "acm-pca:GetCertificate",
                    "acm-pca:GetCertificateAuthorityCertificate",
                    "acm-pca:DescribeCertificateAuthority",
                ],
                resources=[self.authority_arn],
            )
        )
        self.role.add_to_policy(
            iam.PolicyStatement(
                actions=["acm-pca:IssueCertificate"],
                resources=[self.authority_arn],
                conditions={
                    "StringEquals": {
                        "acm-pca:TemplateArn": "arn:aws:acm-pca:::template/EndEntityCertificate/V1"
                    }
                },
            )
        )

    def _allow_certificate_secrets(self) -> None:
        stack = cdk.Stack.of(self)
        secrets = stack.format_arn(
            service="secretsmanager",
            resource="secret",
            resource_name="ecs-sc!*",
            arn_format=cdk.ArnFormat.COLON_RESOURCE_NAME,
        )
        created_by_ecs = {
            "ArnLike": {
                "aws:RequestTag/AmazonECSCreated": [
                    stack.format_arn(service="ecs", resource="service", resource_name="*/*"),
                    stack.format_arn(service="ecs", resource="task-set", resource_name="*/*"),
                ]
            },
            "StringEquals": {"aws:RequestTag/AmazonECSManaged": "true"},
        }
        statements = [
            iam.PolicyStatement(
                actions=["secretsmanager:CreateSecret", "secretsmanager:TagResource"],
                resources=[secrets],
                conditions=created_by_ecs,
            ),
            iam.PolicyStatement(
                actions=[
                    "secretsmanager:UpdateSecret",
                    "secretsmanager:GetSecretValue",
                    "secretsmanager:PutSecretValue",
                    "secretsmanager:DeleteSecret",
                    "secretsmanager:RotateSecret",
                    "secretsmanager:UpdateSecretVersionStage",
                ],
                resources=[secrets],
                conditions={
                    "StringEquals": {"secretsmanager:ResourceTag/aws:secretsmanager:owningService": "ecs-sc"}
                },
            ),
            iam.PolicyStatement(actions=["secretsmanager:DescribeSecret"], resources=[secrets]),
        ]
        for statement in statements:
            self.role.add_to_policy(statement)
        policy = self.role.node.find_child("DefaultPolicy").node.default_child
        assert policy is not None
        finding = SECRETS_FINDING if cdk.Token.is_unresolved(secrets) else secrets
        acknowledge(policy, f"IAM5[Resource::{finding}]", SERVICE_CONNECT_SECRETS)

    def _allow_key_via_secrets_manager(
        self,
        grantee: iam.IGrantable,
        actions: tuple[str, ...] = ("kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"),
    ) -> iam.Grant:
        region = cdk.Stack.of(self).region
        return iam.Grant.add_to_principal(
            grantee=grantee,
            actions=list(actions),
            resource_arns=[self.key.key_arn],
            conditions={"StringEquals": {"kms:ViaService": f"secretsmanager.{region}.amazonaws.com"}},
        )
