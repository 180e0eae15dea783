"""User-data lines that keep bridge-mode containers away from the EC2 instance metadata service.

``ECS_AWSVPC_BLOCK_IMDS`` covers awsvpc tasks only. For bridge tasks AWS documents an iptables
rule in Docker's ``DOCKER-USER`` chain that drops their traffic to 169.254.169.254 (AWS
Knowledge Center, "How can I prevent containers from accessing Amazon EC2 instance metadata in
Amazon ECS?"). The chain sees only traffic Docker forwards from its bridge, so the ECS agent and
host-mode tasks, which use the host's own network, keep their access (AWS: host mode cannot be
blocked, the agent needs it). A systemd drop-in re-applies the rule each time Docker starts, so a
reboot or a Docker restart does not lose it; Docker keeps rules it finds in ``DOCKER-USER``.
"""

from __future__ import annotations

METADATA_ADDRESS = "169.254.169.254/32"
RULE = f"--destination {METADATA_ADDRESS} --jump DROP"
DROP_IN_DIR = "/etc/systemd/system/docker.service.d"
DROP_IN = f"{DROP_IN_DIR}/block-bridge-metadata.conf"
# Idempotent: the rule goes first in the chain unless it is there already.
_APPLY = f"iptables --check DOCKER-USER {RULE} 2>/dev/null || iptables --insert DOCKER-USER 1 {RULE}"


def block_bridge_metadata_commands() -> list[str]:
    """Shell lines (Amazon Linux user data) that drop bridge containers' metadata traffic now
    and after every Docker start."""
    return [
        "# bridge-mode containers may not reach the instance metadata service",
        f"mkdir -p {DROP_IN_DIR}",
        f"printf '[Service]\\nExecStartPost=/bin/sh -c \"%s\"\\n' '{_APPLY}' > {DROP_IN}",
        "systemctl daemon-reload",
        "iptables --new-chain DOCKER-USER 2>/dev/null || true",
        _APPLY,
    ]
