"""`settle_heap`: what a started bot holds is moved out of the collector's full scans, and only that."""

from __future__ import annotations

import gc
import weakref

from bot.app import settle_heap


def test_start_up_objects_are_frozen_and_garbage_is_not() -> None:
    class Cycle:
        def __init__(self) -> None:
            self.me = self

    held = Cycle()
    garbage = Cycle()  # unreachable once deleted, but only a collection frees a cycle
    gone = weakref.ref(garbage)
    del garbage
    try:
        settle_heap()
        assert gone() is None  # collected first, not frozen (kept) for ever
        assert gc.get_freeze_count() > 0
        # the object still held is frozen: a full collection no longer scans it
        assert not any(o is held for o in gc.get_objects())
    finally:
        gc.unfreeze()
