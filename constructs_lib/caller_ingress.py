"""``CallerIngress``: the rule that lets one workload connect to another, kept on the caller's side."""

from __future__ import annotations

from aws_cdk import aws_ec2 as ec2
from constructs import Construct


class CallerIngress(Construct):
    """An ingress rule into ``callee``'s security group from ``caller``'s, on ``port``.

    Create it in the caller's stack, for a callee in a stack that deploys first: that stack
    already reads the callee's security group, so the callee's stack never depends on its
    callers and each caller adds or removes only its own rule. ``caller.connections.allow_to``
    puts the same rule there too, but names it after both groups' construct paths and warns
    about its egress half when the caller allows all outbound traffic; this construct is the
    ingress rule alone, and its construct ID is the rule's logical ID (the rule is its
    ``Default`` child). Each side must have exactly one security group, else ``ValueError``.
    Default: no description.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        caller: ec2.IConnectable,
        callee: ec2.IConnectable,
        port: ec2.Port,
        description: str | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        source, target = only_security_group(caller, "caller"), only_security_group(callee, "callee")
        rule = port.to_rule_json()
        self.rule = ec2.CfnSecurityGroupIngress(
            self,
            "Default",
            group_id=target.security_group_id,
            source_security_group_id=source.security_group_id,
            ip_protocol=rule["ipProtocol"],
            from_port=rule.get("fromPort"),
            to_port=rule.get("toPort"),
            description=description,
        )


def only_security_group(side: ec2.IConnectable, role: str) -> ec2.ISecurityGroup:
    """The one security group of ``side``; ``ValueError`` naming ``role`` if it has none or several."""
    groups = side.connections.security_groups
    if len(groups) != 1:
        raise ValueError(f"{role} has {len(groups)} security groups; CallerIngress needs exactly 1")
    return groups[0]
