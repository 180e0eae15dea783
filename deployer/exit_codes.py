"""Process exit codes of the deployer (documented in the README)."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    FAILED = 1  # an AWS or CDK operation failed
    BAD_INPUT = 2  # invalid spec, argument or option; nothing was changed
    ROLLOUT_FAILED = 3
    ROLLED_BACK = 4
    TIMED_OUT = 5
    REPLACEMENT_BLOCKED = 6  # plan: a deploy would replace a stateful or traffic-serving resource
    WORK_FAILED = 7  # workflow start --wait: the execution failed or was aborted
    INTERRUPTED = 130  # Ctrl-C
    TERMINATED = 143  # SIGTERM (128 + 15): a CI cancellation, `timeout`
