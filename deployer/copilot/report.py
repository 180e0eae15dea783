"""The migration report: per manifest field what it became, and the steps left to do by hand.

The same entries give ``MIGRATION.md`` and the ``--json`` document. An entry that is the same
in several environments is listed once, with those environments.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from config.errors import dotted
from deployer.copilot.record import Entry

NOT_IMPORTED = {
    "Request-Driven Web Service": "an App Runner service, not ECS: keep it on App Runner, or port it by hand "
    "as a web service",
    "Static Site": "S3 and CloudFront, not ECS: keep it, or move it to your CDK app (aws-s3-deployment)",
    "addons": "CloudFormation addons are not imported: move the resources to your CDK app and grant access "
    "with permissions (docs/permissions.md)",
    "overrides": "patches to Copilot's templates do not apply to this project's stacks",
    "pipeline": "Copilot pipelines are not imported: see docs/ci.md",
}
DIFFERENT_DEFAULTS = [
    "Tasks run in private subnets without public IPs (Copilot's default placement is public).",
    "The root filesystem is read-only unless the manifest said `storage.readonly_fs: false`: add "
    "`writable_paths` (e.g. `[/tmp]`) where the app writes.",
    "A port is open only to the services in `allow_from` (Copilot's environment security group let every "
    "service reach every other).",
    "Target health checks every 5 s, healthy after 2; deregistration delay 15 s; grace period 10 s "
    "(Copilot: 60 s delay and grace).",
    "HTTPS on 443 with HTTP redirected to it, always; Container Insights `enhanced` unless the "
    "manifest set it.",
    "A worker's queue always has a dead-letter queue (5 receives unless `dead_letter.tries` said otherwise).",
]


@dataclass(frozen=True)
class Row:
    """One entry as listed: the environments it holds for, in order."""

    entry: Entry
    environments: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        item: dict[str, Any] = {
            "manifest": self.entry.manifest,
            "field": dotted(self.entry.field),
            "environments": list(self.environments),
            "status": self.entry.status,
        }
        if self.entry.target:
            item["target"] = dotted(self.entry.target)
        if self.entry.value is not None:
            item["value"] = self.entry.value
        if self.entry.note:
            item["note" if self.entry.status != "manual" else "reason"] = self.entry.note
        if self.entry.step:
            item["manual_step"] = self.entry.step
        return item


@dataclass
class Report:
    application: str
    environments: dict[str, dict[str, str]]  # name → file, account, region and where they came from
    services: dict[str, dict[str, Any]]  # name → manifest, type, kind per environment
    entries: list[Entry]
    not_imported: dict[str, str] = field(default_factory=dict)  # workspace path → kind

    def rows(self) -> list[Row]:
        grouped: dict[tuple[Any, ...], list[str]] = {}
        first: dict[tuple[Any, ...], Entry] = {}
        for entry in self.entries:
            key = (
                entry.manifest,
                entry.field,
                entry.status,
                entry.target,
                json.dumps(entry.value, sort_keys=True),
                entry.note,
                entry.step,
            )
            grouped.setdefault(key, []).append(entry.environment)
            first.setdefault(key, entry)
        return [Row(first[key], tuple(dict.fromkeys(envs))) for key, envs in grouped.items()]

    def manual_steps(self) -> list[dict[str, Any]]:
        """Each distinct step once, with the fields that call for it."""
        steps: dict[str, list[dict[str, Any]]] = {}
        for row in self.rows():
            if row.entry.step:
                source = {
                    "manifest": row.entry.manifest,
                    "field": dotted(row.entry.field),
                    "environments": list(row.environments),
                }
                steps.setdefault(row.entry.step, []).append(source)
        return [{"step": step, "sources": sources} for step, sources in steps.items()]

    def to_dict(self) -> dict[str, Any]:
        return {
            "application": self.application,
            "environments": self.environments,
            "services": self.services,
            "manual_steps": self.manual_steps(),
            "fields": [row.to_dict() for row in self.rows()],
            "not_imported": [
                {"path": path, "what": kind, "reason": NOT_IMPORTED[kind]}
                for path, kind in self.not_imported.items()
            ],
        }
