"""Values an Application Load Balancer accepts in a listener rule and a target group.

From the ELB user guide ("Condition types for listener rules", "Health checks for target
groups"):

- a path pattern: at most 128 characters of ``A-Z a-z 0-9 _ - . $ / ~ " ' @ : + &`` and the
  wildcards ``*`` and ``?``; here it also starts with ``/`` (or is ``*``), as a request path does;
- a host header: at most 128 characters of ``A-Z a-z 0-9 - _ .`` and the wildcards ``*`` and
  ``?``, with at least one ``.`` and only letters after the last one; here each label is
  also 1-63 characters (DNS) and does not start or end with ``-``;
- success codes of an HTTP health check: 200 to 499, as ``200``, ``200,302`` or ``200-299``.

Each function returns ``None`` when the value is valid, else the message to show.
"""

from __future__ import annotations

import re

MAX_CONDITION_LENGTH = 128
MAX_LABEL_LENGTH = 63
_PATH_CHARACTERS = re.compile(r"[A-Za-z0-9_\-.$/~\"'@:+&*?]*")
_HOST_CHARACTERS = re.compile(r"[A-Za-z0-9\-_.*?]*")
_SUCCESS_CODES = re.compile(r"\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*")
LOWEST_SUCCESS_CODE, HIGHEST_SUCCESS_CODE = 200, 499


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
    for part in codes.split(","):
        low, _, high = part.partition("-")
        numbers = [int(low), int(high or low)]
        if not all(LOWEST_SUCCESS_CODE <= n <= HIGHEST_SUCCESS_CODE for n in numbers):
            return f"{part} is outside 200-499; {shape}"
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
