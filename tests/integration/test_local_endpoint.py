"""`deployer local up|down|status`: a moto server on loopback, started once and reused."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from deployer.local import endpoint as local_endpoint
from tests.cli import run_deployer
from tests.fakes import local_client
from tests.harness import free_port

pytestmark = pytest.mark.moto


def test_up_reuse_status_down() -> None:
    port = str(free_port())
    try:
        first = run_deployer("local", "up", "--port", port)
        assert first.code == 0, first.output
        assert "started" in first.stdout
        assert local_endpoint.is_healthy(int(port))

        again = run_deployer("local", "up", "--port", port)
        assert again.code == 0 and "already running" in again.stdout

        # It is a working AWS endpoint, with the deployer's fixes to moto (deployer.local.patches).
        sts = local_client("sts", port)
        assert sts.get_caller_identity()["Account"] == "123456789012"
        assert_ec2_task_without_instances_is_refused_as_ecs_refuses_it(port)

        status = run_deployer("local", "status", "--port", port, "--json")
        assert status.code == 0 and '"running": true' in status.stdout
    finally:
        down = run_deployer("local", "down", "--port", port)
    assert down.code == 0 and "stopped" in down.stdout
    assert not local_endpoint.is_healthy(int(port))
    stopped = run_deployer("local", "status", "--port", port)
    assert stopped.code == 1 and "not running" in stopped.stdout


def test_down_when_not_running_is_harmless() -> None:
    result = run_deployer("local", "down", "--port", str(free_port()))
    assert result.code == 0 and "was not running" in result.stdout


@pytest.mark.parametrize("extra", [[], ["--to", "1"]])
def test_rollback_with_no_endpoint_says_so_and_starts_none(extra: list[str]) -> None:
    port = free_port()
    try:
        result = run_deployer("rollback", "web", "--port", str(port), *extra)
        assert result.code == 1, result.output
        assert f"the local endpoint is not running on port {port}" in result.stderr
        assert local_endpoint.probe(port) is local_endpoint.Answer.CLOSED
        assert not (local_endpoint.STATE_DIR / f"moto-{port}.pid").exists()
    finally:
        local_endpoint.down(port)  # one the command should not have started


def assert_ec2_task_without_instances_is_refused_as_ecs_refuses_it(port: str) -> None:
    """moto answered an HTML page with status 500 (`deployer run` of a job on EC2 capacity
    printed it); ECS answers InvalidParameterException."""
    from deployer.local.patches import NO_INSTANCES_LOCALLY  # moto's ECS models: not at collection

    ecs = local_client("ecs", port)
    ecs.create_cluster(clusterName="empty")
    ecs.register_task_definition(
        family="on-ec2",
        requiresCompatibilities=["EC2"],
        containerDefinitions=[{"name": "app", "image": "public.ecr.aws/nginx/nginx:1.27", "memory": 128}],
    )
    with pytest.raises(ClientError) as refused:
        ecs.run_task(cluster="empty", taskDefinition="on-ec2", launchType="EC2")
    assert refused.value.response["Error"]["Code"] == "InvalidParameterException"
    assert refused.value.response["Error"]["Message"] == NO_INSTANCES_LOCALLY
