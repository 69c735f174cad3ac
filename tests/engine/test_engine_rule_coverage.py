"""Every rule identifier in RULES fires in at least one rule test."""

from __future__ import annotations

import inspect

import engine_helpers
import test_engine_rules

from engine import RULES


def test_every_rule_identifier_is_exercised_by_a_rule_test() -> None:
    engine_helpers.SEEN.clear()
    tests = [
        fn
        for name, fn in inspect.getmembers(test_engine_rules, inspect.isfunction)
        if name.startswith("test_") and fn.__module__ == test_engine_rules.__name__
    ]
    assert len(tests) > 40
    for fn in tests:
        fn()
    missing = sorted(set(RULES) - engine_helpers.SEEN)
    assert not missing, f"rules no test makes fire: {missing}"
    assert engine_helpers.SEEN <= set(RULES)
