"""Rewrite the AWS name tables the spec checks read, from the botocore installed here.

- ``config/ec2_instance_types.json``: EC2 instance types by family (the ``InstanceType``
  enum of botocore's EC2 service model), e.g. ``{"m7g": ["medium", "large", …]}``;
- ``config/aws_regions.json``: region codes by partition (botocore's ``partitions.json``,
  without the ``*-global`` pseudo-regions).

Run it after upgrading boto3/botocore: ``.venv/bin/python scripts/refresh_aws_tables.py``.
``tests/unit/test_aws_tables.py`` fails while the tables and botocore disagree.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import botocore
import botocore.loaders
import botocore.session

ROOT = Path(__file__).resolve().parent.parent
INSTANCE_TYPES_FILE = ROOT / "config" / "ec2_instance_types.json"
REGIONS_FILE = ROOT / "config" / "aws_regions.json"


def instance_types() -> dict[str, Any]:
    """``{"source": …, "families": {family: [sizes in botocore's order]}}``."""
    enum = botocore.session.get_session().get_service_model("ec2").shape_for("InstanceType").enum
    families: dict[str, list[str]] = {}
    for name in enum:
        family, _, size = name.partition(".")
        families.setdefault(family, []).append(size)
    source = f"botocore {botocore.__version__} ec2 InstanceType"
    return {"source": source, "families": dict(sorted(families.items()))}


def regions() -> dict[str, Any]:
    """``{"source": …, "partitions": {partition: [region codes, sorted]}}``."""
    data = botocore.loaders.Loader().load_data("partitions")
    partitions = {
        partition["id"]: sorted(r for r in partition["regions"] if not r.endswith("-global"))
        for partition in data["partitions"]
    }
    return {"source": f"botocore {botocore.__version__} partitions.json", "partitions": partitions}


def _one_list_per_line(table: dict[str, Any]) -> str:
    """JSON with each family's (or partition's) list on one line, for readable diffs."""
    [(key, lists)] = [(k, v) for k, v in table.items() if isinstance(v, dict)]
    rows = ",\n".join(f"    {json.dumps(name)}: {json.dumps(items)}" for name, items in lists.items())
    return f'{{\n  "source": {json.dumps(table["source"])},\n  {json.dumps(key)}: {{\n{rows}\n  }}\n}}\n'


def main() -> int:
    for path, table in ((INSTANCE_TYPES_FILE, instance_types()), (REGIONS_FILE, regions())):
        path.write_text(_one_list_per_line(table), encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)} ({table['source']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
