"""Values an Application Load Balancer accepts in a listener rule and a target group.

From the ELB user guide ("Condition types for listener rules", "Health checks for target
groups"):

- a path pattern: at most 128 characters of ``A-Z a-z 0-9 _ - . $ / ~ " ' @ : + &`` and the
  wildcards ``*`` and ``?``; here it also starts with ``/`` (or is ``*``), as a request path does;
- a host header: at most 128 characters of ``A-Z a-z 0-9 - _ .`` and the wildcards ``*`` and
  ``?``, with at least one ``.`` and only letters after the last one; here each label is
  also 1-63 characters (DNS) and does not start or end with ``-``;
- success codes of an HTTP health check: 200 to 499, as ``200``, ``200,302`` or ``200-299``;
  of a gRPC one (target group protocol version GRPC): gRPC status codes 0 to 99, as ``12``,
  ``0,1`` or ``0-5`` (ELB API reference, ``Matcher``: default 12);
- the health check path of a gRPC target group: a method, ``/package.service/method``
  (ELB API reference, ``CreateTargetGroup``: default ``/AWS.ALB/healthcheck``).

Each function returns ``None`` when the value is valid, else the message to show.
"""

from __future__ import annotations

import re

MAX_CONDITION_LENGTH = 128
MAX_LABEL_LENGTH = 63
_PATH_CHARACTERS = re.compile(r"[A-Za-z0-9_\-.$/~\"'@:+&*?]*")
_HOST_CHARACTERS = re.compile(r"[A-Za-z0-9\-_.*?]*")
_SUCCESS_CODES = re.compile(r"\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*")
_GRPC_CODES = re.compile(r"\d{1,2}(-\d{1,2})?(,\d{1,2}(-\d{1,2})?)*")
# Protobuf names: a package of dot-separated identifiers (or none), a service, a method.
_GRPC_METHOD = re.compile(r"/(?:[A-Za-z_][A-Za-z0-9_]*\.)*[A-Za-z_][A-Za-z0-9_]*/[A-Za-z_][A-Za-z0-9_]*")
LOWEST_SUCCESS_CODE, HIGHEST_SUCCESS_CODE = 200, 499
GRPC_HEALTH_CHECK_PATH = "/AWS.ALB/healthcheck"  # answered by any gRPC server: 12, UNIMPLEMENTED
GRPC_SUCCESS_CODES = "12"


def path_pattern_problem(path: str) -> str | None:
    """What an ALB would refuse in a path pattern, or None."""
    if not path.startswith("/") and path != "*":
        return f"{path!r}: a path pattern starts with '/' (e.g. /api/*)"
    return _condition_problem(
        path,
        "a path pattern",
        _PATH_CHARACTERS,
        "letters, digits, _ - . $ / ~ \" ' @ : + & and the wildcards * and ?",
    )


def host_header_problem(host: str) -> str | None:
    """What an ALB (or DNS) would refuse in a host header condition, or None."""
    shape = "a host name such as shop.example.com or *.example.com"
    problem = _condition_problem(
        host, "a host", _HOST_CHARACTERS, f"letters, digits, - _ . and the wildcards * and ?: {shape}"
    )
    if problem:
        return problem
    labels = host.split(".")
    if len(labels) < 2 or not labels[-1].isalpha():
        return f"{host!r} is not {shape} (at least one '.', and only letters after the last one)"
    for label in labels:
        if not label or len(label) > MAX_LABEL_LENGTH:
            return f"{host!r}: each dot-separated label is 1 to {MAX_LABEL_LENGTH} characters: {shape}"
        if label.startswith("-") or label.endswith("-"):
            return f"{host!r}: a label cannot start or end with '-': {shape}"
    return None


def success_codes_problem(codes: str) -> str | None:
    """What a target group would refuse in its HTTP success codes, or None."""
    shape = "use codes from 200 to 499, e.g. 200, 200,302 or 200-399"
    if not _SUCCESS_CODES.fullmatch(codes):
        return f"{codes!r} is not a list of HTTP codes; {shape}"
    return _code_ranges_problem(codes, LOWEST_SUCCESS_CODE, HIGHEST_SUCCESS_CODE, shape)


def is_grpc_codes(codes: str) -> bool:
    """True when ``codes`` is written as gRPC status codes (numbers of 1 or 2 digits)."""
    return _GRPC_CODES.fullmatch(codes) is not None


def health_check_codes_problem(codes: str) -> str | None:
    """What no target group takes as success codes: HTTP codes (200-499) or, for a gRPC
    target group, gRPC status codes (0-99). Which of the two a service needs depends on its
    ``app_protocol``, checked across fields."""
    if is_grpc_codes(codes):
        return _code_ranges_problem(codes, 0, 99, "use gRPC status codes from 0 to 99, e.g. 0, 0,1 or 0-5")
    problem = success_codes_problem(codes)
    if problem and not _SUCCESS_CODES.fullmatch(codes):
        return f"{problem} (with app_protocol grpc: gRPC status codes from 0 to 99, e.g. 0 or 12)"
    return problem


def grpc_method_problem(path: str) -> str | None:
    """Why ``path`` is not a gRPC method a gRPC health check can call, or None."""
    if _GRPC_METHOD.fullmatch(path):
        return None
    return (
        f"{path!r} is not a gRPC method; a gRPC health check calls /package.service/method, e.g. "
        f"/grpc.health.v1.Health/Check (leave path out for {GRPC_HEALTH_CHECK_PATH}, which any gRPC "
        f"server answers with status {GRPC_SUCCESS_CODES}, UNIMPLEMENTED)"
    )


def _code_ranges_problem(codes: str, lowest: int, highest: int, shape: str) -> str | None:
    for part in codes.split(","):
        low, _, high = part.partition("-")
        numbers = [int(low), int(high or low)]
        if not all(lowest <= n <= highest for n in numbers):
            return f"{part} is outside {lowest}-{highest}; {shape}"
        if numbers[0] >= numbers[1] and high:
            return f"the range {part} does not go up; {shape}"
    return None


def _condition_problem(value: str, what: str, allowed: re.Pattern[str], allowed_words: str) -> str | None:
    """A condition value over the length limit, or with a character outside ``allowed``."""
    if len(value) > MAX_CONDITION_LENGTH:
        return f"{what} is at most {MAX_CONDITION_LENGTH} characters (this one has {len(value)})"
    match = allowed.match(value)
    end = match.end() if match else 0
    if end < len(value):
        return f"{value!r}: {value[end]!r} is not allowed in {what}; use {allowed_words}"
    return None
