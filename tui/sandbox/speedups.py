"""Per-request overheads of moto's server, removed without changing any answer.

Measured on a scale:medium crawl (1,687 requests), moto's own dispatch spent, per request:
resolving the backend under one global lock (``os.listdir`` + ~200 ``isdir`` + hundreds of
URL regexes; the lock serialised every request) and ``inspect.getmembers`` of the response
class (~0.5 ms). Both answers depend only on inputs that do not change while serving.

Replaying a scale:large crawl (6,793 requests) through the WSGI app under cProfile then showed
moto matching each rest-json request's URL against the service's routes ~3 times (the same
answer each time) and ECS DescribeTasks comparing every task of every cluster with every
requested id in Python (3,000 × 100 substring tests per call, ~70 ms). Both are answered once
now, with the same result.
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
    added at run time, as tui.sandbox.lattice_ext does, invalidate the entry); route each
    request once; find DescribeTasks' tasks without a Python loop per (task, id) pair."""
    from moto.core import responses, utils

    _route_once(responses.BaseResponse)
    _fast_describe_tasks()

    original = utils.method_names_from_class

    @functools.lru_cache(maxsize=512)
    def _names(clazz: Any, _size: int) -> tuple[str, ...]:
        return tuple(original(clazz))

    def method_names_from_class(clazz: Any) -> list[str]:
        size = sum(len(c.__dict__) for c in getattr(clazz, "__mro__", ()))
        return list(_names(clazz, size))

    responses.method_names_from_class = method_names_from_class


def _route_once(base: type) -> None:
    """``_get_action`` runs 2-3 times per request (setup, parameter parsing, the call); the
    URL routing inside it depends only on the request, so keep its answer on the response
    object (moto builds one per request) and restore the ``uri_match`` it set."""
    original = base._get_action_from_method_and_request_uri

    def route(self: Any, request: Any) -> str:
        cached = self.__dict__.get("_trellis_route")
        if cached is not None and cached[0] is request:
            if cached[2] is not _UNSET:
                self.uri_match = cached[2]
            return cached[1]
        action = original(self, request)
        self.__dict__["_trellis_route"] = (request, action, self.__dict__.get("uri_match", _UNSET))
        return action

    base._get_action_from_method_and_request_uri = route


_UNSET = object()


def _fast_describe_tasks() -> None:
    """moto's ECSBackend.describe_tasks with the same answer and order: a task is described
    when its ARN is requested or its id occurs in a requested string. Joining the requested
    strings with a newline (never part of a task id) turns that last test into one substring
    search in C."""
    from moto.ecs.exceptions import InvalidParameterException
    from moto.ecs.models import EC2ContainerServiceBackend

    def describe_tasks(self: Any, cluster_str: str, tasks: list[str]) -> list[Any]:
        self._get_cluster(cluster_str)
        if not tasks:
            raise InvalidParameterException("Tasks cannot be empty.")
        wanted = set(tasks)
        joined = "\n".join(tasks)
        response = []
        for cluster_tasks in self.tasks.values():
            for task_arn, task in cluster_tasks.items():
                task_id = task_arn.split("/")[-1]
                if (
                    task_arn in wanted
                    or task.task_arn in wanted
                    or ("\n" not in task_id and task_id in joined)
                    or ("\n" in task_id and any(task_id in t for t in tasks))
                ):
                    task.advance()
                    response.append(task)
        return response

    describe_tasks.__doc__ = EC2ContainerServiceBackend.describe_tasks.__doc__
    EC2ContainerServiceBackend.describe_tasks = describe_tasks
