"""Every rule identifier in RULES fires in at least one rule test."""

from __future__ import annotations

import inspect

import engine_helpers
import test_engine_rules
import test_engine_v12

from engine import RULES


def test_every_rule_identifier_is_exercised_by_a_rule_test() -> None:
    engine_helpers.SEEN.clear()
    tests = [
        fn
        for module in (test_engine_rules, test_engine_v12)
        for name, fn in inspect.getmembers(module, inspect.isfunction)
        if name.startswith("test_") and fn.__module__ == module.__name__ and not inspect.signature(fn).parameters
    ]
    assert len(tests) > 40
    for fn in tests:
        fn()
    # stop_rule shapes no decision: it is said in every run-walk message (test_engine_v12.py checks that).
    missing = sorted(set(RULES) - engine_helpers.SEEN - {"stop_rule"})
    assert not missing, f"rules no test makes fire: {missing}"
    assert engine_helpers.SEEN <= set(RULES)
