"""Resource gateways and resource configurations (VPC resources shared through Lattice).

moto 5.2.5 has none of these operations. Create / Get / List / Delete with the documented
shapes; a gateway stands in one VPC's subnets, a SINGLE/GROUP configuration needs a gateway,
and a gateway that still has configurations cannot be deleted (ConflictException). Both are
ACTIVE as soon as they are created. State lives in ``backend.trellis`` (reset clears it).
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from moto.vpclattice.exceptions import ValidationException

from tui.sandbox.lattice_common import (
    ConflictException,
    NotFound,
    compact,
    handler_registry,
    listing,
    now_iso,
    rid,
    state,
)

HANDLERS, handler = handler_registry()
CONFIG_TYPES = ("SINGLE", "GROUP", "CHILD", "ARN")


def _arn(backend: Any, kind: str, ident: str) -> str:
    return f"arn:aws:vpc-lattice:{backend.region_name}:{backend.account_id}:{kind}/{ident}"


def _required(self: Any, name: str) -> Any:
    value = self._get_param(name)
    if value in (None, "", []):
        raise ValidationException(f"{name} is required")
    return value


def _unique_name(items: dict[str, dict[str, Any]], name: str, what: str) -> None:
    for item in items.values():
        if item["name"] == name:
            raise ConflictException(f"{what} {name} already exists", item["id"], what.upper())


def _store(
    self: Any, table: dict[str, dict[str, Any]], arn_kind: str, name: str, what: str,
    fields: dict[str, Any],
) -> dict[str, Any]:
    """A new ACTIVE record under a fresh id (rgw-/rcfg- + 17 hex, as AWS's)."""
    _unique_name(table, name, what)
    prefix = "rgw" if arn_kind == "resourcegateway" else "rcfg"
    ident = f"{prefix}-{secrets.token_hex(9)[:17]}"
    stamp = now_iso()
    table[ident] = compact({
        "arn": _arn(self.backend, arn_kind, ident), "id": ident, "name": name,
        "status": "ACTIVE", **fields, "createdAt": stamp, "lastUpdatedAt": stamp,
    })  # fmt: skip
    return table[ident]


# -- resource gateways -----------------------------------------------------------------------
def _gateways(backend: Any) -> dict[str, dict[str, Any]]:
    return state(backend).resource_gateways


def _lookup(self: Any, table: dict[str, dict[str, Any]], param: str, what: str) -> dict[str, Any]:
    ident = rid(self._get_param(param))
    found = table.get(ident)
    if found is None:
        raise NotFound(what, ident)
    return found


def _gateway(self: Any) -> dict[str, Any]:
    return _lookup(self, _gateways(self.backend), "resourceGatewayIdentifier", "Resource gateway")


@handler
def create_resource_gateway(self: Any) -> str:
    name = _required(self, "name")
    vpc = rid(_required(self, "vpcIdentifier"))
    subnets = list(_required(self, "subnetIds"))
    gateway = _store(self, _gateways(self.backend), "resourcegateway", name, "Resource gateway", {
        "vpcId": vpc,
        "subnetIds": subnets,
        "securityGroupIds": list(self._get_param("securityGroupIds") or []),
        "ipAddressType": self._get_param("ipAddressType") or "IPV4",
    })  # fmt: skip
    created = dict(gateway)
    created["vpcIdentifier"] = created.pop("vpcId")
    for key in ("createdAt", "lastUpdatedAt"):
        created.pop(key)
    return json.dumps(created)


@handler
def get_resource_gateway(self: Any) -> str:
    return json.dumps(_gateway(self))


@handler
def list_resource_gateways(self: Any) -> str:
    def summary(gw: dict[str, Any]) -> dict[str, Any]:
        item = dict(gw)
        item["vpcIdentifier"] = item.pop("vpcId")
        return item

    return listing(self, list(_gateways(self.backend).values()), summary)


@handler
def delete_resource_gateway(self: Any) -> str:
    gw = _gateway(self)
    using = [c for c in _configs(self.backend).values() if c.get("resourceGatewayId") == gw["id"]]
    if using:
        raise ConflictException(
            f"Resource gateway {gw['id']} still has resource configurations "
            f"({', '.join(c['id'] for c in using)})",
            gw["id"],
            "RESOURCE_GATEWAY",
        )
    del _gateways(self.backend)[gw["id"]]
    return json.dumps({k: gw[k] for k in ("arn", "id", "name")} | {"status": "DELETE_IN_PROGRESS"})


# -- resource configurations -----------------------------------------------------------------
def _configs(backend: Any) -> dict[str, dict[str, Any]]:
    return state(backend).resource_configurations


def _config(self: Any) -> dict[str, Any]:
    table = _configs(self.backend)
    return _lookup(self, table, "resourceConfigurationIdentifier", "Resource configuration")


@handler
def create_resource_configuration(self: Any) -> str:
    name = _required(self, "name")
    kind = _required(self, "type")
    if kind not in CONFIG_TYPES:
        raise ValidationException(f"type must be one of {', '.join(CONFIG_TYPES)}")
    gateway_id = None
    if kind in ("SINGLE", "GROUP", "ARN"):
        gateway_id = _gateway(self)["id"] if self._get_param("resourceGatewayIdentifier") else None
        if gateway_id is None:
            raise ValidationException(f"resourceGatewayIdentifier is required for type {kind}")
    group_id = rid(self._get_param("resourceConfigurationGroupIdentifier"))
    if kind == "CHILD":  # a child belongs to an existing GROUP configuration
        group = _configs(self.backend).get(group_id)
        if group is None or group.get("type") != "GROUP":
            raise ValidationException(
                "resourceConfigurationGroupIdentifier must name a GROUP resource configuration"
            )
        gateway_id = group.get("resourceGatewayId")  # it is reached through its group's gateway
    definition = self._get_param("resourceConfigurationDefinition")
    if kind in ("SINGLE", "CHILD", "ARN") and not definition:
        raise ValidationException(f"resourceConfigurationDefinition is required for type {kind}")
    shareable = self._get_param("allowAssociationToShareableServiceNetwork", True)
    config = _store(self, _configs(self.backend), "resourceconfiguration", name,
                    "Resource configuration", {
        "type": kind,
        "resourceGatewayId": gateway_id,
        "resourceConfigurationGroupId": group_id,
        "resourceConfigurationDefinition": definition,
        "portRanges": list(self._get_param("portRanges") or []),
        "protocol": self._get_param("protocol") or "TCP",
        "allowAssociationToShareableServiceNetwork": bool(shareable),
        "amazonManaged": False,
    })  # fmt: skip
    unsent = ("lastUpdatedAt", "amazonManaged")  # Get has them, Create's answer does not
    return json.dumps({k: v for k, v in config.items() if k not in unsent})


@handler
def get_resource_configuration(self: Any) -> str:
    return json.dumps(_config(self))


SUMMARY_KEYS = (
    "id", "name", "arn", "resourceGatewayId", "resourceConfigurationGroupId", "type", "status",
    "amazonManaged", "createdAt", "lastUpdatedAt",
)  # fmt: skip


@handler
def list_resource_configurations(self: Any) -> str:
    gateway = rid(self._get_param("resourceGatewayIdentifier"))
    group = rid(self._get_param("resourceConfigurationGroupIdentifier"))
    items = [
        c
        for c in _configs(self.backend).values()
        if (not gateway or c.get("resourceGatewayId") == gateway)
        and (not group or c.get("resourceConfigurationGroupId") == group)
    ]
    return listing(self, items, lambda c: {k: c[k] for k in SUMMARY_KEYS if k in c})


@handler
def delete_resource_configuration(self: Any) -> str:
    config = _config(self)
    table = _configs(self.backend)
    children = [
        c["id"] for c in table.values() if c.get("resourceConfigurationGroupId") == config["id"]
    ]
    if children:
        raise ConflictException(
            f"Resource configuration {config['id']} still has child configurations "
            f"({', '.join(children)})",
            config["id"],
            "RESOURCE_CONFIGURATION",
        )
    del table[config["id"]]
    return "{}"
