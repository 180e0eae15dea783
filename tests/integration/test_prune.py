"""`prune` against moto's ECS API: what is deregistered, and what never is."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from config import load_spec
from deployer.inputs import BadInputError
from deployer.revisions.history import revisions
from deployer.revisions.prune import deregister, plan_prune
from tests.fakes import WEB_FAMILY as FAMILY
from tests.fakes import web_with_revisions

pytestmark = pytest.mark.moto


@pytest.fixture
def ecs() -> Iterator[Any]:
    """Eight revisions of web; the service runs revision 6; a one-off task runs revision 2."""
    with mock_aws():
        client = boto3.client("ecs", region_name="us-east-1")
        web_with_revisions(client, revisions=8, live=6)
        ec2 = boto3.client("ec2", region_name="us-east-1")
        image = ec2.describe_images()["Images"][0]["ImageId"]
        instance = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
        document = '{"instanceId": "%s"}' % instance  # noqa: UP031
        client.register_container_instance(cluster="shop-local", instanceIdentityDocument=document)
        client.run_task(cluster="shop-local", taskDefinition=f"{FAMILY}:2", count=1)
        yield client


def test_keeps_newest_live_rollback_target_and_running_revisions(ecs: Any) -> None:
    spec = load_spec("local")
    found = revisions(spec, ecs, "web")
    assert [r.revision for r in found] == [8, 7, 6, 5, 4, 3, 2, 1]
    doomed = plan_prune(spec, ecs, "web", found, keep=2)
    # newest 2 = 8, 7; live = 6; rollback target = 5; running task = 2
    assert sorted(r.revision for r in doomed) == [1, 3, 4]
    deregister(ecs, doomed)
    after = {r.revision: r.status for r in revisions(spec, ecs, "web", include_inactive=True)}
    assert [n for n, s in after.items() if s == "ACTIVE"] == [8, 7, 6, 5, 2]


def test_keep_zero_is_refused_before_any_change(ecs: Any) -> None:
    spec = load_spec("local")
    with pytest.raises(BadInputError, match="keep at least 1"):
        plan_prune(spec, ecs, "web", revisions(spec, ecs, "web"), keep=0)
    assert len(revisions(spec, ecs, "web")) == 8
