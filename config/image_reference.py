"""Container image references, by the grammar of the Docker distribution project
(``distribution/reference``), as ECS and every registry read them:

    reference := [registry[:port]/]path-component[/path-component…][:tag][@digest]

- a registry is a host name (``public.ecr.aws``, ``localhost``) or ``[IPv6]``, with an
  optional port; the first component is a registry when it has a ``.`` or a ``:`` or is
  ``localhost``;
- a path component is lowercase letters and digits, joined by one ``.``, one ``_``, ``__``
  or dashes; none is empty;
- a tag is up to 128 letters, digits, ``_``, ``.`` and ``-``, not starting with ``.`` or ``-``;
- a digest is ``sha256:`` and 64 lowercase hex digits (what ECR and ECS pin by);
- the whole reference is at most 255 characters (ECS's limit for ``image``).
"""

from __future__ import annotations

import re

MAX_LENGTH = 255
DIGEST_SEPARATOR = "@"
# No square brackets: the CLI prints messages through rich, which reads "[@…]" as markup.
SHAPE = (
    "registry/repository:tag or registry/repository@sha256:<64 hex digits> (registry, :port and "
    "tag optional), e.g. public.ecr.aws/nginx/nginx:1.27"
)

_ALPHANUMERIC = r"[a-z0-9]+"
_SEPARATOR = r"(?:[._]|__|-+)"
PATH_COMPONENT = rf"{_ALPHANUMERIC}(?:{_SEPARATOR}{_ALPHANUMERIC})*"
_DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
REGISTRY = rf"(?:{_DOMAIN_COMPONENT}(?:\.{_DOMAIN_COMPONENT})*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?"
TAG = r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}"
DIGEST = r"sha256:[a-f0-9]{64}"
IMAGE_REFERENCE = rf"^(?:{REGISTRY}/)?{PATH_COMPONENT}(?:/{PATH_COMPONENT})*(?::{TAG})?(?:@{DIGEST})?$"


def image_reference_problem(reference: str) -> str | None:
    """Why ``reference`` is not an image reference (naming the part that is wrong), or None."""
    if len(reference) > MAX_LENGTH:
        return f"an image reference is at most {MAX_LENGTH} characters (this one has {len(reference)})"
    if re.match(IMAGE_REFERENCE, reference):
        return None
    return f"{reference!r} is not an image reference: {_wrong_part(reference)}; use {SHAPE}"


def tag_of(reference: str) -> str | None:
    """The tag of an image reference without a digest (``nginx:1.27`` → ``1.27``), or None:
    a ``:`` before the last ``/`` is a registry's port, not a tag (``localhost:5000/app``)."""
    name = reference.partition(DIGEST_SEPARATOR)[0]
    colon = name.rfind(":")
    return name[colon + 1 :] if colon > name.rfind("/") else None


def without_tag(reference: str) -> str:
    """``reference`` without its digest and tag: the repository (``nginx:1.27`` → ``nginx``)."""
    name = reference.partition(DIGEST_SEPARATOR)[0]
    tag = tag_of(name)
    return name[: -len(tag) - 1] if tag is not None else name


def _wrong_part(reference: str) -> str:
    name, at, digest = reference.partition("@")
    if at and not re.fullmatch(DIGEST, digest):
        return f"the digest {digest!r} is not sha256: and 64 lowercase hex digits"
    tag = tag_of(name)
    if tag is not None:
        name = name[: -len(tag) - 1]
        if not re.fullmatch(TAG, tag):
            return (
                f"the tag {tag!r} is not 1-128 letters, digits, '_', '.' and '-' "
                "(not starting with '.' or '-')"
            )
    components = name.split("/")
    first = components[0]
    if len(components) > 1 and ("." in first or ":" in first or first == "localhost"):
        if not re.fullmatch(REGISTRY, first):
            return f"the registry {first!r} is not a host name with an optional :port"
        components = components[1:]
    for component in components:
        if not component:
            return "a path component is empty ('//', or a '/' at an end)"
        if component != component.lower() and re.fullmatch(PATH_COMPONENT, component.lower()):
            return f"the repository path {component!r} has capitals; it is lowercase"
        if not re.fullmatch(PATH_COMPONENT, component):
            return (
                f"the path component {component!r} is not lowercase letters and digits "
                "joined by single '.', '_', '__' or dashes"
            )
    return "it does not follow the image reference grammar"
