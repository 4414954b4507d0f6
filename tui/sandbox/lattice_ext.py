"""VPC Lattice as AWS documents it, on top of moto 5.2.5 (pinned: these are moto internals).

moto routes a request to ``VPCLatticeResponse.<snake_case operation>`` looked up per request,
with the operation found from botocore's model; so handlers set on the class at run time are
served. URLs moto never routed (resource gateways/configurations, targets, ...) need a
pattern in ``moto.vpclattice.urls.url_paths`` before the first vpc-lattice request.

This module: identifiers given as ID *or* ARN everywhere, Get*/List* with the documented
shapes (createdAt, counts, authType defaulting to NONE, serviceArns on target groups) and
real ``maxResults``/``nextToken`` paging on every List*. Associations live in
``lattice_assoc``, writes in ``lattice_crud``, listener rules in ``lattice_rules``,
targets and their health in ``lattice_targets``, resource gateways and configurations in
``lattice_resources``.
"""

from __future__ import annotations

import json
from typing import Any

from tui.sandbox.lattice_common import (
    NotFound,
    compact,
    created_at,
    handler_registry,
    listing,
    rid,
    touch,
)

_EXTRA_URLS = {
    "{0}/resourcegateways$": None,
    # .+ : an identifier may be an ARN, whose "/" arrives decoded
    "{0}/resourcegateways/(?P<resourceGatewayIdentifier>.+)$": None,
    "{0}/resourceconfigurations$": None,
    "{0}/resourceconfigurations/(?P<resourceConfigurationIdentifier>.+)$": None,
    "{0}/resourceendpointassociations$": None,
    "{0}/resourceendpointassociations/(?P<resourceEndpointAssociationIdentifier>[^/]+)$": None,
    "{0}/domainverifications$": None,
    "{0}/domainverifications/(?P<domainVerificationIdentifier>[^/]+)$": None,
    "{0}/servicenetworkvpcendpointassociations$": None,
    "{0}/targetgroups/(?P<targetGroupIdentifier>[^/]+)/(?P<targetsAction>[a-z]+targets)$": None,
    "{0}/services/(?P<serviceIdentifier>[^/]+)/listeners/(?P<listenerIdentifier>[^/]+)"
    "/rules/(?P<ruleIdentifier>[^/]+)$": None,
}

_installed = False


def install() -> None:
    """Patch moto once per process (idempotent)."""
    global _installed
    if _installed:
        return
    from moto.vpclattice import urls
    from moto.vpclattice.models import VPCLatticeBackend
    from moto.vpclattice.responses import VPCLatticeResponse

    from tui.sandbox import (
        lattice_assoc,
        lattice_crud,
        lattice_resources,
        lattice_rules,
        lattice_targets,
    )

    for pattern in _EXTRA_URLS:
        urls.url_paths.setdefault(pattern, VPCLatticeResponse.dispatch)
    _accept_arns(VPCLatticeBackend)
    for module_handlers in (
        HANDLERS,
        lattice_assoc.HANDLERS,
        lattice_crud.HANDLERS,
        lattice_resources.HANDLERS,
        lattice_rules.HANDLERS,
        lattice_targets.HANDLERS,
    ):
        for name, function in module_handlers.items():
            setattr(VPCLatticeResponse, name, _as_json(function))
    _installed = True


def _accept_arns(backend_cls: Any) -> None:
    """moto's getters only take IDs; AWS takes ID or ARN. Normalise at the lookup."""
    for name in ("get_service", "get_service_network", "get_target_group"):
        original = getattr(backend_cls, name)

        def getter(self: Any, *args: Any, _original: Any = original, **kwargs: Any) -> Any:
            identifier = args[0] if args else next(iter(kwargs.values()))
            return _original(self, rid(identifier))

        setattr(backend_cls, name, getter)
    original_listener = backend_cls.get_listener

    def get_listener(self: Any, service_identifier: str, listener_identifier: str) -> Any:
        listener = original_listener(self, rid(service_identifier), rid(listener_identifier))
        return listener

    backend_cls.get_listener = get_listener
    original_create_listener = backend_cls.create_listener

    def create_listener(self: Any, *args: Any, **kwargs: Any) -> Any:
        listener = original_create_listener(self, *args, **kwargs)
        touch(self)  # its default action may forward to target groups
        return listener

    backend_cls.create_listener = create_listener


def _as_json(function: Any) -> Any:
    """moto labels bare string bodies text/html; AWS sends application/json."""

    def serve(self: Any) -> Any:
        body = function(self)
        return 200, {"Content-Type": "application/json"}, body

    serve.__name__ = function.__name__
    return serve


HANDLERS, handler = handler_registry()


