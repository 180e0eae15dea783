"""What stops a command from outside: Ctrl-C, SIGTERM and the command's overall deadline.

SIGTERM (a CI cancellation, ``timeout``) raises ``Terminated``, a ``KeyboardInterrupt``, so it
takes the same path as Ctrl-C: the CDK CLI's process group is stopped, the deploy lock released,
and the command exits 143. The deadline raises ``DeadlineExceeded`` (exit 5) in the main thread.
Both are ``BaseException``s, so no ``except Exception`` on the way swallows them. Code that
cleans up on the way out adds what it did with ``add_note`` (PEP 678); the command prints it.

Deadlines (default; ``--deadline SECONDS`` or ``$DEPLOYER_DEADLINE`` overrides for any command):
15 minutes for a command that reads, plans or manages the local endpoint, 1 hour for ``plan``
and ``bootstrap``, 4 hours for ``deploy``, ``rollback``, ``destroy``, ``cdk``, ``wait`` and
``run`` (or their own ``--timeout`` plus 10 minutes when that is longer); ``status --watch``
bounds each refresh by the 15 minutes instead.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

DEADLINE_VARIABLE = "DEPLOYER_DEADLINE"
DEFAULT_DEADLINE_S = 15 * 60.0
DEADLINES_S = {
    "plan": 3600.0,
    "bootstrap": 3600.0,
    **dict.fromkeys(("deploy", "rollback", "destroy", "cdk", "wait", "run"), 4 * 3600.0),
}
OWN_TIMEOUT_SLACK_S = 10 * 60.0


class Terminated(KeyboardInterrupt):
    """The process got SIGTERM; handled like Ctrl-C, exit 143."""


class DeadlineExceeded(BaseException):
    """The command ran past its overall deadline."""

    def __init__(self, command: str, seconds: float) -> None:
        self.command = command
        self.seconds = seconds
        super().__init__(f"`{command}` did not finish within {seconds:g} s")


def handle_sigterm() -> None:
    """From now on the first SIGTERM raises ``Terminated``; later ones are ignored while cleaning up."""

    def terminate(_signum: int, _frame: FrameType | None) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        raise Terminated

    signal.signal(signal.SIGTERM, terminate)


def deadline_for(command: str, own_timeout_s: float | None = None) -> float:
    """The default deadline of ``command`` (its function name), in seconds."""
    default = DEADLINES_S.get(command, DEFAULT_DEADLINE_S)
    return max(default, own_timeout_s + OWN_TIMEOUT_SLACK_S) if own_timeout_s else default


@contextmanager
def deadline(seconds: float | None, command: str) -> Iterator[None]:
    """Raise ``DeadlineExceeded`` in the main thread when the block runs longer than ``seconds``.

    None, or a block outside the main thread (signals only reach the main thread): no deadline.
    Deadlines do not nest: inside a running one, the outer one holds and ``seconds`` is ignored.
    """
    outside_main = threading.current_thread() is not threading.main_thread()
    if seconds is None or outside_main or signal.getitimer(signal.ITIMER_REAL)[0] > 0:
        yield
        return

    def expire(_signum: int, _frame: FrameType | None) -> None:
        raise DeadlineExceeded(command, seconds)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
