"""A throwaway PostgreSQL server for the test session: initdb into a temporary directory, listen on a free
loopback port (and a unix socket in the same directory), one fresh database per test, stopped at the end.

initdb and postgres refuse to run as root: as root, the server runs as the `postgres` user (or `nobody`).
If the server cannot be started the tests that need it fail, unless RUNBACK_SKIP_POSTGRES=1 is set (for a
developer without PostgreSQL), in which case they are skipped. RUNBACK_TEST_POSTGRES_URL (a
postgresql+asyncpg:// URL of a server where the user may CREATE DATABASE) uses an existing server instead.
"""

from __future__ import annotations

import asyncio
import glob
import itertools
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

SKIP_ENV = "RUNBACK_SKIP_POSTGRES"
URL_ENV = "RUNBACK_TEST_POSTGRES_URL"


class PostgresUnavailable(RuntimeError):
    pass


def find_bindir() -> Path | None:
    """The newest PostgreSQL server binaries: /usr/lib/postgresql/*/bin (Debian), else initdb on PATH."""
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parent.parent.name or 0)
    )
    if candidates:
        return Path(candidates[-1]).parent
    on_path = shutil.which("initdb")
    return Path(on_path).parent if on_path else None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run_in_thread(function: Callable[[], Any]) -> Any:
    """Run `function` (which may call asyncio.run) in a thread of its own: callers may be inside an event loop."""
    result: list[Any] = []
    error: list[BaseException] = []

    def target() -> None:
        try:
            result.append(function())
        except BaseException as exc:  # re-raised in the caller
            error.append(exc)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if error:
        raise error[0]
    return result[0] if result else None


class PostgresServer:
    """One PostgreSQL cluster in a temporary directory, on 127.0.0.1:<free port>."""

    def __init__(self) -> None:
        self.directory: Path | None = None
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None
        self._counter = itertools.count(1)
        self._external = os.environ.get(URL_ENV) or None
        self._user = "postgres"

    @property
    def admin_url(self) -> str:
        if self._external:
            return self._external
        return f"postgresql+asyncpg://{self._user}@127.0.0.1:{self.port}/postgres"

    def url(self, database: str) -> str:
        return make_url(self.admin_url).set(database=database).render_as_string(hide_password=False)

    # ------------------------------------------------------------------ lifecycle

    def _as_user(self) -> tuple[list[str], int | None, int | None]:
        """The command prefix and uid/gid to run the server binaries with (not root)."""
        if os.geteuid() != 0:
            return [], None, None
        for name in ("postgres", "nobody"):
            try:
                entry = pwd.getpwnam(name)
            except KeyError:
                continue
            return [], entry.pw_uid, entry.pw_gid
        raise PostgresUnavailable("running as root and neither a postgres nor a nobody user exists")

    def start(self) -> None:
        if self._external:
            return
        bindir = find_bindir()
        if bindir is None:
            raise PostgresUnavailable("PostgreSQL server binaries (initdb, postgres) not found")
        _, uid, gid = self._as_user()
        self.directory = Path(tempfile.mkdtemp(prefix="runback-pg-"))
        data = self.directory / "data"
        data.mkdir()
        if uid is not None:
            os.chown(self.directory, uid, gid or -1)
            os.chown(data, uid, gid or -1)
        os.chmod(self.directory, 0o755)

        def demote() -> None:
            if gid is not None:
                os.setgid(gid)
            if uid is not None:
                os.setuid(uid)

        environment = {**os.environ, "LC_ALL": "C", "LANG": "C", "TZ": "UTC"}
        environment.pop("PGDATA", None)
        init = subprocess.run(
            [
                str(bindir / "initdb"),
                "-D",
                str(data),
                "-U",
                self._user,
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync",
            ],
            preexec_fn=demote if uid is not None else None,
            env=environment,
            capture_output=True,
            cwd=self.directory,
        )
        if init.returncode != 0:
            raise PostgresUnavailable(f"initdb failed: {init.stderr.decode(errors='replace')[-2000:]}")
        self.port = free_port()
        log = open(self.directory / "server.log", "wb")
        self.process = subprocess.Popen(
            [
                str(bindir / "postgres"),
                "-D",
                str(data),
                "-p",
                str(self.port),
                "-h",
                "127.0.0.1",
                "-k",
                str(self.directory),
                # a test server: speed over durability (never for production)
                "-c",
                "fsync=off",
                "-c",
                "synchronous_commit=off",
                "-c",
                "full_page_writes=off",
                "-c",
                "max_connections=300",
                "-c",
                "shared_buffers=64MB",
                "-c",
                "timezone=UTC",
            ],
            preexec_fn=demote if uid is not None else None,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=self.directory,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise PostgresUnavailable(f"postgres exited: {self.server_log()[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    pass
                self._execute("SELECT 1")
                return
            except (OSError, Exception):  # not accepting connections yet
                time.sleep(0.1)
        raise PostgresUnavailable(f"postgres did not start in 30 s: {self.server_log()[-2000:]}")

    def server_log(self) -> str:
        if self.directory is None:
            return ""
        path = self.directory / "server.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        if self.process is not None:
            self.process.send_signal(signal.SIGINT)  # "fast" shutdown: clients still connected are cut off
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None
        if self.directory is not None:
            shutil.rmtree(self.directory, ignore_errors=True)
            self.directory = None

    # ------------------------------------------------------------------ databases

    def _execute(self, *statements: str) -> None:
        import asyncpg

        url = make_url(self.admin_url)

        async def run() -> None:
            connection = await asyncpg.connect(
                host=url.host, port=url.port, user=url.username, password=url.password, database=url.database
            )
            try:
                for statement in statements:
                    await connection.execute(statement)
            finally:
                await connection.close()

        _run_in_thread(lambda: asyncio.run(run()))

    def create_database(self, prefix: str = "t") -> str:
        """A new empty database (from template0); returns its postgresql+asyncpg:// URL."""
        name = f"{prefix}_{os.getpid()}_{next(self._counter)}"
        self._execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
        return self.url(name)

    def drop_database(self, url: str) -> None:
        name = make_url(url).database
        self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
