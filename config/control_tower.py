"""AWS Control Tower proactive controls the spec can enforce (``environment.proactive_controls``).

The rules are the cfn-guard files cdk-validator-cfnguard ships inside its jsii package
(``rules/control-tower/cfn-guard/<service>/ct-<service>-pr-<n>.guard``, one per control
``CT.<SERVICE>.PR.<N>``). This module reads their names from the package's tarball without
importing the package (which loads aws-cdk-lib): the CLI's ``validate`` stays CDK-free. The
synthesis (``stacks.proactive_controls``) runs the rules.
"""

from __future__ import annotations

import atexit
import difflib
import re
import shutil
import tarfile
import tempfile
from collections.abc import Iterable
from functools import cache
from importlib import metadata
from pathlib import Path

ALL = "all"  # every control the package ships
DISTRIBUTION = "cdklabs.cdk-validator-cfnguard"
RULES_IN_PACKAGE = "package/rules/control-tower/cfn-guard/"
_RULE_FILE = re.compile(r"ct-(?P<service>[a-z0-9-]+)-pr-(?P<number>\d+)\.guard")


class RulesUnavailableError(LookupError):
    """cdk-validator-cfnguard (a runtime requirement) is not installed, or ships no rules."""


def control_id(rule_file: str) -> str | None:
    """``…/cloudwatch/ct-cloudwatch-pr-2.guard`` → ``CT.CLOUDWATCH.PR.2``; None for another name."""
    match = _RULE_FILE.fullmatch(rule_file.rsplit("/", 1)[-1])
    if not match:
        return None
    return f"CT.{match['service'].upper()}.PR.{match['number']}"


@cache
def _package() -> tuple[str, Path]:
    """The installed cdk-validator-cfnguard's version and its jsii tarball."""
    try:
        distribution = metadata.distribution(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        raise RulesUnavailableError(
            f"{DISTRIBUTION} is not installed: pip install -r requirements.txt"
        ) from None
    tarballs = [f for f in distribution.files or [] if f.name.endswith(".jsii.tgz")]
    if len(tarballs) != 1:
        raise RulesUnavailableError(f"{DISTRIBUTION} {distribution.version}: no single jsii tarball")
    return distribution.version, Path(str(distribution.locate_file(tarballs[0])))


@cache
def shipped_controls() -> dict[str, str]:
    """Control id → the member of the package's tarball holding its guard rule, in id order."""
    _, tarball = _package()
    with tarfile.open(tarball) as archive:
        names = [n for n in archive.getnames() if n.startswith(RULES_IN_PACKAGE) and n.endswith(".guard")]
    controls = {cid: name for name in names if (cid := control_id(name))}
    if not controls:
        raise RulesUnavailableError(f"{DISTRIBUTION}: no Control Tower rules in {tarball.name}")
    return dict(sorted(controls.items()))


def unknown_control_problem(control: str) -> str | None:
    """Why ``control`` (``CT.<SERVICE>.PR.<N>`` or ``all``) cannot be enforced, or None."""
    if control == ALL:
        return None
    try:
        shipped = shipped_controls()
    except RulesUnavailableError as error:
        return str(error)
    if control in shipped:
        return None
    version, _ = _package()
    service = control.split(".")[1] if control.count(".") == 3 else ""
    same_service = [cid for cid in shipped if cid.split(".")[1] == service]
    if same_service:
        known = f"for {service} it has {', '.join(same_service)}"
    else:
        close = difflib.get_close_matches(control, list(shipped), n=3, cutoff=0.9)
        services = sorted({cid.split(".")[1] for cid in shipped})
        known = (f"did you mean {' or '.join(close)}? " if close else "") + (
            f"its services: {', '.join(services)}"
        )
    return (
        f"{control} is not a proactive control {DISTRIBUTION} {version} has a rule for; {known} "
        "(its rule files: rules/control-tower/cfn-guard/<service>/ct-<service>-pr-<n>.guard "
        "in the package's jsii tarball; docs/security.md)"
    )


def selected_controls(controls: Iterable[str]) -> list[str]:
    """The control ids ``controls`` (items of ``proactive_controls``) enforce, in id order."""
    chosen = set(controls)
    return [cid for cid in shipped_controls() if ALL in chosen or cid in chosen]


@cache
def _extracted_rules() -> Path:
    """Every Control Tower guard rule of the package, unpacked once per process (jsii's cfn-guard
    reads real files); the directory is removed when the process ends."""
    _, tarball = _package()
    directory = Path(tempfile.mkdtemp(prefix="proactive-controls-"))
    atexit.register(shutil.rmtree, directory, ignore_errors=True)
    wanted = set(shipped_controls().values())
    with tarfile.open(tarball) as archive:
        members = [m for m in archive.getmembers() if m.name in wanted and m.isfile()]
        archive.extractall(directory, members, filter="data")
    return directory


def rule_files(controls: Iterable[str]) -> list[Path]:
    """The guard rule file of each control ``controls`` enforce (``all``: every one), unpacked."""
    directory = _extracted_rules()
    shipped = shipped_controls()
    return [directory / shipped[cid] for cid in selected_controls(controls)]
