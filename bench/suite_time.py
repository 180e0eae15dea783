"""Benchmark: the README's test command, `make test`, timed with the host's state beside it.

Each run records its wall time, the CPU seconds of the run and everything it started, the
CPU pressure (`/proc/pressure/cpu`, "some", average over 60 s) and load average just before
it, the number of tests, and the ten slowest (pytest's `--durations=10`, through
`PYTEST_ADDOPTS`, so the command is the README's own). Writes docs/benchmarks.md (section
"Test suite time: latest runs"); the history above it is kept by hand.

Target (issue #14): at most 120 s on this 2-core machine, installs excluded. The host's own
load moves the time by a fifth (docs/benchmarks.md): compare runs by CPU seconds, and only
runs that started with low pressure.

Run: `python -m bench.suite_time [--repeat 2]` (a run takes two to three minutes).
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import resource
import subprocess
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bench.report import write_section

ROOT = Path(__file__).resolve().parent.parent
TARGET_S = 120.0
SECTION = "Test suite time: latest runs"
DURATION = re.compile(r"^(?P<seconds>\d+\.\d+)s (?P<phase>setup|call|teardown)\s+(?P<test>.+?)\s*$", re.M)
SUMMARY = re.compile(r"=+ (?P<summary>\d+ passed.*?) in (?P<seconds>[\d.]+)s")


@dataclass(frozen=True)
class Run:
    """One `make test`: what it took, what the host was doing before it, what was slowest."""

    wall_s: float
    cpu_s: float
    pressure_before: float | None  # /proc/pressure/cpu "some" avg60, percent
    load_before: float
    summary: str
    exit_code: int
    slowest: list[tuple[float, str, str]] = field(default_factory=list)  # (seconds, phase, test)


def cpu_pressure() -> float | None:
    """``/proc/pressure/cpu``'s "some" average over the last 60 s, in percent (None off Linux)."""
    try:
        text = Path("/proc/pressure/cpu").read_text()
    except OSError:
        return None
    match = re.search(r"^some .*?avg60=(?P<avg>[\d.]+)", text, re.M)
    return float(match["avg"]) if match else None


def parse_output(output: str) -> tuple[str, list[tuple[float, str, str]]]:
    """pytest's summary line (``2081 passed, 1 warning``) and its ``--durations`` rows."""
    summary = SUMMARY.search(output)
    slowest = [(float(m["seconds"]), m["phase"], m["test"]) for m in DURATION.finditer(output)]
    return (summary["summary"] if summary else "no summary line"), slowest


def timed_run() -> Run:
    """Run `make test` once with ``--durations=10``."""
    pressure, load = cpu_pressure(), os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    completed = subprocess.run(
        ["make", "test"],
        cwd=ROOT,
        env={**os.environ, "PYTEST_ADDOPTS": "--durations=10"},
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    summary, slowest = parse_output(completed.stdout)
    if completed.returncode:  # a failed run is not a time: show why it failed
        print((completed.stdout + completed.stderr)[-4000:])
    return Run(wall, cpu, pressure, load, summary, completed.returncode, slowest)


def report(runs: list[Run]) -> str:
    """The section's Markdown: one row per run, then the ten slowest tests of the fastest run
    that passed (of the fastest run, when none did)."""
    rows = [
        f"| {index} | {'-' if run.pressure_before is None else f'{run.pressure_before:.0f} %'} "
        f"| {run.load_before:.2f} | {run.summary} | {run.wall_s:.0f} s | {run.cpu_s:.0f} s "
        f"| {'meets' if run.exit_code == 0 and run.wall_s <= TARGET_S else 'misses'} |"
        for index, run in enumerate(runs, start=1)
    ]
    passed = [run for run in runs if run.exit_code == 0]
    fastest = min(passed or runs, key=lambda run: run.wall_s)
    slowest = [f"{seconds:.1f} s {phase} `{test}`" for seconds, phase, test in fastest.slowest]
    return "\n".join(
        [
            f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.machine()}, "
            f"{os.cpu_count()} cores, Python {platform.python_version()}, with "
            f"`python -m bench.suite_time --repeat {len(runs)}` (`make test`, installs already "
            f"done; target ≤ {TARGET_S:.0f} s). CPU is the run's and its children's; pressure and "
            "load are the host's just before the run (compare runs that started near 0 %).",
            "",
            "| run | CPU pressure before | load before | tests | wall time | CPU | target |",
            "| ---: | ---: | ---: | --- | ---: | ---: | --- |",
            *rows,
            "",
            f"The ten slowest of run {runs.index(fastest) + 1}: " + "; ".join(slowest) + ".",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=2, help="runs, one after the other")
    args = parser.parse_args()
    runs = []
    for index in range(args.repeat):
        run = timed_run()
        print(
            f"run {index + 1}: {run.summary}, {run.wall_s:.0f} s, CPU {run.cpu_s:.0f} s, exit {run.exit_code}"
        )
        runs.append(run)
    write_section(SECTION, report(runs))


if __name__ == "__main__":
    main()
