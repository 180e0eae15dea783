"""One environment that imports every accepted task-definition fixture, one service each
(``tests/fixtures/task_definitions/README.md`` says which public shape each one stands for).

It is validated, synthesised, rendered and linted once per test module.
"""

from __future__ import annotations

import shutil
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "task_definitions"
APP, ENV = "fx", "fx"

# service -> (fixture file, extra spec lines for the service)
SERVICES: dict[str, tuple[str, str]] = {
    "catalog": ("github-actions-fargate.json", ""),
    "orders": ("describe-export-top-level.json", ""),
    "landing": ("console-nulls.json", 'kind: web\n    http: {paths: ["/landing*"]}\n'),
    "ledger": ("ec2-awsvpc-no-task-memory.json", "kind: worker\n    capacity: [{provider: spot}]\n"),
    "debug": ("units-and-tag-map.json", "desired_count: 0\n"),
    "ids": ("appmesh-describe-with-tags.json", "allow_from: [catalog]\n"),
    "storefront": ("firelens-web.json", 'kind: web\n    http: {paths: ["/*"]}\n'),
    "media": ("efs-access-point.json", ""),
    "chatops": ("arm64-linux-parameters.json", ""),
    "gateway": ("ecspresso-rendered.json", ""),
    "billing": ("ec2-init-container.json", "capacity: [{provider: spot}]\n"),
    "export": (
        "job-fargate-spot.json",
        'kind: job\n    schedule: {expression: "cron(0 2 * * ? *)"}\n'
        "    capacity: [{provider: FARGATE_SPOT}]\n",
    ),
    "sidecars": ("web-with-sidecars.json", ""),
    "queue": ("describe-output.json", "kind: worker\n"),
}

# The containers of each fixture that run as root (no ``user``, as in most public files): a spec
# using the fixture lists them in run_as_root_containers with a reason, as a team importing such
# a file must.
RUNS_AS_ROOT: dict[str, tuple[str, ...]] = {
    "github-actions-fargate.json": ("catalog",),
    "describe-export-top-level.json": ("orders",),
    "console-nulls.json": ("landing",),
    "ec2-awsvpc-no-task-memory.json": ("ledger", "statsd"),
    "units-and-tag-map.json": ("shell",),
    "appmesh-describe-with-tags.json": ("ids", "xray-daemon"),
    "firelens-web.json": ("log_router", "storefront"),
    "efs-access-point.json": ("media",),
    "ecspresso-rendered.json": ("nginx", "bash"),
    "ec2-init-container.json": ("migrate", "billing"),
    "job-fargate-spot.json": ("export",),
    "web-with-sidecars.json": ("log_router",),
    "describe-output.json": ("worker",),
    "refused/two-served-containers.json": ("nginx", "app"),
}
ROOT_REASON = "the vendor image runs as root and has no non-root variant yet"

HEADER = f"""app: {APP}
environment:
  name: {ENV}
  account: "123456789012"
  region: us-east-1
  target: local
cluster:
  ec2_capacity:
    spot:
      instance_types: [t3.medium, t3a.medium]
      max_capacity: 2
services:
"""


# A spec with a service on each kind of capacity, for checking a file alone (no fixture loaded).
CAPACITY_SPEC_TEXT = """
app: rx
environment: {name: rx, account: "123456789012", region: us-east-1, target: local}
cluster:
  ec2_capacity:
    spot: {instance_types: [t3.medium], max_capacity: 2}
services:
  fargate: {task_definition_file: x.json}
  ec2: {task_definition_file: x.json, capacity: [{provider: spot}]}
  web: {kind: web, task_definition_file: x.json}
"""


def environment_text(services: dict[str, tuple[str, str]]) -> str:
    """The spec of ``services`` (name -> (fixture path under the fixtures directory, extra lines))."""
    body = "".join(
        f"  {name}:\n    task_definition_file: task_definitions/{file}\n"
        + (f"    {extra}" if extra else "")
        + _root_lines(file)
        for name, (file, extra) in services.items()
    )
    return HEADER + body


def _root_lines(file: str) -> str:
    if not RUNS_AS_ROOT.get(file):
        return ""
    listed = ", ".join(f"{name}: {{reason: {ROOT_REASON}}}" for name in RUNS_AS_ROOT[file])
    return f"    run_as_root_containers: {{{listed}}}\n"


def write_environment(directory: Path, services: dict[str, tuple[str, str]] = SERVICES) -> Path:
    """``directory/environments/fx.yaml`` and the fixtures beside it; the environments directory."""
    shutil.copytree(FIXTURES, directory / "task_definitions")
    environments = directory / "environments"
    environments.mkdir()
    (environments / f"{ENV}.yaml").write_text(environment_text(services))
    return environments
