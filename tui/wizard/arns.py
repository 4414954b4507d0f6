"""Name-or-ARN arguments of attach/detach: tell names from ARNs and reject malformed ARNs.

Pure: no SDK. ``parse(kind, value)`` returns None for a plain name, an Arn for a well-formed ARN
of the expected service and resource type, and raises MalformedArn otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ARN = re.compile(
    r"^arn:(?P<partition>aws|aws-cn|aws-us-gov|aws-iso[a-z-]*):(?P<service>[a-z0-9-]+):"
    r"(?P<region>[a-z0-9-]*):(?P<account>\d{12})?:(?P<resource>.+)$"
)

# kind -> (service, resource regex, example)
_SHAPES: dict[str, tuple[str, str, str]] = {
    "cluster": ("ecs", r"cluster/[A-Za-z0-9_-]{1,255}", "arn:aws:ecs:REGION:ACCOUNT:cluster/NAME"),
    "service": (
        "ecs",
        r"service/([A-Za-z0-9_-]{1,255}/)?[A-Za-z0-9_-]{1,255}",
        "arn:aws:ecs:REGION:ACCOUNT:service/CLUSTER/NAME",
    ),
    "target group": (
        "vpc-lattice",
        r"targetgroup/tg-[0-9a-z-]{1,40}",
        "arn:aws:vpc-lattice:REGION:ACCOUNT:targetgroup/tg-…",
    ),
    "role": ("iam", r"role/([\x21-\x7e]+/)?[\w+=,.@-]{1,64}", "arn:aws:iam::ACCOUNT:role/NAME"),
}


class MalformedArn(ValueError):
    """A value that starts like an ARN but is not a valid ARN of the expected kind."""


@dataclass(frozen=True)
class Arn:
    partition: str
    service: str
    region: str
    account: str
    resource: str

    @property
    def last(self) -> str:
        """The resource's own name/id: the part after the last '/'."""
        return self.resource.rsplit("/", 1)[-1]


def looks_like_arn(value: str) -> bool:
    return value.strip().lower().startswith("arn:")


def parse_any(value: str) -> Arn | None:
    """Any well-formed ARN, or None."""
    m = _ARN.match(value.strip())
    if not m:
        return None
    return Arn(m["partition"], m["service"], m["region"], m["account"] or "", m["resource"])


def parse(kind: str, value: str) -> Arn | None:
    """None for a plain name; the Arn when ``value`` is a valid ARN of ``kind``."""
    value = value.strip()
    if not looks_like_arn(value):
        return None
    service, resource_re, example = _SHAPES[kind]
    arn = parse_any(value)
    needs_region = service != "iam"
    if (
        arn is None
        or arn.service != service
        or not arn.account
        or bool(arn.region) != needs_region
        or not re.fullmatch(resource_re, arn.resource)
    ):
        raise MalformedArn(f"{value!r} is not a valid {kind} ARN (expected {example})")
    return arn


def account_of(arn: str) -> str:
    parsed = parse_any(arn)
    return parsed.account if parsed else ""


def last_part(arn_or_name: str) -> str:
    return arn_or_name.rstrip("/").rsplit("/", 1)[-1]
