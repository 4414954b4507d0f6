"""Service-network associations (VPC, service, resource): create by ID or ARN, Get, List.

Get/List return the documented shapes: securityGroupIds on VPC associations, and the
service/network names and ARNs on service associations (moto leaves them out).
"""

from __future__ import annotations

import json
from typing import Any

from tui.sandbox.lattice_common import NotFound, compact, handler_registry, listing, rid

HANDLERS, handler = handler_registry()


def sn_service_dict(backend: Any, assoc: Any) -> dict[str, Any]:
    svc = backend.services.get(assoc.service_id)
    sn = backend.service_networks.get(assoc.service_network_id)
    return compact(
        {
            "arn": assoc.arn,
            "id": assoc.id,
            "status": assoc.status,
            "createdAt": assoc.created_at,
            "createdBy": assoc.created_by,
            "customDomainName": svc.custom_domain_name if svc else None,
            "dnsEntry": assoc.dns_entry.to_dict(),
            "serviceArn": svc.arn if svc else None,
            "serviceId": assoc.service_id,
            "serviceName": svc.name if svc else None,
            "serviceNetworkArn": sn.arn if sn else None,
            "serviceNetworkId": assoc.service_network_id,
            "serviceNetworkName": sn.name if sn else None,
        }
    )


def sn_vpc_dict(assoc: Any) -> dict[str, Any]:
    data = assoc.to_dict()
    data["securityGroupIds"] = list(assoc.security_group_ids)
    return data


# -- associations ----------------------------------------------------------------------------
@handler
def create_service_network_vpc_association(self: Any) -> str:
    assoc = self.backend.create_service_network_vpc_association(
        client_token=self._get_param("clientToken"),
        security_group_ids=self._get_param("securityGroupIds"),
        service_network_identifier=rid(self._get_param("serviceNetworkIdentifier")),
        tags=self._get_param("tags"),
        vpc_identifier=rid(self._get_param("vpcIdentifier")),
    )
    data = sn_vpc_dict(assoc)
    keys = ("arn", "createdBy", "id", "securityGroupIds", "status")
    return json.dumps({k: data[k] for k in keys})


@handler
def get_service_network_vpc_association(self: Any) -> str:
    return json.dumps(sn_vpc_dict(_vpc_assoc(self)))


def _vpc_assoc(self: Any) -> Any:
    ident = rid(self._get_param("serviceNetworkVpcAssociationIdentifier"))
    assoc = self.backend.service_network_vpc_associations.get(ident)
    if assoc is None:
        raise NotFound("Service network VPC association", ident)
    return assoc


@handler
def list_service_network_vpc_associations(self: Any) -> str:
    sn = rid(self._get_param("serviceNetworkIdentifier"))
    vpc = rid(self._get_param("vpcIdentifier"))
    items = [
        a for a in self.backend.service_network_vpc_associations.values()
        if (not sn or a.service_network_id == sn) and (not vpc or a.vpc_id == vpc)
    ]

    def render(a: Any) -> dict[str, Any]:
        data = sn_vpc_dict(a)
        data.pop("securityGroupIds", None)
        return data

    return listing(self, items, render)


@handler
def get_service_network_service_association(self: Any) -> str:
    return json.dumps(sn_service_dict(self.backend, _svc_assoc(self)))


def _svc_assoc(self: Any) -> Any:
    ident = rid(self._get_param("serviceNetworkServiceAssociationIdentifier"))
    assoc = self.backend.service_network_service_associations.get(ident)
    if assoc is None:
        raise NotFound("Service network service association", ident)
    return assoc


@handler
def list_service_network_service_associations(self: Any) -> str:
    sn = rid(self._get_param("serviceNetworkIdentifier"))
    svc = rid(self._get_param("serviceIdentifier"))
    items = [
        a for a in self.backend.service_network_service_associations.values()
        if (not sn or a.service_network_id == sn) and (not svc or a.service_id == svc)
    ]
    return listing(self, items, lambda a: sn_service_dict(self.backend, a))


@handler
def list_service_network_resource_associations(self: Any) -> str:
    sn = rid(self._get_param("serviceNetworkIdentifier"))
    items = [
        a for a in self.backend.service_network_resource_associations.values()
        if not sn or a.service_network_id == sn
    ]
    return listing(self, items, lambda a: a.to_dict())
