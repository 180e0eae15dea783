"""``PipelineStack``: a self-mutating CDK Pipelines CodePipeline for every environment of the spec.

Source: the repository through a CodeConnections connection. Synth: install from the lock
files (``make install``: pip ``requirements-dev.txt``, ``npm ci``), ``make test``, then
``cdk synth`` of ``pipeline_app.py``. Then one stage per environment, in the order of
``config/pipeline.yaml``: before it, the replacement gate (``deployer plan``) and, for a stage
with ``requires_approval``, a manual approval after the gate; after it, ``deployer wait`` and
``deployer verify``. Cross-account deployment goes through the CDK bootstrap trust: every
target account is bootstrapped with ``--trust <pipeline account>``, the pipeline's artifacts
are encrypted with a KMS key those accounts may use (``cross_account_keys``), the gate runs as
the target's bootstrap deploy role and the checks as its read-only lookup role.
"""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_codebuild as codebuild
from aws_cdk import aws_iam as iam
from aws_cdk import pipelines
from constructs import Construct

from config.pipeline_schema import Pipeline
from config.schema import AppSpec
from stacks.app_builder import build_environment

BUILD_IMAGE = codebuild.LinuxBuildImage.STANDARD_7_0
RUNTIMES = {"python": "3.11", "nodejs": "20"}  # the project installs its own pinned Node 22 with npm ci
PYTHON = ".venv/bin/python"
TARGET_CONFIG = "/tmp/target-account.cfg"  # an AWS config file with one profile: the target role


class EnvironmentStage(cdk.Stage):
    """One environment's stacks (``build_environment``) as a deployable unit of the pipeline."""

    def __init__(self, scope: Construct, construct_id: str, *, spec: AppSpec, **kwargs: Any) -> None:
        super().__init__(scope, construct_id, **kwargs)
        self.spec = spec
        self.stacks = build_environment(self, spec)


class PipelineStack(cdk.Stack):
    """The delivery pipeline of ``pipeline`` (``config/pipeline.yaml`` and its environments).

    ``cli_version`` pins the CDK CLI the self-mutation step installs (default of CDK Pipelines:
    the newest, which may not read this aws-cdk-lib's cloud assembly): pass package.json's.
    Exposes ``.pipeline`` and ``.stages`` (environment name → ``EnvironmentStage``).
    """

    def __init__(
        self, scope: Construct, construct_id: str, *, pipeline: Pipeline, cli_version: str, **kwargs: Any
    ) -> None:
        spec = pipeline.spec
        env = cdk.Environment(account=spec.account, region=spec.region)
        super().__init__(scope, construct_id, env=env, **kwargs)
        self.qualifier = str(
            self.node.try_get_context("@aws-cdk/core:bootstrapQualifier")
            or cdk.DefaultStackSynthesizer.DEFAULT_QUALIFIER
        )
        self.source = pipelines.CodePipelineSource.connection(
            spec.source.repository, spec.source.branch, connection_arn=spec.source.connection_arn
        )
        self.synth = pipelines.ShellStep(
            "Synth",
            input=self.source,
            install_commands=["make install"],
            commands=[
                "make test",
                'npx cdk synth --app "$PWD/.venv/bin/python pipeline_app.py"',
            ],
            env={"JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION": "1"},
            primary_output_directory="cdk.out",
        )
        self.pipeline = pipelines.CodePipeline(
            self,
            "Pipeline",
            pipeline_name=spec.name,
            synth=self.synth,
            cross_account_keys=True,
            self_mutation=True,
            cli_version=cli_version,
            code_build_defaults=pipelines.CodeBuildOptions(
                build_environment=codebuild.BuildEnvironment(build_image=BUILD_IMAGE),
                partial_build_spec=codebuild.BuildSpec.from_object(
                    {"phases": {"install": {"runtime-versions": RUNTIMES}}}
                ),
            ),
        )
        self.stages: dict[str, EnvironmentStage] = {}
        for env_spec in pipeline.environments:
            name = env_spec.environment.name
            stage = EnvironmentStage(
                self,
                name,
                spec=env_spec,
                env=cdk.Environment(account=env_spec.environment.account, region=env_spec.environment.region),
            )
            gate = self._gate(stage)
            pre: list[pipelines.Step] = [gate]
            if pipeline.stage(name).requires_approval:
                approval = pipelines.ManualApprovalStep(
                    f"Approve-{name}",
                    comment=f"Deploy to {name}? The replacement gate passed; its log shows the plan.",
                )
                approval.add_step_dependency(gate)
                pre.append(approval)
            self.pipeline.add_stage(stage, pre=pre, post=[self._checks(env_spec)])
            self.stages[name] = stage

    def _gate(self, stage: EnvironmentStage) -> pipelines.CodeBuildStep:
        """``deployer plan`` on the stage's synthesised templates, as the target's deploy role."""
        name = stage.spec.environment.name
        return self._deployer_step(
            f"ReplacementGate-{name}",
            stage.spec,
            "deploy",
            [f"{PYTHON} -m deployer plan --env {name} --assembly cdk.out/{stage.artifact_id}"],
            additional_inputs={"cdk.out": self.synth},
        )

    def _checks(self, spec: AppSpec) -> pipelines.CodeBuildStep:
        """``deployer wait`` (honest rollout verdicts) then ``deployer verify``, read-only."""
        name = spec.environment.name
        commands = [f"{PYTHON} -m deployer wait --env {name}", f"{PYTHON} -m deployer verify --env {name}"]
        return self._deployer_step(f"Verify-{name}", spec, "lookup", commands)

    def _deployer_step(
        self,
        step_id: str,
        spec: AppSpec,
        role: str,
        commands: list[str],
        additional_inputs: dict[str, pipelines.IFileSetProducer] | None = None,
    ) -> pipelines.CodeBuildStep:
        """A CodeBuild step running the deployer in the target account as bootstrap role ``role``."""
        account, region = spec.environment.account, spec.environment.region
        role_arn = (
            f"arn:{self.partition}:iam::{account}:role/cdk-{self.qualifier}-{role}-role-{account}-{region}"
        )
        profile = f"[profile target]\\nrole_arn = {role_arn}\\ncredential_source = EcsContainer\\n"
        return pipelines.CodeBuildStep(
            step_id,
            input=self.source,
            additional_inputs=additional_inputs,
            install_commands=["python3 -m venv .venv", f"{PYTHON} -m pip install -r requirements.txt"],
            commands=[f"printf '{profile}' > {TARGET_CONFIG}", *commands],
            env={"AWS_CONFIG_FILE": TARGET_CONFIG, "AWS_PROFILE": "target", "AWS_REGION": region},
            role_policy_statements=[iam.PolicyStatement(actions=["sts:AssumeRole"], resources=[role_arn])],
        )
