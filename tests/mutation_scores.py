"""The mutation score per module from mutmut's stored results (``make mutation`` prints it).

``python -m tests.mutation_scores`` reads ``mutmut results --all true`` in the project root
and prints, per mutated module, the mutants killed out of those run, and every mutant that
was not killed (survived, timed out, suspicious, no test reaches it).
"""

from __future__ import annotations

import subprocess
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOT_RUN = {"not checked", "skipped"}


def results() -> dict[str, dict[str, str]]:
    """Module → mutant → status."""
    output = subprocess.run(
        [str(Path(sys.executable).parent / "mutmut"), "results", "--all", "true"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    by_module: dict[str, dict[str, str]] = defaultdict(dict)
    for line in output.splitlines():
        name, sep, status = line.strip().rpartition(": ")
        if sep and ".x" in name:
            by_module[name.split(".x", 1)[0]][name] = status
    return by_module


def main() -> int:
    by_module = results()
    if not by_module:
        print("no mutation results: run `make mutation` first", file=sys.stderr)
        return 1
    print(f"{'module':36} {'killed':>7} {'run':>5} {'score':>6}")
    for module, mutants in sorted(by_module.items()):
        run = {name: status for name, status in mutants.items() if status not in NOT_RUN}
        killed = sum(1 for status in run.values() if status == "killed")
        score = f"{100 * killed / len(run):.1f}%" if run else "-"
        print(f"{module:36} {killed:>7} {len(run):>5} {score:>6}")
    print()
    for mutants in (by_module[module] for module in sorted(by_module)):
        for name, status in sorted(mutants.items()):
            if status not in NOT_RUN and status != "killed":
                print(f"{status:12} {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
