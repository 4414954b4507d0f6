"""VPC Lattice listener rules moto lacks: Create/Get/List/Update/BatchUpdate/DeleteRule.

Every listener also has a default rule (``rule-`` + the listener id's suffix) that is not stored:
it is rendered from the listener's default action, is changed with UpdateListener and cannot
be deleted. Priorities are 1-100 and unique per listener (ConflictException otherwise).
"""

from __future__ import annotations

import json
from typing import Any

from moto.vpclattice.exceptions import ValidationException
from moto.vpclattice.models import VPCLatticeRule

from tui.sandbox.lattice_common import (
    ConflictException,
    NotFound,
    compact,
    handler_registry,
    listing,
    now_iso,
    rid,
    touch,
)

HANDLERS, handler = handler_registry()


def _listener(self: Any) -> Any:
    return self.backend.get_listener(
        self._get_param("serviceIdentifier"), self._get_param("listenerIdentifier")
    )


def default_rule_id(listener: Any) -> str:
    return "rule-" + listener.id.split("-", 1)[1]


def _default_rule(listener: Any) -> dict[str, Any]:
    return {
        "arn": f"{listener.arn}/rule/{default_rule_id(listener)}",
        "id": default_rule_id(listener),
        "name": "default",
        "isDefault": True,
        "action": listener.default_action,
        "createdAt": listener.createdAt,
        "lastUpdatedAt": listener.last_updated_at,
    }


def rule_dict(rule: Any) -> dict[str, Any]:
    return compact(
        {
            "arn": rule.arn,
            "id": rule.id,
            "name": rule.name,
            "isDefault": False,
            "priority": rule.priority,
            "action": rule.action,
            "match": rule.match,
            "createdAt": getattr(rule, "created_at", None),
            "lastUpdatedAt": getattr(rule, "last_updated_at", None),
        }
    ) | {"isDefault": False}


def _rules_of(backend: Any, listener: Any) -> list[Any]:
    rules = [r for r in backend.rules.values() if r.listener_identifier == listener.id]
    return sorted(rules, key=lambda r: r.priority)


def _check_priority(backend: Any, listener: Any, priority: int, rule_id: str = "") -> None:
    if not 1 <= int(priority) <= 100:
        raise ValidationException("priority must be between 1 and 100")
    for other in _rules_of(backend, listener):
        if other.priority == int(priority) and other.id != rule_id:
            raise ConflictException(
                f"Priority {priority} is already used by rule {other.id}", other.id, "RULE"
            )


@handler
def create_rule(self: Any) -> str:
    listener = _listener(self)
    priority = int(self._get_param("priority"))
    _check_priority(self.backend, listener, priority)
    rule = VPCLatticeRule(
        self.backend.region_name,
        self.backend.account_id,
        self._get_param("action"),
        self._get_param("clientToken"),
        listener.id,
        self._get_param("match"),
        self._get_param("name"),
        priority,
        listener.service_identifier,
        self._get_param("tags"),
    )
    rule.arn = f"{listener.arn}/rule/{rule.id}"
    rule.created_at = rule.last_updated_at = now_iso()
    self.backend.rules[rule.id] = rule
    touch(self.backend)
    self.backend.tag_resource(rule.arn, self._get_param("tags") or {})
    data = rule_dict(rule)
    return json.dumps({k: data[k] for k in ("action", "arn", "id", "match", "name", "priority")})


def _rule(self: Any) -> tuple[Any, Any]:
    """(listener, rule or None for the default rule)."""
    listener = _listener(self)
    ident = rid(self._get_param("ruleIdentifier"))
    if ident == default_rule_id(listener):
        return listener, None
    rule = self.backend.rules.get(ident)
    if rule is None or rule.listener_identifier != listener.id:
        raise NotFound("Rule", ident)
    return listener, rule


@handler
def get_rule(self: Any) -> str:
    listener, rule = _rule(self)
    return json.dumps(_default_rule(listener) if rule is None else rule_dict(rule))


@handler
def list_rules(self: Any) -> str:
    listener = _listener(self)
    items: list[Any] = [*_rules_of(self.backend, listener), listener]

    def render(item: Any) -> dict[str, Any]:
        data = _default_rule(item) if item is listener else rule_dict(item)
        return {k: v for k, v in data.items() if k not in ("action", "match")}

    return listing(self, items, render)


def _update_rule(backend: Any, listener: Any, rule: Any, changes: dict[str, Any]) -> dict:
    if rule is None:
        raise ValidationException("The default rule is changed with UpdateListener")
    if changes.get("priority") is not None:
        _check_priority(backend, listener, changes["priority"], rule.id)
        rule.priority = int(changes["priority"])
    if changes.get("action") is not None:
        rule.action = changes["action"]
    if changes.get("match") is not None:
        rule.match = changes["match"]
    rule.last_updated_at = now_iso()
    touch(backend)
    data = rule_dict(rule)
    return {k: v for k, v in data.items() if k not in ("createdAt", "lastUpdatedAt")}


@handler
def update_rule(self: Any) -> str:
    listener, rule = _rule(self)
    changes = {k: self._get_param(k) for k in ("priority", "action", "match")}
    return json.dumps(_update_rule(self.backend, listener, rule, changes))


@handler
def batch_update_rule(self: Any) -> str:
    listener = _listener(self)
    ok, failed = [], []
    for change in self._get_param("rules") or []:
        ident = rid(change.get("ruleIdentifier"))
        rule = self.backend.rules.get(ident)
        try:
            if ident != default_rule_id(listener) and (
                rule is None or rule.listener_identifier != listener.id
            ):
                raise NotFound("Rule", ident)
            ok.append(_update_rule(self.backend, listener, rule, change))
        except Exception as error:  # each rule succeeds or fails on its own, as in AWS
            code = getattr(error, "error_type", "ValidationException")
            failed.append(
                {
                    "ruleIdentifier": ident,
                    "failureCode": code,
                    "failureMessage": getattr(error, "message", str(error)),
                }
            )
    return json.dumps({"successful": ok, "unsuccessful": failed})


@handler
def delete_rule(self: Any) -> str:
    _, rule = _rule(self)
    if rule is None:
        raise ValidationException("The default rule cannot be deleted")
    del self.backend.rules[rule.id]
    touch(self.backend)
    return "{}"
