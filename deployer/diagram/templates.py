"""Read synthesised CloudFormation templates as the diagram needs them: resources by type and
where a ``Ref``, ``Fn::GetAtt`` or cross-stack ``Fn::ImportValue`` points (pure, no CDK)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

Templates = Mapping[str, Mapping[str, Any]]


@dataclass(frozen=True)
class Resource:
    """One resource of one stack."""

    stack: str
    logical_id: str
    type: str
    properties: Mapping[str, Any]

    @property
    def key(self) -> tuple[str, str]:
        return self.stack, self.logical_id


class TemplateSet:
    """Every stack's template of one environment, by stack name."""

    def __init__(self, templates: Templates) -> None:
        self.templates = templates

    def resources(self, resource_type: str, stack: str | None = None) -> Iterator[Resource]:
        """Resources of ``resource_type`` (in ``stack`` only, when given), in template order."""
        stacks = [stack] if stack is not None else list(self.templates)
        for name in stacks:
            for logical_id, body in self.templates.get(name, {}).get("Resources", {}).items():
                if body.get("Type") == resource_type:
                    yield Resource(name, logical_id, resource_type, body.get("Properties", {}))

    def get(self, key: tuple[str, str] | None) -> Resource | None:
        """The resource at ``(stack, logical id)``, or None."""
        if key is None:
            return None
        body = self.templates.get(key[0], {}).get("Resources", {}).get(key[1])
        if body is None:
            return None
        return Resource(key[0], key[1], body.get("Type", ""), body.get("Properties", {}))

    def target(self, stack: str, value: Any) -> tuple[str, str] | None:
        """``(stack, logical id)`` that ``value`` refers to; ``Fn::ImportValue`` is followed to
        the exporting stack's output. None for a literal or a pseudo parameter."""
        if not isinstance(value, Mapping):
            return None
        if "Ref" in value:
            return None if str(value["Ref"]).startswith("AWS::") else (stack, str(value["Ref"]))
        if "Fn::GetAtt" in value:
            return stack, str(value["Fn::GetAtt"][0])
        export = value.get("Fn::ImportValue")
        if isinstance(export, str):
            # CDK names every cross-stack export "<exporting stack>:<output id>".
            owner = export.split(":", 1)[0]
            for output in self.templates.get(owner, {}).get("Outputs", {}).values():
                if output.get("Export", {}).get("Name") == export:
                    return self.target(owner, output.get("Value"))
        return None

    def text(self, value: Any, region: str) -> str:
        """A string property, with ``Fn::Join`` parts joined and ``AWS::Region`` filled in."""
        if isinstance(value, str | int):
            return str(value)
        if isinstance(value, Mapping) and value.get("Ref") == "AWS::Region":
            return region
        if isinstance(value, Mapping) and "Fn::Join" in value:
            separator, parts = value["Fn::Join"]
            return str(separator).join(self.text(part, region) for part in parts)
        return ""


def tags(properties: Mapping[str, Any]) -> dict[str, str]:
    """A resource's ``Tags`` list as a dict."""
    return {str(tag["Key"]): str(tag["Value"]) for tag in properties.get("Tags", [])}
