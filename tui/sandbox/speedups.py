"""Per-request overheads of moto's server, removed without changing any answer.

Measured on a scale:medium crawl (1,687 requests), moto's own dispatch spent, per request:
resolving the backend under one global lock (``os.listdir`` + ~200 ``isdir`` + hundreds of
URL regexes; the lock serialised every request) and ``inspect.getmembers`` of the response
class (~0.5 ms). Both answers depend only on inputs that do not change while serving.
"""

from __future__ import annotations

import functools
from typing import Any


def cached_dispatcher(base: type) -> type:
    """moto's DomainDispatcherApplication, remembering which app serves which inferred host."""

    class CachedDispatcher(base):  # type: ignore[misc,valid-type]
        def __init__(self, create_app: Any) -> None:
            super().__init__(create_app)
            self._by_host: dict[str, Any] = {}

        def get_application(self, environ: dict[str, Any]) -> Any:
            path = environ.get("PATH_INFO", "")
            if not environ.get("HTTP_AUTHORIZATION") or path.startswith(
                ("/moto-api", "/favicon.ico", "/latest/")
            ):
                return super().get_application(environ)
            host = self.infer_service_region_host(environ, path)
            app = self._by_host.get(host) if host else None
            if app is None:
                app = super().get_application(environ)
                if host:
                    self._by_host[host] = app
            return app

    return CachedDispatcher


def install() -> None:
    """Cache moto's method-name introspection per response class (and its size: methods
    added at run time, as tui.sandbox.lattice_ext does, invalidate the entry)."""
    from moto.core import responses, utils

    original = utils.method_names_from_class

    @functools.lru_cache(maxsize=512)
    def _names(clazz: Any, _size: int) -> tuple[str, ...]:
        return tuple(original(clazz))

    def method_names_from_class(clazz: Any) -> list[str]:
        size = sum(len(c.__dict__) for c in getattr(clazz, "__mro__", ()))
        return list(_names(clazz, size))

    responses.method_names_from_class = method_names_from_class
