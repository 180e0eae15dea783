"""An imported Copilot environment synthesises: the import writes deployable specs, not only
valid ones (one environment, the slow path)."""

from __future__ import annotations

from pathlib import Path

from config import load_spec
from deployer.copilot.importer import import_workspace
from deployer.copilot.settings import Settings
from tests.harness import resources_of_type, synthesise

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "copilot"


def test_the_imported_dev_environment_synthesises(tmp_path: Path) -> None:
    result = import_workspace(FIXTURES / "shop", Settings())
    (tmp_path / "dev.yaml").write_text(result.files["dev.yaml"])
    synthesised = synthesise(load_spec("dev", tmp_path))
    assert sorted(synthesised.templates) == [
        "shop-dev-cluster",
        "shop-dev-ingress",
        "shop-dev-network",
        "shop-dev-svc-api",
        "shop-dev-svc-cleanup",
        "shop-dev-svc-frontend",
        "shop-dev-svc-report",
        "shop-dev-svc-worker",
    ]
    assert [m for m in synthesised.messages if m[1] == "error"] == []
    schedules = {
        name: next(iter(resources_of_type(template, "AWS::Scheduler::Schedule").values()))["Properties"]
        for name, template in synthesised.templates.items()
        if resources_of_type(template, "AWS::Scheduler::Schedule")
    }
    assert {name: s["ScheduleExpression"] for name, s in schedules.items()} == {
        "shop-dev-svc-cleanup": "rate(6 hours)",
        "shop-dev-svc-report": "cron(0 9 ? * 2-6 *)",
    }
    [group] = resources_of_type(
        synthesised.templates["shop-dev-svc-frontend"], "AWS::ElasticLoadBalancingV2::TargetGroup"
    ).values()
    assert group["Properties"]["HealthCheckPath"] == "/_health"
    assert group["Properties"]["HealthCheckIntervalSeconds"] == 15
