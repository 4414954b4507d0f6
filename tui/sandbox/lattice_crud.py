"""Lattice writes moto lacks: Update*, Delete* (rules are in ``lattice_rules``).

Deletes follow the documented conflicts: a service network with associations, a service
associated with a network, or a target group a listener/rule forwards to cannot be deleted
(ConflictException). Deleting a service or listener removes what it contains. Deletes are
immediate (the response still says DELETE_IN_PROGRESS, as AWS does).
"""

from __future__ import annotations

import json
from typing import Any

from moto.vpclattice.exceptions import ValidationException

from tui.sandbox.lattice_common import (
    ConflictException,
    NotFound,
    compact,
    handler_registry,
    now_iso,
    rid,
    service_arns_using,
    state,
    touch,
)
from tui.sandbox.lattice_rules import _listener, _rules_of

HANDLERS, handler = handler_registry()
DELETING = "DELETE_IN_PROGRESS"


# -- listeners -------------------------------------------------------------------------------
@handler
def update_listener(self: Any) -> str:
    listener = _listener(self)
    listener.default_action = self._get_param("defaultAction")
    listener.last_updated_at = now_iso()
    touch(self.backend)
    data = listener.to_dict()
    return json.dumps({k: v for k, v in data.items() if k not in ("createdAt", "lastUpdatedAt")})


@handler
def delete_listener(self: Any) -> str:
    listener = _listener(self)
    _drop_listener(self.backend, listener)
    return "{}"


def _drop_listener(backend: Any, listener: Any) -> None:
    for rule in _rules_of(backend, listener):
        del backend.rules[rule.id]
    del backend.listeners[listener.id]
    touch(backend)


# -- services / service networks -------------------------------------------------------------
@handler
def update_service(self: Any) -> str:
    svc = self.backend.get_service(self._get_param("serviceIdentifier"))
    if self._get_param("authType"):
        svc.auth_type = self._get_param("authType")
    if self._get_param("certificateArn") is not None:
        svc.certificate_arn = self._get_param("certificateArn")
    svc.last_updated_at = now_iso()
    return json.dumps(
        compact(
            {
                "arn": svc.arn,
                "authType": svc.auth_type,
                "certificateArn": svc.certificate_arn,
                "customDomainName": svc.custom_domain_name,
                "id": svc.id,
                "name": svc.name,
            }
        )
    )


@handler
def delete_service(self: Any) -> str:
    backend = self.backend
    svc = backend.get_service(self._get_param("serviceIdentifier"))
    for assoc in backend.service_network_service_associations.values():
        if assoc.service_id == svc.id:
            raise ConflictException(
                f"Service {svc.id} is associated with service network {assoc.service_network_id}",
                svc.id,
                "SERVICE",
            )
    for listener in [lst for lst in backend.listeners.values() if lst.service_identifier == svc.id]:
        _drop_listener(backend, listener)
    _drop_attached(backend, svc.id, svc.arn)
    del backend.services[svc.id]
    return json.dumps({"arn": svc.arn, "id": svc.id, "name": svc.name, "status": DELETING})


def _drop_attached(backend: Any, ident: str, arn: str) -> None:
    """Auth policy and access log subscriptions go with their service/network."""
    backend.auth_policies.pop(ident, None)
    for sub_id in [
        s.id
        for s in backend.access_log_subscriptions.values()
        if s.resourceId == ident or s.resourceArn == arn
    ]:
        del backend.access_log_subscriptions[sub_id]


@handler
def update_service_network(self: Any) -> str:
    sn = self.backend.get_service_network(self._get_param("serviceNetworkIdentifier"))
    sn.auth_type = self._get_param("authType") or sn.auth_type
    sn.last_updated_at = now_iso()
    return json.dumps({"arn": sn.arn, "authType": sn.auth_type, "id": sn.id, "name": sn.name})


@handler
def delete_service_network(self: Any) -> str:
    backend = self.backend
    sn = backend.get_service_network(self._get_param("serviceNetworkIdentifier"))
    for assocs in (
        backend.service_network_service_associations,
        backend.service_network_vpc_associations,
    ):
        if any(a.service_network_id == sn.id for a in assocs.values()):
            raise ConflictException(
                f"Service network {sn.id} still has associations", sn.id, "SERVICE_NETWORK"
            )
    _drop_attached(backend, sn.id, sn.arn)
    del backend.service_networks[sn.id]
    return "{}"


# -- associations ----------------------------------------------------------------------------
def _delete_assoc(self: Any, table: str, param: str, kind: str) -> str:
    ident = rid(self._get_param(param))
    assoc = getattr(self.backend, table).pop(ident, None)
    if assoc is None:
        raise NotFound(kind, ident)
    return json.dumps({"arn": assoc.arn, "id": assoc.id, "status": DELETING})


@handler
def delete_service_network_service_association(self: Any) -> str:
    return _delete_assoc(
        self,
        "service_network_service_associations",
        "serviceNetworkServiceAssociationIdentifier",
        "Service network service association",
    )


@handler
def delete_service_network_vpc_association(self: Any) -> str:
    return _delete_assoc(
        self,
        "service_network_vpc_associations",
        "serviceNetworkVpcAssociationIdentifier",
        "Service network VPC association",
    )


@handler
def delete_service_network_resource_association(self: Any) -> str:
    return _delete_assoc(
        self,
        "service_network_resource_associations",
        "serviceNetworkResourceAssociationIdentifier",
        "Service network resource association",
    )


@handler
def update_service_network_vpc_association(self: Any) -> str:
    ident = rid(self._get_param("serviceNetworkVpcAssociationIdentifier"))
    assoc = self.backend.service_network_vpc_associations.get(ident)
    if assoc is None:
        raise NotFound("Service network VPC association", ident)
    assoc.security_group_ids = list(self._get_param("securityGroupIds") or [])
    assoc.last_updated_at = now_iso()
    return json.dumps(
        {
            "arn": assoc.arn,
            "createdBy": assoc.created_by,
            "id": assoc.id,
            "securityGroupIds": assoc.security_group_ids,
            "status": assoc.status,
        }
    )


# -- target groups ---------------------------------------------------------------------------
@handler
def update_target_group(self: Any) -> str:
    tg = self.backend.get_target_group(self._get_param("targetGroupIdentifier"))
    if tg.type in ("LAMBDA", "ALB"):
        raise ValidationException(f"Health checks are not supported for {tg.type} target groups")
    health = dict(tg.config.get("healthCheck") or {})
    health.update(self._get_param("healthCheck") or {})
    tg.config = {**tg.config, "healthCheck": health}
    tg.last_updated_at = now_iso()
    return json.dumps(
        {
            "arn": tg.arn,
            "config": tg.config,
            "id": tg.id,
            "name": tg.name,
            "status": tg.status,
            "type": tg.type,
        }
    )


@handler
def delete_target_group(self: Any) -> str:
    backend = self.backend
    tg = backend.get_target_group(self._get_param("targetGroupIdentifier"))
    if service_arns_using(backend, tg.id):
        raise ConflictException(
            f"Target group {tg.id} is in use by a listener or rule", tg.id, "TARGET_GROUP"
        )
    state(backend).targets.pop(tg.id, None)
    del backend.target_groups[tg.id]
    return json.dumps({"arn": tg.arn, "id": tg.id, "status": DELETING})
