"""YAML text of test data, written by libyaml's emitter when PyYAML has it: about ten times
faster than the pure-Python emitter, and the text parses to the same data."""

from __future__ import annotations

from typing import Any

import yaml

_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def yaml_text(data: Any, **options: Any) -> str:
    """``yaml.safe_dump(data, **options)``, through libyaml when it is there."""
    return str(yaml.dump(data, Dumper=_DUMPER, **options))
