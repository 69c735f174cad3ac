"""`runback simulate` and `runback protocol`, callable without Telegram or a database.

The `runback` console script (bot/cli.py) imports this module lazily; it imports only the standard
library and the engine so that `runback simulate` starts fast.
"""

from __future__ import annotations

import json
from typing import TextIO

from engine.adjustments import CROSS_TRAINING_MODES, INT_RANGES
from engine.decide import simulate
from engine.protocol import PROTOCOL, PROTOCOL_VERSION, RULES, SITES
from engine.scenario import ScenarioError, parse_scenario_text

USAGE = "usage: runback simulate SCENARIO.json   (or '-' to read standard input)"


def simulate_main(argv: list[str], stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    """`runback simulate SCENARIO.json|-`: JSON Lines on stdout, exit 0; a malformed scenario exits 2
    with one line on stderr naming the field and the problem, and nothing on stdout."""
    if len(argv) != 1:
        stderr.write(USAGE + "\n")
        return 2
    source = argv[0]
    try:
        if source == "-":
            text = stdin.read()
        else:
            with open(source, encoding="utf-8") as handle:
                text = handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        stderr.write(f"{source}: cannot read the scenario: {exc}\n".replace("\n", " ").rstrip() + "\n")
        return 2
    try:
        profile, days = parse_scenario_text(text)
    except ScenarioError as exc:
        stderr.write(str(exc).replace("\n", " ") + "\n")
        return 2
    lines = [json.dumps(decision.to_contract()) for decision in simulate(profile, days)]
    if lines:
        stdout.write("\n".join(lines) + "\n")
    return 0


def protocol_text() -> str:
    """The level table and every rule, with identifier, source and summary, for a clinician to review."""
    pr = PROTOCOL
    out = [f"RunBack return-to-run protocol v{PROTOCOL_VERSION}", "", "Run-walk levels (alternate days):"]
    out.append("  level  session                     run min  walk min")
    for lv in pr.levels:
        session = (
            f"{lv.run_minutes} min continuous"
            if lv.continuous
            else f"{lv.reps} x ({lv.run_s / 60:g} run / {lv.walk_s / 60:g} walk)"
        )
        out.append(f"  {lv.number:>5}  {session:<26}  {lv.run_minutes:>7}  {lv.walk_minutes:>8}")
    out.append(
        f"  {pr.build_level:>5}  build phase: +{round((pr.weekly_growth - 1) * 100)}%/week up to "
        "pre-injury weekly minutes"
    )
    out += ["", "Sites:"]
    for site in SITES.values():
        extra = [x for x, on in (("trabecular: slow_site", site.trabecular), ("foot", site.foot)) if on]
        suffix = f" ({', '.join(extra)})" if extra else ""
        out.append(f"  {site.key:<20} {site.risk}-risk  {site.name}{suffix}")
    out += ["", "Rules (identifier [source]: summary):"]
    for rule in RULES.values():
        out.append(f"  {rule.id} [{rule.source}]: {rule.summary}")
    out += ["", "Care-team adjustments (clinician_plan; only ever more careful than the protocol):"]
    for name, (low, high) in INT_RANGES.items():
        out.append(f"  {name}: {low}-{high}")
    out.append("  cross_training: a subset of " + ", ".join(CROSS_TRAINING_MODES) + " (empty: none)")
    out.append("  resume_needs_clinician: true or false")
    out += ["", "Numbers (tunable defaults):"]
    for name in pr.__dataclass_fields__:
        if name in ("levels", "version"):
            continue
        out.append(f"  {name} = {getattr(pr, name)}")
    return "\n".join(out) + "\n"


def protocol_main(stdout: TextIO) -> int:
    """`runback protocol`: print the protocol for review."""
    stdout.write(protocol_text())
    return 0
