"""``AWS::ServiceDiscovery::HttpNamespace`` for moto 5.2.5's CloudFormation, which lacks it.

moto models Cloud Map namespaces in its API but not in CloudFormation, so a cluster whose
Service Connect defaults reference the namespace (``Fn::GetAtt Namespace.Arn``) fails to
create. ``register`` adds the resource type, backed by moto's own namespace model; the local
endpoint process calls it, and so do the in-process moto tests of the same templates.
"""

from __future__ import annotations

from typing import Any

from moto.cloudformation import parsing
from moto.core.common_models import CloudFormationModel
from moto.servicediscovery.models import servicediscovery_backends


class HttpNamespace(CloudFormationModel):
    """A Cloud Map HTTP namespace created from its CloudFormation properties."""

    def __init__(self, namespace: Any) -> None:
        self.namespace = namespace

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::ServiceDiscovery::HttpNamespace"

    @staticmethod
    def cloudformation_name_type() -> str:
        return "Name"

    @property
    def physical_resource_id(self) -> str:
        return str(self.namespace.id)

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return attr in ("Arn", "Id")

    def get_cfn_attribute(self, attribute_name: str) -> str:
        return str(self.namespace.arn if attribute_name == "Arn" else self.namespace.id)

    @classmethod
    def create_from_cloudformation_json(
        cls,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> HttpNamespace:
        properties = cloudformation_json["Properties"]
        backend = servicediscovery_backends[account_id][region_name]
        before = set(backend.namespaces)
        backend.create_http_namespace(
            name=properties["Name"],
            creator_request_id=resource_name,
            description=properties.get("Description", ""),
            tags=properties.get("Tags", []),
        )
        [created] = set(backend.namespaces) - before
        return cls(backend.namespaces[created])

    @classmethod
    def delete_from_cloudformation_json(
        cls, resource_name: str, cloudformation_json: dict[str, Any], account_id: str, region_name: str
    ) -> None:
        backend = servicediscovery_backends[account_id][region_name]
        for namespace_id, namespace in list(backend.namespaces.items()):
            if namespace.creator_request_id == resource_name:
                del backend.namespaces[namespace_id]


def register() -> None:
    """Make moto's CloudFormation create HTTP namespaces (idempotent)."""
    parsing.get_model_list.cache_clear()
    parsing.get_model_map.cache_clear()
    parsing.get_name_type_map.cache_clear()