# -- renderers -------------------------------------------------------------------------------
def service_dict(backend: Any, svc: Any) -> dict[str, Any]:
    return compact(
        {
            "arn": svc.arn,
            "authType": svc.auth_type or "NONE",
            "certificateArn": svc.certificate_arn,
            "customDomainName": svc.custom_domain_name,
            "dnsEntry": svc.dns_entry.to_dict(),
            "id": svc.id,
            "name": svc.name,
            "status": svc.status,
            "createdAt": created_at(backend, svc),
            "lastUpdatedAt": getattr(svc, "last_updated_at", None) or created_at(backend, svc),
        }
    )


def network_dict(backend: Any, sn: Any) -> dict[str, Any]:
    services = [
        a
        for a in backend.service_network_service_associations.values()
        if a.service_network_id == sn.id
    ]
    vpcs = [
        a
        for a in backend.service_network_vpc_associations.values()
        if a.service_network_id == sn.id
    ]
    data = compact(
        {
            "arn": sn.arn,
            "authType": sn.auth_type or "NONE",
            "id": sn.id,
            "name": sn.name,
            "sharingConfig": sn.sharing_config,
            "createdAt": created_at(backend, sn),
            "lastUpdatedAt": getattr(sn, "last_updated_at", None) or created_at(backend, sn),
        }
    )
    data["numberOfAssociatedServices"] = len(services)
    data["numberOfAssociatedVPCs"] = len(vpcs)
    data["numberOfAssociatedResourceConfigurations"] = 0
    return data


def listener_dict(listener: Any) -> dict[str, Any]:
    return listener.to_dict()


# -- service networks / services -------------------------------------------------------------
@handler
def create_service(self: Any) -> str:
    svc = self.backend.create_service(
        auth_type=self._get_param("authType") or "NONE",
        certificate_arn=self._get_param("certificateArn"),
        client_token=self._get_param("clientToken"),
        custom_domain_name=self._get_param("customDomainName"),
        name=self._get_param("name"),
        tags=self._get_param("tags"),
    )
    return json.dumps(service_dict(self.backend, svc))


@handler
def get_service(self: Any) -> str:
    svc = self.backend.get_service(self._get_param("serviceIdentifier"))
    return json.dumps(service_dict(self.backend, svc))


@handler
def list_services(self: Any) -> str:
    def render(svc: Any) -> dict[str, Any]:
        data = service_dict(self.backend, svc)
        data.pop("authType", None)
        data.pop("certificateArn", None)
        return data

    return listing(self, list(self.backend.services.values()), render)


@handler
def create_service_network(self: Any) -> str:
    sn = self.backend.create_service_network(
        auth_type=self._get_param("authType") or "NONE",
        client_token=self._get_param("clientToken"),
        name=self._get_param("name"),
        sharing_config=self._get_param("sharingConfig"),
        tags=self._get_param("tags"),
    )
    return json.dumps(network_dict(self.backend, sn))


@handler
def get_service_network(self: Any) -> str:
    sn = self.backend.get_service_network(self._get_param("serviceNetworkIdentifier"))
    return json.dumps(network_dict(self.backend, sn))


@handler
def list_service_networks(self: Any) -> str:
    def render(sn: Any) -> dict[str, Any]:
        data = network_dict(self.backend, sn)
        for key in ("authType", "sharingConfig"):
            data.pop(key, None)
        return data

    return listing(self, list(self.backend.service_networks.values()), render)


# -- listeners -------------------------------------------------------------------------------
@handler
def get_listener(self: Any) -> str:
    listener = self.backend.get_listener(
        self._get_param("serviceIdentifier"), self._get_param("listenerIdentifier")
    )
    return json.dumps(listener_dict(listener))


@handler
def list_listeners(self: Any) -> str:
    svc = self.backend.get_service(self._get_param("serviceIdentifier"))
    items = [lst for lst in self.backend.listeners.values() if lst.service_identifier == svc.id]

    def render(lst: Any) -> dict[str, Any]:
        return {k: v for k, v in lst.to_dict().items() if k not in ("defaultAction", "serviceId")}

    return listing(self, items, render)


# -- access logs, resource gateways/configurations, other lists moto lacks ---------------------
@handler
def list_access_log_subscriptions(self: Any) -> str:
    ident = rid(self._get_param("resourceIdentifier"))
    items = [
        s
        for s in self.backend.access_log_subscriptions.values()
        if ident in (s.resourceId, s.resourceArn)
    ]

    def render(s: Any) -> dict[str, Any]:
        return {k: v for k, v in s.to_dict().items() if k != "tags"}

    return listing(self, items, render)


def _empty_list(self: Any) -> str:
    return listing(self, [], dict)


for _name in (
    "list_resource_endpoint_associations",
    "list_domain_verifications",
    "list_service_network_vpc_endpoint_associations",
):
    HANDLERS[_name] = _empty_list


def _not_found(kind: str, param: str) -> Any:
    def get(self: Any) -> str:
        raise NotFound(kind, rid(self._get_param(param)))

    return get


HANDLERS["get_domain_verification"] = _not_found(
    "Domain verification", "domainVerificationIdentifier"
)
