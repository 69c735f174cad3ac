"""`runback bench [--quick]` (or `python -m benchmarks`): run the benchmarks, one JSON object per line.

Every benchmark runs against the Bot API emulator on loopback with a real SQLite file in a temporary
directory; the bots run in their own processes. `--quick` is the small version (well under a minute);
the full run takes several minutes. `--only NAME` runs some of them. Figures and their history: docs/performance.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

Bench = Callable[[str, Path | None], Awaitable[list[dict[str, Any]]]]
SIZES = ("tiny", "quick", "full")


def _benchmarks() -> dict[str, Bench]:
    from benchmarks import activity, bench_engine, chart, fanout, history, memory, updates

    return {
        "fanout": fanout.run,
        "updates": updates.run,
        "memory": memory.run,
        "history": history.run,
        "engine": bench_engine.run,
        "chart": chart.run,
        "activity": activity.run,
    }


async def run_all(
    names: list[str],
    size: str,
    out: TextIO,
    workdir: Path | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[dict[str, Any]]:
    """Run the named benchmarks at `size` (tiny, quick or full), writing each result as a JSON line; `progress`
    hears a line as each benchmark starts and ends."""
    results: list[dict[str, Any]] = []
    available = _benchmarks()
    for number, name in enumerate(names, start=1):
        if progress is not None:
            progress(f"{name} ({number} of {len(names)}, {size} size) started")
        started = time.perf_counter()
        figures = await available[name](size, workdir)
        if progress is not None:
            progress(f"{name} done in {time.perf_counter() - started:.1f} s; JSON lines: {len(figures)}")
        for result in figures:
            result["size"] = size
            result["seconds"] = round(time.perf_counter() - started, 1)
            result["at"] = datetime.now(UTC).isoformat(timespec="seconds")
            out.write(json.dumps(result) + "\n")
            out.flush()
            results.append(result)
    return results


def main(argv: list[str] | None = None, progress: Callable[[str], None] | None = None) -> int:
    """`python -m benchmarks` (no progress lines) and `runback bench` (progress lines on stderr)."""
    parser = argparse.ArgumentParser(prog="runback bench", description="RunBack's benchmarks (JSON lines)")
    parser.add_argument("--quick", action="store_true", help="small sizes: every benchmark in under a minute")
    parser.add_argument("--tiny", action="store_true", help="tiny sizes: the CI smoke test (figures meaningless)")
    parser.add_argument(
        "--only", action="append", choices=sorted(_benchmarks()), help="run only this benchmark (repeatable)"
    )
    parser.add_argument("--workdir", type=Path, help="keep the databases here (default: a temporary directory)")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    names = args.only or ["fanout", "updates", "memory", "history", "engine", "chart", "activity"]
    if args.workdir is not None:
        args.workdir.mkdir(parents=True, exist_ok=True)
    size = "tiny" if args.tiny else "quick" if args.quick else "full"
    asyncio.run(run_all(names, size, sys.stdout, args.workdir, progress))
    return 0


if __name__ == "__main__":
    sys.exit(main())
