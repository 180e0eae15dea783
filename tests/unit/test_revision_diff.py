"""Field-level diff of task-definition revisions."""

from __future__ import annotations

from deployer.revisions.diff import diff, flatten

BEFORE = {
    "family": "shop-local-web",
    "revision": 1,
    "status": "ACTIVE",
    "cpu": "256",
    "taskRoleArn": "arn:aws:iam::123456789012:role/task",
    "containerDefinitions": [
        {
            "name": "web",
            "image": "nginx:1.27",
            "environment": [{"name": "LOG_LEVEL", "value": "info"}],
            "essential": True,
        },
        {"name": "envoy", "image": "envoy:1"},
    ],
}
AFTER = {
    "family": "shop-local-web",
    "revision": 2,
    "cpu": "512",
    "taskRoleArn": "${TaskDefinitionTaskRole.Arn}",
    "containerDefinitions": [
        {
            "name": "web",
            "image": "nginx:1.28",
            "environment": [{"name": "LOG_LEVEL", "value": "debug"}, {"name": "NEW", "value": "1"}],
            "essential": True,
        },
    ],
}


def test_containers_and_variables_are_keyed_by_name() -> None:
    flat = flatten(BEFORE)
    assert flat["containerDefinitions[web].image"] == "nginx:1.27"
    assert flat["containerDefinitions[web].environment[LOG_LEVEL]"] == "info"
    assert "revision" not in flat and "status" not in flat  # read-only fields


def test_changes_added_removed_and_placeholders_skipped() -> None:
    changes = {c.path: (c.kind, c.before, c.after) for c in diff(BEFORE, AFTER)}
    assert changes["cpu"] == ("~", "256", "512")
    assert changes["containerDefinitions[web].image"] == ("~", "nginx:1.27", "nginx:1.28")
    assert changes["containerDefinitions[web].environment[LOG_LEVEL]"] == ("~", "info", "debug")
    assert changes["containerDefinitions[web].environment[NEW]"] == ("+", None, "1")
    assert changes["containerDefinitions[envoy].image"] == ("-", "envoy:1", None)
    assert "taskRoleArn" not in changes  # only known after deploy


def test_identical_documents_have_no_changes() -> None:
    assert diff(BEFORE, BEFORE) == []
