"""`runback simulate` / `runback protocol` as the contract fixes them: exit codes, one stderr line,
nothing on stdout on error, `-` for stdin, and an import that stays clear of Telegram and SQLAlchemy."""

from __future__ import annotations

import copy
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from engine import RULES
from engine.cli import protocol_main, simulate_main

ROOT = Path(__file__).resolve().parents[2]

CONTRACT_EXAMPLE: dict[str, Any] = {
    "profile": {
        "injury_site": "metatarsal_shaft",
        "diagnosed_on": "2026-08-20",
        "cleared_to_run_on": "2026-10-01",
        "pre_injury_weekly_minutes": 200,
        "pre_injury_runs_per_week": 4,
        "reds_positive": 0,
    },
    "days": [
        {
            "date": "2026-10-01",
            "checkin": {
                "pain_rest": 0, "pain_walking": 0, "pain_next_day": 0,
                "tenderness": False, "swelling": False, "limping": False, "night_pain": False,
                "sleep_hours": 7.5, "fatigue": 2,
            },
            "session": {"done": "as_prescribed", "run_minutes": 6, "pain_during": 0, "pain_after": 0, "rpe": 3},
            "events": ["readiness_confirmed"],
        }
    ],
}


def run(text: str, argv: list[str] | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = simulate_main(argv or ["-"], io.StringIO(text), out, err)
    return code, out.getvalue(), err.getvalue()


def test_contract_example() -> None:
    code, out, err = run(json.dumps(CONTRACT_EXAMPLE))
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert len(lines) == 1
    decision = json.loads(lines[0])
    assert list(decision) == [
        "date", "action", "level", "run_minutes", "walk_minutes", "reps", "run_interval_s",
        "walk_interval_s", "paused", "reasons", "message",
    ]
    assert decision["date"] == "2026-10-01" and decision["action"] == "run_walk" and decision["level"] == 1
    assert (decision["run_minutes"], decision["walk_minutes"], decision["reps"]) == (6, 24, 6)
    assert (decision["run_interval_s"], decision["walk_interval_s"]) == (60, 240)
    assert decision["paused"] is False and decision["reasons"] == ["level_1"]
    assert decision["message"].startswith("Level 1 today. Run 1 min, walk 4 min, 6 times (30 min).")


def test_reads_a_file(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text(json.dumps(CONTRACT_EXAMPLE))
    assert run("", [str(path)])[:2] == run(json.dumps(CONTRACT_EXAMPLE))[:2]


def test_empty_days_prints_nothing() -> None:
    scenario = {**CONTRACT_EXAMPLE, "days": []}
    assert run(json.dumps(scenario)) == (0, "", "")


def test_defaults_for_optional_fields() -> None:
    scenario = copy.deepcopy(CONTRACT_EXAMPLE)
    del scenario["profile"]["reds_positive"]
    scenario["days"] = [{"date": "2026-10-01"}, {"date": "2026-10-03", "checkin": None, "session": None}]
    code, out, _ = run(json.dumps(scenario))
    assert code == 0 and [json.loads(x)["action"] for x in out.splitlines()] == ["rest", "rest"]


def _broken(mutate: Any) -> dict[str, Any]:
    scenario = copy.deepcopy(CONTRACT_EXAMPLE)
    mutate(scenario)
    return scenario


def _set(path: list[Any], value: Any) -> Any:
    def mutate(s: dict[str, Any]) -> None:
        target = s
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    return mutate


def _delete(path: list[Any]) -> Any:
    def mutate(s: dict[str, Any]) -> None:
        target = s
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]
    return mutate


CI = ["days", 0, "checkin"]
BAD: list[tuple[str, Any, str]] = [
    ("pain float", _set([*CI, "pain_rest"], 1.0), "days[0].checkin.pain_rest: must be an integer 0-10"),
    ("pain range", _set([*CI, "pain_rest"], 11), "days[0].checkin.pain_rest: must be an integer 0-10"),
    ("pain bool", _set([*CI, "pain_walking"], True), "days[0].checkin.pain_walking: must be an integer 0-10"),
    ("pain string", _set([*CI, "fatigue"], "2"), "days[0].checkin.fatigue: must be an integer 0-10"),
    ("bool as int", _set([*CI, "swelling"], 0), "days[0].checkin.swelling: must be true or false"),
    ("sleep range", _set([*CI, "sleep_hours"], 25), "days[0].checkin.sleep_hours: must be a number 0-24"),
    ("missing checkin field", _delete([*CI, "night_pain"]), "days[0].checkin.night_pain: required field missing"),
    ("unknown checkin field", _set([*CI, "mood"], 3), "days[0].checkin.mood: unknown field"),
    ("unknown day field", _set(["days", 0, "note"], "x"), "days[0].note: unknown field"),
    ("unknown top field", _set(["extra"], 1), "extra: unknown field"),
    ("missing profile field", _delete(["profile", "diagnosed_on"]), "profile.diagnosed_on: required field missing"),
    ("cleared must be present", _delete(["profile", "cleared_to_run_on"]),
     "profile.cleared_to_run_on: required field missing"),
    ("bad site", _set(["profile", "injury_site"], "elbow"), "profile.injury_site: must be one of"),
    ("weekly range", _set(["profile", "pre_injury_weekly_minutes"], 0),
     "profile.pre_injury_weekly_minutes: must be an integer 1-10080"),
    ("runs range", _set(["profile", "pre_injury_runs_per_week"], 8),
     "profile.pre_injury_runs_per_week: must be an integer 1-7"),
    ("runs float", _set(["profile", "pre_injury_runs_per_week"], 4.0),
     "profile.pre_injury_runs_per_week: must be an integer 1-7"),
    ("reds range", _set(["profile", "reds_positive"], 5), "profile.reds_positive: must be an integer 0-4"),
    ("bad date", _set(["days", 0, "date"], "2026-02-30"), "days[0].date: must be a real date YYYY-MM-DD"),
    ("date format", _set(["days", 0, "date"], "2026-1-01"), "days[0].date: must be a date YYYY-MM-DD"),
    ("missing date", _delete(["days", 0, "date"]), "days[0].date: required field missing"),
    ("missing done", _delete(["days", 0, "session", "done"]), "days[0].session.done: required field missing"),
    ("bad done", _set(["days", 0, "session", "done"], "ran"), "days[0].session.done: must be one of"),
    ("run minutes range", _set(["days", 0, "session", "run_minutes"], 1441),
     "days[0].session.run_minutes: must be a number 0-1440"),
    ("rpe range", _set(["days", 0, "session", "rpe"], 10.5), "days[0].session.rpe: must be a number 0-10"),
    ("pain during float", _set(["days", 0, "session", "pain_during"], 0.5),
     "days[0].session.pain_during: must be an integer 0-10"),
    ("bad event", _set(["days", 0, "events"], ["readiness_confirmed", "party"]),
     "days[0].events[1]: must be one of"),
    ("events not a list", _set(["days", 0, "events"], "readiness_confirmed"), "days[0].events: must be a list"),
    ("days not a list", _set(["days"], {}), "days: must be a list"),
    ("day not an object", _set(["days"], [3]), "days[0]: must be a JSON object"),
]


@pytest.mark.parametrize(("label", "mutate", "expected"), BAD, ids=[b[0] for b in BAD])
def test_malformed_scenario_exits_2_with_one_line(label: str, mutate: Any, expected: str) -> None:
    code, out, err = run(json.dumps(_broken(mutate)))
    assert code == 2 and out == ""
    assert err.endswith("\n") and err.count("\n") == 1
    assert err.startswith(expected), (label, err)


def test_dates_must_be_strictly_increasing() -> None:
    scenario = copy.deepcopy(CONTRACT_EXAMPLE)
    scenario["days"] = [{"date": "2026-10-02"}, {"date": "2026-10-02"}]
    code, out, err = run(json.dumps(scenario))
    assert code == 2 and out == "" and err.startswith("days[1].date: must be after days[0].date")
    scenario["days"] = [{"date": "2026-10-02"}, {"date": "2026-10-01"}]
    assert run(json.dumps(scenario))[0] == 2


@pytest.mark.parametrize(
    "text",
    ["", "{", "[]", '{"profile": {}, "days": [] }', '{"profile": 1, "days": []}', "NaN",
     '{"days": [], "days": []}'],
)
def test_bad_json_exits_2(text: str) -> None:
    code, out, err = run(text)
    assert code == 2 and out == "" and err.count("\n") == 1 and ": " in err


def test_nan_is_rejected() -> None:
    text = json.dumps(CONTRACT_EXAMPLE).replace('"sleep_hours": 7.5', '"sleep_hours": NaN')
    code, out, err = run(text)
    assert code == 2 and out == "" and err.startswith("scenario: invalid JSON")


def test_missing_file_and_usage_exit_2(tmp_path: Path) -> None:
    code, out, err = run("", [str(tmp_path / "nope.json")])
    assert code == 2 and out == "" and err.count("\n") == 1
    code, out, err = run("", ["a", "b"])
    assert code == 2 and out == "" and err.startswith("usage:")


def test_protocol_lists_levels_and_every_rule() -> None:
    out = io.StringIO()
    assert protocol_main(out) == 0
    text = out.getvalue()
    assert "6 x (1.5 run / 3.5 walk)" in text and "30 min continuous" in text
    for rule in RULES.values():
        assert f"  {rule.id} [{rule.source}]: {rule.summary}" in text


def test_engine_cli_imports_no_telegram_or_sqlalchemy() -> None:
    code = (
        "import sys, engine.cli;"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('telegram', 'sqlalchemy', 'bot')];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_simulate_as_a_process_reads_stdin() -> None:
    code = (
        "import sys; from engine.cli import simulate_main;"
        "sys.exit(simulate_main(sys.argv[1:], sys.stdin, sys.stdout, sys.stderr))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, "-"], cwd=ROOT, input=json.dumps(CONTRACT_EXAMPLE),
        capture_output=True, text=True,
    )
    assert result.returncode == 0 and result.stderr == ""
    assert json.loads(result.stdout)["reasons"] == ["level_1"]
