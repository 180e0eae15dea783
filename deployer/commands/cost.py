"""``deployer cost``: the monthly cost of an environment, estimated from its templates and spec.

Defaults: the templates are synthesised in-process (no AWS call, nothing written to cdk.out);
prices come from the dated table in ``deployer.cost.prices`` (one region, on-demand list prices).
The estimate has a ``fixed`` part (what runs with no task: NATs, load balancers, endpoints,
keys, EC2 capacity at minimum size) and a ``services`` part (tasks at their desired or minimum
count, their alarms and registrations). Charges per GB or per request are notes.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from deployer.cdk.synth import synthesise_templates
from deployer.commands.common import CommandContext, EnvOption
from deployer.commands.output import add_row, console, emit_json, styled
from deployer.cost.estimate import estimate
from deployer.cost.model import DEV_FIXED_TARGET_USD, GROUPS, Estimate, LineItem


def cost(
    env: EnvOption = "local",
    as_json: Annotated[bool, typer.Option("--json", help="print JSON instead of a table")] = False,
) -> None:
    """Estimate the environment's monthly cost: fixed (no task running) and per service."""
    ctx = CommandContext.load(env, as_json=as_json)
    result = estimate(ctx.spec, synthesise_templates(ctx.spec))
    if as_json:
        emit_json(result.to_dict())
        return
    console.print(table(result))
    for line in summary(result):
        console.print(line, soft_wrap=True)


def table(result: Estimate) -> Table:
    """The line items, a subtotal per group and the total."""
    view = Table(title=f"{result.environment}: estimated monthly cost (USD)", title_justify="left")
    view.add_column("what")
    view.add_column("quantity", justify="right")
    view.add_column("unit price", justify="right")
    view.add_column("per month", justify="right")
    for group in GROUPS:
        for line in (line for line in result.lines if line.group == group):
            what = Text.assemble(line.what, "\n", (line.note, "dim")) if line.note else styled(line.what)
            add_row(view, what, _quantity(line), _rate(line), _usd(line.monthly))
        add_row(
            view, styled(f"{group} subtotal", "bold"), "", "", styled(_usd(result.subtotal(group)), "bold")
        )
        view.add_section()
    add_row(view, styled("total", "bold"), "", "", styled(_usd(result.total), "bold"))
    return view


def summary(result: Estimate) -> list[str]:
    """Plain-text lines after the table: price table, warnings, the dev target, usage notes."""
    prices = result.prices
    lines = [
        f"prices: {prices.region} on-demand list prices as of {prices.as_of.isoformat()} "
        f"(deployer/cost/prices.py), {result.region} environment",
        *(f"warning: {warning}" for warning in result.warnings),
    ]
    if result.target_met is not None:
        verdict = "met" if result.target_met else "NOT met"
        lines.append(
            f"cost_profile dev: fixed {_usd(result.subtotal('fixed'))} per month against a "
            f"{_usd(DEV_FIXED_TARGET_USD)} target: {verdict}"
        )
    lines.append("not in the total (usage):")
    lines.extend(f"  - {note}" for note in result.notes)
    return lines


def _quantity(line: LineItem) -> str:
    plural = line.quantity != 1 and line.unit != "GB"
    return f"{line.quantity:g} {line.unit}{('es' if line.unit.endswith('s') else 's') if plural else ''}"


def _rate(line: LineItem) -> str:
    digits = f"{line.price.usd:.6f}".rstrip("0")
    whole, _, fraction = digits.partition(".")
    return f"${whole}.{fraction.ljust(2, '0')}/{line.price.per}"


def _usd(amount: float) -> str:
    return f"${amount:,.2f}"
