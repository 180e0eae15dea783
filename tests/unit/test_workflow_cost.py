"""``deployer cost`` shows what triggers and workflows add: per-run notes for the tasks they
start, Step Functions transitions and EventBridge events as usage notes, and no resource left
unpriced. Prices are the dated table's (deployer/cost/prices.py), written out here."""

from __future__ import annotations

from config import parse_spec
from deployer.cost.estimate import estimate
from tests.harness import SynthesisCache, synthesise
from tests.spec_problems import TEXTS
from tests.unit.test_workflows_stack import FAN_OUT

SPOT_GROUP = "runs on EC2 capacity spot, at the price of its instances"


def test_the_local_trigger_and_workflow_are_priced_per_run(synth_cache: SynthesisCache) -> None:
    local = synth_cache.get("local")
    result = estimate(local.spec, local.templates)
    assert not [w for w in result.warnings if "not priced" in w]
    assert f"job reports (on its trigger's events): {SPOT_GROUP}" in result.notes
    assert f"job reports (cron(0 3 * * ? *)): {SPOT_GROUP}" in result.notes
    assert f"workflow nightly: 2 task(s) per execution; reports 2 time(s): {SPOT_GROUP}" in result.notes
    assert any(
        n.startswith("Step Functions standard workflows: $0.025 per 1,000 state transitions")
        for n in result.notes
    )
    assert any(
        n.startswith("EventBridge rules: AWS service events (S3 Object Created)") for n in result.notes
    )
    alarms = [line for line in result.lines if line.what == "CloudWatch alarm metrics"]
    assert alarms  # the failed-execution alarm is among them


def test_a_map_and_a_fargate_step_say_so(synth_cache: SynthesisCache) -> None:
    spec = parse_spec(TEXTS["local"] + FAN_OUT)
    result = estimate(spec, synthesise(spec).templates)
    # api: 0.25 vCPU x $0.04048 + 0.5 GB x $0.004445 an hour on FARGATE (its strategy's base)
    api = "$0.0123 per task-hour on FARGATE (x86_64, 0.25 vCPU, 0.5 GB), billed per second, 1-minute minimum"
    assert (
        f"workflow fan-out: 3 task(s) per execution (a map's steps once per item); "
        f"reports 2 time(s): {SPOT_GROUP}; api 1 time(s): {api}"
    ) in result.notes
