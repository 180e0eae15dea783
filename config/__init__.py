"""The deployment spec: typed models, the YAML loader and shared physical names."""

from config.errors import SpecError, SpecProblem
from config.loader import available_environments, load_spec, parse_spec
from config.schema import AppSpec, ServiceSpec

__all__ = [
    "AppSpec",
    "ServiceSpec",
    "SpecError",
    "SpecProblem",
    "available_environments",
    "load_spec",
    "parse_spec",
]
