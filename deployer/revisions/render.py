"""``render``: a service's synthesised task definition as native ECS JSON."""

from __future__ import annotations

from typing import Any

from config import naming
from config.schema import AppSpec
from constructs_lib.native_json import from_cloudformation


def render_task_definition(spec: AppSpec, service: str, template: dict[str, Any]) -> dict[str, Any]:
    """Native JSON of ``service``'s task definition in its stack ``template``.

    Values only known at deploy time are shown as ``${LogicalId}``/``${LogicalId.Attr}``
    (``${import:<export>}`` for cross-stack imports); pseudo parameters are filled in.
    """
    resources = [r for r in template["Resources"].values() if r["Type"] == "AWS::ECS::TaskDefinition"]
    if len(resources) != 1:
        raise LookupError(f"{naming.service_stack_name(spec, service)} has {len(resources)} task definitions")
    pseudo = {
        "AWS::Region": spec.environment.region,
        "AWS::AccountId": spec.environment.account,
        "AWS::Partition": "aws",
        "AWS::URLSuffix": "amazonaws.com",
    }
    properties = _resolve(resources[0]["Properties"], pseudo)
    native = from_cloudformation(properties)
    if "tags" in native:
        native["tags"] = sorted(native["tags"], key=lambda t: t["key"])
    return native


def _resolve(value: Any, pseudo: dict[str, str]) -> Any:
    if isinstance(value, list):
        return [_resolve(v, pseudo) for v in value]
    if not isinstance(value, dict):
        return value
    if len(value) == 1:
        ((function, argument),) = value.items()
        if function == "Ref":
            return pseudo.get(argument, f"${{{argument}}}")
        if function == "Fn::GetAtt":
            return f"${{{argument[0]}.{argument[1]}}}"
        if function == "Fn::ImportValue":
            return f"${{import:{_resolve(argument, pseudo)}}}"
        if function == "Fn::Join":
            separator, parts = argument
            return separator.join(str(_resolve(p, pseudo)) for p in parts)
        if function.startswith("Fn::"):
            return f"${{{function}}}"
    return {k: _resolve(v, pseudo) for k, v in value.items()}
