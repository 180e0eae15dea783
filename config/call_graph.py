"""The graph of which service may call which (``allow_from``), and the order it imposes.

A caller's stack holds the security-group rule into each service it calls, so a callee's
stack deploys first: the validator rejects cycles (``first_cycle``) and the stack plan
deploys services in ``call_order``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from config import graphs

if TYPE_CHECKING:
    from config.schema import AppSpec


def callees(spec: AppSpec) -> dict[str, list[str]]:
    """Each service → the services it may call (they name it in ``allow_from``), in spec order.

    A service naming itself, or an unknown caller, adds no edge (the validator reports both).
    """
    return {
        caller: [
            name for name, service in spec.services.items() if caller in service.allow_from and name != caller
        ]
        for caller in spec.services
    }


def first_cycle(spec: AppSpec) -> list[str] | None:
    """A cycle of calls (``[a, b, a]``) if there is one, else None."""
    return graphs.first_cycle(callees(spec))


def call_order(spec: AppSpec) -> list[str]:
    """Services ordered so each comes after every service it calls (callees first); otherwise
    in spec order."""
    calls = callees(spec)
    ordered: list[str] = []
    visiting: set[str] = set()

    def place(node: str) -> None:
        if node in ordered or node in visiting:  # validation has rejected cycles already
            return
        visiting.add(node)
        for callee in calls[node]:
            place(callee)
        ordered.append(node)

    for name in spec.services:
        place(name)
    return ordered
