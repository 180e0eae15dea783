"""Write one section of docs/benchmarks.md, keeping the other sections as they are."""

from __future__ import annotations

import re
from pathlib import Path

REPORT = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"
HEADER = "# Benchmarks\n\nEach section is written by a script under `bench/`; rerun it to refresh.\n"


def write_section(title: str, body: str, report: Path = REPORT) -> None:
    """Replace (or append) the ``## title`` section of the report with ``body``."""
    text = report.read_text() if report.exists() else HEADER
    section = f"## {title}\n\n{body.strip()}\n"
    pattern = re.compile(rf"^## {re.escape(title)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _: section + "\n", text)
    else:
        text = text.rstrip() + "\n\n" + section
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(text.rstrip() + "\n")
