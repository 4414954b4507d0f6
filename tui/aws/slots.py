"""A counting semaphore that lets the most urgent waiter in first.

A crawl is a tree of dependent calls. With a plain FIFO semaphore, the page that unlocks
hundreds of calls waits behind hundreds of leaf calls, and the dependent chain gets longer
than it has to be. Priorities (lower = sooner): 0 list pages, 1 calls whose answer starts
more calls, 2 leaves. Same priority: first come, first served.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
from collections.abc import AsyncIterator

LIST, UNLOCKS, LEAF = 0, 1, 2


class PrioritySlots:
    def __init__(self, size: int) -> None:
        self.size = max(1, size)
        self.in_use = 0
        self.peak = 0
        self._waiters: list[tuple[int, int, asyncio.Future[None]]] = []
        self._seq = itertools.count()

    @contextlib.asynccontextmanager
    async def slot(self, priority: int = LEAF) -> AsyncIterator[None]:
        await self._acquire(priority)
        try:
            yield
        finally:
            self._release()

    async def __aenter__(self) -> None:
        await self._acquire(LIST)

    async def __aexit__(self, *exc: object) -> None:
        self._release()

    async def _acquire(self, priority: int) -> None:
        if self.in_use < self.size and not self._waiters:
            self._take()
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiters, (priority, next(self._seq), future))
        try:
            await future  # the releaser took the slot for us
        except asyncio.CancelledError:
            if future.done() and not future.cancelled():
                self._release()  # granted and cancelled at once: hand it on
            raise

    def _take(self) -> None:
        self.in_use += 1
        self.peak = max(self.peak, self.in_use)

    def _release(self) -> None:
        self.in_use -= 1
        while self._waiters and self.in_use < self.size:
            _, _, future = heapq.heappop(self._waiters)
            if not future.done():
                self._take()
                future.set_result(None)
