"""A deploy lock per environment: an SSM parameter that only one deploy can create.

``PutParameter`` with ``Overwrite=False`` is atomic, so two deploys (a person and CI, or two
pipelines) cannot interleave. The lock is released when the command ends, however it ends (a failure, Ctrl-C,
SIGTERM, the deadline: a note on the exception says it was);
a lock left by a killed process is reported with its owner and age, and removed only by an
explicit ``deployer unlock``.
"""

from __future__ import annotations

import getpass
import json
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from config.schema import AppSpec


class LockHeldError(RuntimeError):
    """Another deploy holds the environment's lock; the message names it."""


def lock_name(spec: AppSpec) -> str:
    return f"/deployer/{spec.app}/{spec.environment.name}/lock"


def holder(spec: AppSpec, ssm: Any) -> dict[str, Any] | None:
    """Who holds the lock (owner, command, since), or None when it is free. A value that is not
    a JSON object (a freeze someone set by hand: ``1``, ``true``, a note) is held by its text."""
    try:
        value = ssm.get_parameter(Name=lock_name(spec))["Parameter"]["Value"]
    except ssm.exceptions.ParameterNotFound:
        return None
    try:
        parsed = json.loads(value)
    except ValueError:
        parsed = None
    return dict(parsed) if isinstance(parsed, dict) else {"owner": value}


@contextmanager
def deploy_lock(spec: AppSpec, ssm: Any, command: str) -> Iterator[None]:
    """Hold the environment's lock for the duration of the ``with`` block."""
    me = {
        "owner": f"{getpass.getuser()}@{socket.gethostname()} pid {os.getpid()}",
        "command": command,
        "since": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    try:
        ssm.put_parameter(
            Name=lock_name(spec),
            Value=json.dumps(me),
            Type="String",
            Overwrite=False,
            Description="deployer: an operation on this environment is in progress",
        )
    except ssm.exceptions.ParameterAlreadyExists:
        current = holder(spec, ssm) or {}
        raise LockHeldError(
            f"{spec.environment.name} is locked by {current.get('owner', '?')} running "
            f"{current.get('command', '?')!r} since {current.get('since', '?')}; wait for it, or if that "
            f"process is gone: deployer unlock --env {spec.environment.name}"
        ) from None
    try:
        yield
    except BaseException as error:  # Ctrl-C, SIGTERM and the deadline too: say what became of the lock
        error.add_note(_release_after_failure(spec, ssm))
        raise
    ssm.delete_parameter(Name=lock_name(spec))


def _release_after_failure(spec: AppSpec, ssm: Any) -> str:
    """Release the lock on the way out of a failed operation; the note says whether it worked."""
    try:
        ssm.delete_parameter(Name=lock_name(spec))
    except Exception as error:  # the original failure matters more; this one becomes its note
        return (
            f"the deploy lock {lock_name(spec)} could not be released ({error}); "
            f"deployer unlock --env {spec.environment.name}"
        )
    return f"the deploy lock of {spec.environment.name} was released"


def force_unlock(spec: AppSpec, ssm: Any) -> bool:
    """Remove the lock (after a killed deploy). Returns False when it was free."""
    try:
        ssm.delete_parameter(Name=lock_name(spec))
    except ssm.exceptions.ParameterNotFound:
        return False
    return True
