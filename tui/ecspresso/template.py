"""ecspresso's template functions, expanded from the environment before a file is parsed.

ecspresso renders every config and definition file as a Go ``text/template`` (kayac/go-config)
before decoding it. trellis expands the two functions that need nothing but the environment:

    {{ env "NAME" "default" }}   the variable, or the default when unset or empty
    {{ env "NAME" }}             the variable, or the word NAME itself when unset (as ecspresso)
    {{ must_env "NAME" }}        the variable; an error when it is not set

Strings may be "double-quoted" (Go escapes) or `back-quoted`; ``{{-`` / ``-}}`` trim the
whitespace beside the action as in Go; ``{{/* comments */}}`` disappear. Anything else (tfstate,
ssm, secretsmanager, ``.Field``, pipelines) is a UsageError naming the file, the line and the
function, so a verify never runs on a half-expanded file.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping

from tui.errors import UsageError

SUPPORTED = ("env", "must_env")

_ACTION = re.compile(r"\{\{(-\s)?(.*?)(\s-)?\}\}", re.DOTALL)
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|`[^`]*`|[^\s"`]+')


def _unquote(token: str) -> str | None:
    """The value of a Go string literal, or None when ``token`` is not one."""
    if token.startswith("`") and token.endswith("`") and len(token) >= 2:
        return token[1:-1]
    if token.startswith('"') and token.endswith('"') and len(token) >= 2:
        try:
            return str(json.loads(token))
        except ValueError:
            return token[1:-1]
    return None


def _call(body: str, env: Mapping[str, str], where: str) -> str:
    tokens = _TOKEN.findall(body)
    if not tokens:
        raise UsageError(f"{where}: empty template action {{{{ }}}}")
    func, raw_args = tokens[0], tokens[1:]
    if func not in SUPPORTED:
        shown = func if func.isidentifier() else f"{{{{ {body.strip()} }}}}"
        raise UsageError(
            f"{where}: unsupported template function {shown!r} "
            "(trellis expands only env and must_env; render the file with `ecspresso render` "
            "and verify the result)"
        )
    args: list[str] = []
    for token in raw_args:
        value = _unquote(token)
        if value is None:
            raise UsageError(
                f"{where}: {func} takes quoted names, got {token!r} in {{{{ {body.strip()} }}}}"
            )
        args.append(value)
    if func == "must_env":
        if len(args) != 1:
            raise UsageError(f"{where}: must_env takes one name, got {len(args)}")
        if args[0] not in env:
            raise UsageError(f"{where}: environment variable {args[0]} is not set (must_env)")
        return env[args[0]]
    if not args:
        raise UsageError(f'{where}: env takes a name and an optional default: env "NAME" "default"')
    # As ecspresso's loader (kayac/go-config): each word is tried as a variable in turn, and
    # when none is set (or all are empty) the last word itself is the value.
    for name in args:
        if env.get(name):
            return env[name]
    return args[-1]


def expand(text: str, source: str = "<string>", env: Mapping[str, str] | None = None) -> str:
    """``text`` with every ``{{ ... }}`` action replaced; ``source`` names the file in errors."""
    env = os.environ if env is None else env
    out: list[str] = []
    pos = 0
    for match in _ACTION.finditer(text):
        before = text[pos : match.start()]
        if match.group(1):
            before = before.rstrip()
        out.append(before)
        pos = match.end()
        if match.group(3):
            rest = text[pos:]
            pos += len(rest) - len(rest.lstrip())
        body = match.group(2)
        if body.strip().startswith("/*") and body.strip().endswith("*/"):
            continue
        line = text.count("\n", 0, match.start()) + 1
        out.append(_call(body, env, f"{source}:{line}"))
    tail = text[pos:]
    if "{{" in tail:
        line = text.count("\n", 0, pos + tail.index("{{")) + 1
        raise UsageError(f"{source}:{line}: unterminated template action (missing }}}})")
    out.append(tail)
    return "".join(out)
