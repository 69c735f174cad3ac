"""`settle_heap`: what a started bot holds is moved out of the collector's full scans, and only that."""

from __future__ import annotations

import gc

from bot.app import settle_heap


def test_start_up_objects_are_frozen_and_garbage_is_not() -> None:
    class Cycle:
        def __init__(self) -> None:
            self.me = self

    held = Cycle()
    Cycle()  # unreachable garbage at start: collected, not frozen for ever
    try:
        settle_heap()
        assert gc.get_freeze_count() > 0
        assert not any(isinstance(o, Cycle) and o is not held for o in gc.get_objects())
        # the object still held is frozen, so a full collection no longer scans it
        assert not any(o is held for o in gc.get_objects())
    finally:
        gc.unfreeze()
