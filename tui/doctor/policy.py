"""IAM / auth policy documents: parse and evaluate the little the doctor needs.

IAM evaluation: an explicit Deny wins over any Allow; with no matching Allow the request is
implicitly denied. Action patterns use '*' and '?' wildcards, case-insensitive.
"""

from __future__ import annotations

import fnmatch
import json
from typing import Any
from urllib.parse import unquote


def load(document: Any) -> dict[str, Any] | None:
    """A policy as a dict from a dict, a JSON string or a URL-encoded JSON string."""
    if isinstance(document, dict):
        return document
    if not isinstance(document, str) or not document.strip():
        return None
    for text in (document, unquote(document)):
        try:
            value = json.loads(text)
        except ValueError:
            continue
        if isinstance(value, dict):
            return value
    return None


def statements(document: Any) -> list[dict[str, Any]]:
    policy = load(document) or {}
    items = policy.get("Statement") or []
    if isinstance(items, dict):
        items = [items]
    return [s for s in items if isinstance(s, dict)]


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def action_matches(patterns: Any, action: str) -> bool:
    return any(fnmatch.fnmatchcase(action.lower(), str(p).lower()) for p in as_list(patterns))


def grants(documents: list[Any], action: str) -> bool:
    """True if some statement allows ``action`` and none denies it (resources not modelled)."""
    allowed = False
    for doc in documents:
        for st in statements(doc):
            if "Action" not in st:
                continue  # NotAction statements: not modelled, do not count as granting
            if action_matches(st["Action"], action):
                if st.get("Effect") == "Deny" and not st.get("Condition"):
                    return False
                if st.get("Effect") == "Allow":
                    allowed = True
    return allowed


def fully_modelled(documents: list[Any]) -> bool:
    """False if ``grants`` could be wrong about these documents: one does not parse (or has
    no statements), or an Allow uses NotAction (it may grant what ``grants`` never counts)."""
    for doc in documents:
        if not (load(doc) or {}).get("Statement"):
            return False
        if any("Action" not in st and st.get("Effect") == "Allow" for st in statements(doc)):
            return False
    return True


def trusts_service(document: Any, service: str) -> bool:
    """True if a statement Allows sts:AssumeRole to the service principal ``service``."""
    for st in statements(document):
        if st.get("Effect") != "Allow" or not action_matches(st.get("Action"), "sts:AssumeRole"):
            continue
        principal = st.get("Principal")
        if principal == "*":
            return True
        if isinstance(principal, dict) and service in as_list(principal.get("Service")):
            return True
    return False


def trusted_services(document: Any) -> list[str]:
    out: list[str] = []
    for st in statements(document):
        principal = st.get("Principal")
        if isinstance(principal, dict):
            out += [str(s) for s in as_list(principal.get("Service"))]
    return out


_INVOKE_ACTIONS = ("vpc-lattice-svcs:Invoke", "vpc-lattice-svcs:Connect")


def _everyone(principal: Any) -> bool:
    if principal == "*":
        return True
    return isinstance(principal, dict) and "*" in as_list(principal.get("AWS"))


def auth_verdict(document: Any) -> tuple[str, str]:
    """('ok'|'no-allow'|'deny-all'|'unparsable', explanation) for a Lattice auth policy."""
    if load(document) is None:
        return "unparsable", "the policy is not valid JSON"
    sts = statements(document)
    for st in sts:
        if (
            st.get("Effect") == "Deny"
            and _everyone(st.get("Principal"))
            and not st.get("Condition")
            and any(action_matches(st.get("Action"), a) for a in _INVOKE_ACTIONS[:1])
            and "*" in [str(r) for r in as_list(st.get("Resource"))]
        ):
            return "deny-all", f"statement {st.get('Sid') or '(no Sid)'} denies every caller"
    allows = [
        st
        for st in sts
        if st.get("Effect") == "Allow"
        and (action_matches(st.get("Action"), _INVOKE_ACTIONS[0]) or "NotAction" in st)
    ]
    if not allows:
        return "no-allow", "no statement Allows vpc-lattice-svcs:Invoke"
    return "ok", f"{len(allows)} Allow statement(s)"
