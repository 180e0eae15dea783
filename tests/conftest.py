"""Shared test harness: pinned Node on PATH, cdk.json context, cached synthesis."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Before aws_cdk is imported: jsii starts `node` from PATH, and it must be the pinned Node 22.
os.environ["PATH"] = f"{ROOT / 'node_modules' / '.bin'}{os.pathsep}{os.environ.get('PATH', '')}"
for variable in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_SESSION_TOKEN"):
    os.environ.pop(variable, None)
os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")

import pytest  # noqa: E402

from tests.harness import SynthesisCache  # noqa: E402


@pytest.fixture(scope="session")
def synth_cache(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> SynthesisCache:
    """Synthesised environments, built once per session: under xdist, once for all workers
    (their base temporary directories share a parent that lives for the run)."""
    if worker_id == "master":
        return SynthesisCache()
    return SynthesisCache(tmp_path_factory.getbasetemp().parent / "synthesised")
