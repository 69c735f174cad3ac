"""Messages between the bot and its activity worker: a pickle with its length before it, in 8 bytes."""

from __future__ import annotations

from typing import IO

__all__ = ["LENGTH_BYTES", "read_message", "write_message"]

LENGTH_BYTES = 8


def write_message(stream: IO[bytes] | None, payload: bytes) -> None:
    if stream is None:
        raise OSError("no pipe")
    stream.write(len(payload).to_bytes(LENGTH_BYTES, "little"))
    stream.write(payload)
    stream.flush()


def read_message(stream: IO[bytes], max_bytes: int) -> bytes:
    size = int.from_bytes(_read_exactly(stream, LENGTH_BYTES), "little")
    if size > max_bytes:
        raise ValueError("message too long")
    return _read_exactly(stream, size)


def _read_exactly(stream: IO[bytes], size: int) -> bytes:
    chunks = []
    while size:
        chunk = stream.read(size)
        if not chunk:
            raise EOFError("pipe closed")
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)
