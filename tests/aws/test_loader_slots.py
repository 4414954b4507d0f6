"""PrioritySlots: bounded, and the most urgent waiter goes first (pure asyncio)."""

import asyncio

from tui.aws.slots import LEAF, LIST, UNLOCKS, PrioritySlots


async def test_bounded_and_urgent_first():
    slots = PrioritySlots(2)
    order: list[str] = []
    gate = asyncio.Event()

    async def job(name: str, priority: int) -> None:
        async with slots.slot(priority):
            order.append(name)
            await gate.wait()

    tasks = [asyncio.create_task(job(n, p)) for n, p in [
        ("a", LEAF), ("b", LEAF), ("leaf1", LEAF), ("leaf2", LEAF), ("unlock", UNLOCKS),
        ("page", LIST)]]
    await asyncio.sleep(0.01)
    assert order == ["a", "b"] and slots.in_use == 2
    gate.set()
    await asyncio.gather(*tasks)
    assert order == ["a", "b", "page", "unlock", "leaf1", "leaf2"]
    assert slots.peak == 2 and slots.in_use == 0


async def test_cancelled_waiter_does_not_leak_a_slot():
    slots = PrioritySlots(1)
    async with slots.slot():
        waiter = asyncio.create_task(slots.slot().__aenter__())
        await asyncio.sleep(0)
        waiter.cancel()
    await asyncio.sleep(0)
    assert slots.in_use == 0
    async with slots.slot():
        assert slots.in_use == 1
