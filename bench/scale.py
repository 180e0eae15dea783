"""Benchmark: `cdk synth` wall time of generated specs of 10, 50 and 200 services of mixed
kinds (bench/specs.py ``mixed_spec``) with the pinned CDK CLI, as users run it (built-in
CloudFormation validation on) and with ``CDK_VALIDATION=false``. Writes docs/benchmarks.md
(Scale section).

Target: 200 services in at most 3x the time of 10. Also reported: the fixed and
per-service parts of the time (least-squares line over the sizes), stacks, load balancers
and the largest stack's resource count (CloudFormation allows 500 per stack).

Run: `python -m bench.scale [--repeat 5]`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from bench.report import write_section
from bench.specs import mixed_spec, write_mixed_spec
from bench.synth import synth_seconds

SIZES = (10, 50, 200)
TARGET_RATIO = 3.0
CLOUDFORMATION_RESOURCE_LIMIT = 500
VALIDATED, UNVALIDATED = "validation on", "validation off"
MODES = {VALIDATED: "true", UNVALIDATED: "false"}  # CDK_VALIDATION


@contextmanager
def validation(value: str) -> Iterator[None]:
    """``CDK_VALIDATION=value`` for the synths run inside (they inherit os.environ)."""
    before = os.environ.get("CDK_VALIDATION")
    os.environ["CDK_VALIDATION"] = value
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("CDK_VALIDATION")
        else:
            os.environ["CDK_VALIDATION"] = before


def largest_stack(outdir: Path) -> tuple[str, int, int]:
    """(stack, resources) of the largest template in a cloud assembly, and the stack count."""
    counts = {
        path.name.removesuffix(".template.json"): len(json.loads(path.read_text())["Resources"])
        for path in outdir.glob("*.template.json")
    }
    name = max(counts, key=lambda stack: counts[stack])
    return name, counts[name], len(counts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5, help="runs per case; the fastest is reported")
    args = parser.parse_args()
    runs: dict[tuple[str, int], list[float]] = {(mode, size): [] for mode in MODES for size in SIZES}
    shapes: dict[int, tuple[str, int, int]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for size in SIZES:
            write_mixed_spec(work, f"scale{size}", size)
        # Rounds interleave the cases, so slow drift on the shared machine touches each alike.
        for _ in range(args.repeat):
            for size in SIZES:
                for mode, value in MODES.items():
                    outdir = work / f"cdk.out.{size}"
                    with validation(value):
                        runs[mode, size].append(synth_seconds(f"scale{size}", work, outdir))
                    shapes[size] = largest_stack(outdir)
    best = {case: min(times) for case, times in runs.items()}
    for (mode, size), times in runs.items():
        print(
            f"{size} services, {mode}: min {best[mode, size]:.2f} s, median {statistics.median(times):.2f} s"
        )
    write_section("Scale", report(best, shapes, args.repeat))


def report(best: dict[tuple[str, int], float], shapes: dict[int, tuple[str, int, int]], repeat: int) -> str:
    small, large = SIZES[0], SIZES[-1]
    ratio = {mode: best[mode, large] / best[mode, small] for mode in MODES}
    lines = {
        mode: statistics.linear_regression(SIZES, [best[mode, size] for size in SIZES]) for mode in MODES
    }
    rows = []
    for size in SIZES:
        services = mixed_spec("x", size)["services"].values()
        kinds = Counter(service["kind"] for service in services)
        balancers = {service["http"]["load_balancer"] for service in services if service["kind"] == "web"}
        stack, resources, stacks = shapes[size]
        rows.append(
            f"| {size} | {kinds['web']}/{kinds['backend']}/{kinds['worker']}/{kinds['job']} "
            f"| {len(balancers)} | {stacks} | {resources} (`{stack}`) | {best[VALIDATED, size]:.2f} s "
            f"| {best[UNVALIDATED, size]:.2f} s |"
        )
    verdict = "meets" if ratio[VALIDATED] <= TARGET_RATIO else "misses"
    validation_cost = {size: best[VALIDATED, size] - best[UNVALIDATED, size] for size in SIZES}
    return "\n".join(
        [
            f"Measured {datetime.now(UTC):%Y-%m-%d} on {platform.machine()}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}, with `python -m bench.scale --repeat {repeat}` (pinned "
            "CDK CLI; cases interleaved round by round, fastest run reported). Specs from "
            "`bench/specs.py` `mixed_spec`: out of every 10 services 4 web, 3 backend, 2 worker, "
            "1 job; every 5th web service blue/green, every 3rd autoscaled on requests, each backend "
            "called by a web service; web services fill load balancer `main`, then `lb2` "
            "(`http.load_balancer`).",
            "",
            "| services | web/backend/worker/job | load balancers | stacks | largest stack (resources) "
            "| `cdk synth` | `CDK_VALIDATION=false` |",
            "| ---: | --- | ---: | ---: | --- | ---: | ---: |",
            *rows,
            "",
            f"**{large} services take {ratio[VALIDATED]:.2f}x the time of {small}** with `cdk synth` as "
            f"users run it (target ≤ {TARGET_RATIO:.0f}x: {verdict} it); without the built-in "
            f"CloudFormation validation the ratio is {ratio[UNVALIDATED]:.2f}x. Least-squares line over "
            f"{', '.join(map(str, SIZES))} services: "
            + "; ".join(
                f"{mode}: {line.intercept:.1f} s fixed + {line.slope * 1000:.0f} ms per service"
                for mode, line in lines.items()
            )
            + f". The validation adds {validation_cost[small]:.1f} s at {small} services and "
            f"{validation_cost[large]:.1f} s at {large}: mostly a fixed cost (aws-cdk-lib loads an "
            "8.9 MB WebAssembly validator, `@aws/cloudformation-validate`, once per synth), which "
            "flattens the ratio. Largest stack: "
            f"{max(r for _, r, _ in shapes.values())} resources (limit {CLOUDFORMATION_RESOURCE_LIMIT}).",
            "",
            PROFILE,
        ]
    )


# Measured by hand (cProfile and stage timers in one process), not by this script.
PROFILE = """Where the per-service time goes (200 services in one process, 2026-11-23, validation
off): importing the app and starting jsii ~2 s; building the constructs ~13 s, about 65 ms per
service, of which most is ~68 jsii round trips per service to the Node.js kernel and ~15% is
jsii's Python-side argument type checks (typeguard; `python -O` skips them: build 13.1 → 11.0 s,
but with `PYTHONDONTWRITEBYTECODE=1`, as this machine's environment sets, `-O` recompiles
aws-cdk-lib on every run and is slower overall); `app.synth()` 2.4 s; the CDK CLI itself ~2 s.
cdk-nag does not run in `cdk synth` (tests only), and no stack has file assets to hash (images
come from registries)."""


if __name__ == "__main__":
    main()
