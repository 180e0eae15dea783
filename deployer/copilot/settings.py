"""Inputs the workspace does not hold: accounts, regions and the shell's ``${VAR}`` values.

Copilot keeps an environment's account and region in its application's SSM parameters, not
in the workspace. They come from ``--account``/``--region`` (``VALUE`` for every environment,
``ENV=VALUE`` for one), else from the environment's certificate ARNs (a certificate is in its load
balancer's account and region), else a placeholder the report lists first.

"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from config.patterns import ACCOUNT, PATTERN_HINTS, REGION
from deployer.copilot.models_environment import EnvironmentManifest
from deployer.copilot.record import FieldLog

PLACEHOLDER_ACCOUNT = "000000000000"
PLACEHOLDER_REGION = "us-east-1"
_CERTIFICATE = re.compile(r"^arn:aws[a-z-]*:acm:(?P<region>[a-z0-9-]+):(?P<account>\d{12}):certificate/")


class SettingError(ValueError):
    """A command-line value is malformed; the message names the option."""


@dataclass(frozen=True)
class Settings:
    accounts: dict[str, str] = field(default_factory=dict)  # "" → every environment
    regions: dict[str, str] = field(default_factory=dict)
    variables: dict[str, str] = field(default_factory=dict)


def parse_settings(accounts: Sequence[str], regions: Sequence[str], variables: Sequence[str]) -> Settings:
    """``--account``, ``--region`` and ``--var`` values, checked."""
    return Settings(
        _per_environment("--account", accounts, ACCOUNT),
        _per_environment("--region", regions, REGION),
        _variables(variables),
    )


def check_environments(settings: Settings, environments: Iterable[str]) -> None:
    """``SettingError`` when ``--account ENV=…`` or ``--region ENV=…`` names an environment the
    workspace does not have (listing the ones it has)."""
    known = sorted(environments)
    for option, given in (("--account", settings.accounts), ("--region", settings.regions)):
        for env, value in given.items():
            if env and env not in known:
                raise SettingError(
                    f"{option} '{env}={value}': the workspace has no environment {env!r}; "
                    f"its environments: {', '.join(known)}"
                )


def _per_environment(option: str, values: Sequence[str], pattern: str) -> dict[str, str]:
    result: dict[str, str] = {}
    for value in values:
        env, _, given = value.rpartition("=")
        if not re.match(pattern, given):
            raise SettingError(f"{option} {value!r}: {PATTERN_HINTS[pattern]}; give VALUE or ENV=VALUE")
        if env in result:
            raise SettingError(
                f"{option}: {'environment ' + repr(env) if env else 'a default'} is given twice"
            )
        result[env] = given
    return result


def _variables(values: Sequence[str]) -> dict[str, str]:
    result: dict[str, str] = {}
    for value in values:
        name, sep, given = value.partition("=")
        if not sep or not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", name):
            raise SettingError(f"--var {value!r}: expected NAME=VALUE, e.g. CLIENT_DOMAIN=example.com")
        result[name] = given
    return result


@dataclass(frozen=True)
class Placement:
    account: str
    region: str
    account_from: str
    region_from: str

    def environment_keys(self, name: str) -> dict[str, str]:
        return {"name": name, "account": self.account, "region": self.region, "target": "aws"}

    def describe(self) -> dict[str, str]:
        return {
            "account": self.account,
            "account_from": self.account_from,
            "region": self.region,
            "region_from": self.region_from,
        }

    @property
    def placeholders(self) -> list[str]:
        return [key for key in ("account", "region") if getattr(self, f"{key}_from") == "placeholder"]

    def record(self, log: FieldLog) -> None:
        """The account and region in the report: Copilot kept them outside the workspace."""
        for key in ("account", "region"):
            source = getattr(self, f"{key}_from")
            value = getattr(self, key)
            if source == "placeholder":
                log.put(
                    (f"<{key}>",),
                    ("environment", key),
                    value,
                    note="placeholder: the workspace does not say",
                    step=f"import again with --{key} {log.log.environment}=<{key}> "
                    "(Copilot shows it: copilot env ls --json)",
                )
            else:
                log.put((f"<{key}>",), ("environment", key), value, note=f"from {source}")


def placement_for(env: str, manifest: EnvironmentManifest, settings: Settings) -> Placement:
    """The account and region of ``env`` and where each came from."""
    certificate = next(filter(None, map(_CERTIFICATE.match, _certificates(manifest))), None)
    found = {}
    for key, given in (("account", settings.accounts), ("region", settings.regions)):
        if env in given:
            found[key] = (given[env], f"--{key} {env}=…")
        elif "" in given:
            found[key] = (given[""], f"--{key}")
        elif certificate is not None:
            found[key] = (certificate[key], "the certificate ARN")
        else:
            found[key] = (PLACEHOLDER_ACCOUNT if key == "account" else PLACEHOLDER_REGION, "placeholder")
    return Placement(found["account"][0], found["region"][0], found["account"][1], found["region"][1])


def _certificates(manifest: EnvironmentManifest) -> list[str]:
    """The environment's certificate ARNs, public load balancer first."""
    http = manifest.http
    if http is None:
        return []
    public = http.public.certificates if http.public is not None else []
    private = (http.private or {}).get("certificates") or []
    return [*public, *(str(arn) for arn in private if isinstance(private, list))]
