"""Helpers to build CDK apps the way `cdk synth` does (cdk.json context, AZ context)."""

from __future__ import annotations

import fcntl
import hashlib
import json
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aws_cdk as cdk

from config import AppSpec, load_spec
from deployer.cdk.synth import cdk_context as _project_context
from deployer.cdk.synth import project_app
from stacks.app_builder import build_environment

ROOT = Path(__file__).resolve().parent.parent


def cdk_context() -> dict[str, Any]:
    """The context `cdk synth` gives the app: cdk.json's, then cdk.context.json's lookups."""
    return _project_context(ROOT)


make_app = project_app  # the project's context; built-in CloudFormation validation off by default


def new_stack(app: cdk.App | None = None, name: str = "TestStack") -> cdk.Stack:
    """A stack with a concrete account/region whose AZs are in the committed context."""
    return cdk.Stack(
        app or make_app(),
        name,
        env=cdk.Environment(account="123456789012", region="us-east-1"),
    )


@dataclass(frozen=True)
class SynthesisedEnvironment:
    spec: AppSpec
    templates: dict[str, dict[str, Any]]  # stack name -> CloudFormation template
    messages: list[tuple[str, str, str]]  # (stack, level, text)


class SynthesisCache:
    """Synthesises each environment once per test session and keeps the templates.

    With a ``directory`` (the xdist workers' shared one), the first worker to ask for an
    environment synthesises it under a file lock and writes the templates there; the others
    read them instead of synthesising again. The directory lives for one session only."""

    def __init__(self, directory: Path | None = None) -> None:
        self._directory = directory
        self._cache: dict[tuple[str, tuple[tuple[str, str], ...]], SynthesisedEnvironment] = {}

    def get(self, env: str, images: dict[str, str] | None = None) -> SynthesisedEnvironment:
        key = (env, tuple(sorted((images or {}).items())))
        if key not in self._cache:
            self._cache[key] = self._shared(env, images) if self._directory else self._synthesise(env, images)
        return self._cache[key]

    def _synthesise(self, env: str, images: dict[str, str] | None) -> SynthesisedEnvironment:
        return synthesise(load_spec(env), images)

    def _shared(self, env: str, images: dict[str, str] | None) -> SynthesisedEnvironment:
        assert self._directory is not None
        digest = hashlib.sha256(json.dumps(sorted((images or {}).items())).encode()).hexdigest()[:16]
        path = self._directory / f"{env}-{digest}.json"
        with _locked(path.with_suffix(".lock")):
            if path.exists():
                stored = json.loads(path.read_text())
                messages = [(stack, level, text) for stack, level, text in stored["messages"]]
                return SynthesisedEnvironment(load_spec(env), stored["templates"], messages)
            synthesised = self._synthesise(env, images)
            stored = {"templates": synthesised.templates, "messages": synthesised.messages}
            path.write_text(json.dumps(stored))
            return synthesised


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (created if missing) for the block."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def synthesise(
    spec: AppSpec, images: dict[str, str] | None = None, validation: bool = False
) -> SynthesisedEnvironment:
    app = make_app(validation=validation)
    build_environment(app, spec, images=images)
    assembly = app.synth()
    templates = {stack.stack_name: stack.template for stack in assembly.stacks}
    messages = [
        (stack.stack_name, str(message.level.value).lower(), str(message.entry.data))
        for stack in assembly.stacks
        for message in stack.messages
    ]
    return SynthesisedEnvironment(spec, templates, messages)


def free_port() -> int:
    """A TCP port on loopback that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def resources_of_type(template: dict[str, Any], resource_type: str) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == resource_type}
