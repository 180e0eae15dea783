"""The test harness's synthesis cache: with a shared directory, an environment is synthesised
once for every xdist worker, and what a worker reads back equals what was synthesised."""

from __future__ import annotations

from pathlib import Path

import pytest

from config import load_spec
from tests.harness import SynthesisCache, SynthesisedEnvironment

TEMPLATE = {"Resources": {"Queue": {"Type": "AWS::SQS::Queue", "Properties": {"DelaySeconds": 0.5}}}}


@pytest.fixture
def synthesised(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, dict[str, str] | None]]:
    calls: list[tuple[str, dict[str, str] | None]] = []

    def fake(self: SynthesisCache, env: str, images: dict[str, str] | None) -> SynthesisedEnvironment:
        calls.append((env, images))
        return SynthesisedEnvironment(load_spec(env), {f"shop-{env}": TEMPLATE}, [("s", "warning", "w")])

    monkeypatch.setattr(SynthesisCache, "_synthesise", fake)
    return calls


def test_workers_sharing_a_directory_synthesise_each_environment_once(
    tmp_path: Path, synthesised: list[tuple[str, dict[str, str] | None]]
) -> None:
    first, second = SynthesisCache(tmp_path), SynthesisCache(tmp_path)  # two workers
    made, read = first.get("local"), second.get("local")
    assert synthesised == [("local", None)]
    assert (read.templates, read.messages, read.spec) == (made.templates, made.messages, made.spec)
    second.get("local", {"web": "nginx:1.28"})  # other images: another synthesis
    second.get("dev")
    assert synthesised == [("local", None), ("local", {"web": "nginx:1.28"}), ("dev", None)]


def test_without_a_directory_each_cache_synthesises_for_itself(
    synthesised: list[tuple[str, dict[str, str] | None]],
) -> None:
    SynthesisCache().get("local")
    SynthesisCache().get("local")
    assert synthesised == [("local", None), ("local", None)]
