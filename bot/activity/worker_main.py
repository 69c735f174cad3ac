"""The activity worker process (`python -m bot.activity.worker_main MAX_MEMORY_BYTES`): see bot.activity.worker.

Not imported by the bot: it runs in its own interpreter, reading requests on stdin and answering on stdout.
"""

from __future__ import annotations

import os
import pickle
import sys
from typing import IO

from bot.activity.framing import read_message, write_message
from bot.activity.model import DEFAULT_LIMITS
from bot.activity.parse import parse_activity

__all__ = ["serve"]


def serve(max_memory_bytes: int, requests: IO[bytes], answers: IO[bytes]) -> None:
    """The worker's loop: a request in, `parse_activity`'s result out, until the parent closes the pipe."""
    _cap_memory(max_memory_bytes)
    limit = DEFAULT_LIMITS.max_bytes + 64 * 1024  # the file and a little pickle around it
    while True:
        try:
            data, filename, tz, limits = pickle.loads(read_message(requests, limit))  # from the parent: trusted
        except (EOFError, MemoryError):  # the parent closed the pipe, or the file does not fit: end, it sees EOF
            return
        write_message(answers, pickle.dumps(parse_activity(data, filename, tz, limits)))


def _cap_memory(extra_bytes: int) -> None:
    """Cap this process's address space at its size now plus `extra_bytes` (Linux; elsewhere no cap)."""
    try:
        import resource

        with open("/proc/self/statm") as statm:
            size_now = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        cap = size_now + extra_bytes
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            cap = min(cap, hard)
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    except (ImportError, OSError, ValueError):
        pass


if __name__ == "__main__":
    answers = sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print must not corrupt the answers
    serve(int(sys.argv[1]), sys.stdin.buffer, answers)
