"""A throwaway PostgreSQL server for the tests: initdb in a temporary folder, a Unix socket only,
stopped at the end. Started from the system's PostgreSQL binaries (Debian's ``postgresql``).

PostgreSQL refuses to run as root, and CI runs as root: then the server runs as the ``postgres``
system user (``runuser``), in a folder it may enter. Under ``CI=true`` a missing PostgreSQL fails
the run instead of skipping its tests.

``.ci/run`` starts the server before the tests (``python3 tests/postgres_server.py start FILE``,
standard library only) and names it in ``BOTULAX_TEST_POSTGRES``; the tests then use that server
(and may stop and start it, to test an outage); without it they start their own.
"""

from __future__ import annotations

import functools
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


class ServerUnavailable(RuntimeError):
    """No PostgreSQL binaries here, or the server would not start; the message says which."""


def binaries() -> Path:
    for name in ("pg_ctl", "initdb"):
        found = shutil.which(name)
        if found and Path(found).resolve().parent.joinpath("postgres").exists():
            return Path(found).resolve().parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name), reverse=True)
    for candidate in candidates:
        if Path(candidate, "initdb").exists():
            return Path(candidate)
    raise ServerUnavailable("PostgreSQL is not installed (apt-get install postgresql)")


class TemporaryServer:
    def __init__(self, root: Path | None = None) -> None:
        """A server in ``root`` (default: a new temporary folder)."""
        self.bin = binaries()
        self.root = root or Path(tempfile.mkdtemp(prefix="botulax-pg-"))
        self.data = self.root / "data"
        self.socket = self.root / "socket"
        self.port = 5432 + os.getpid() % 1000
        self.as_root = os.geteuid() == 0
        self.owner = "postgres" if self.as_root else None
        self.user = "postgres" if self.as_root else (os.environ.get("USER") or "postgres")

    def _run(self, *command: str) -> subprocess.CompletedProcess[str]:
        argv = [str(self.bin / command[0]), *command[1:]]
        if self.as_root:
            argv = ["runuser", "-u", "postgres", "--", *argv]
        return subprocess.run(argv, capture_output=True, text=True, timeout=120)

    def start_or_reuse(self) -> TemporaryServer:
        """Start the server kept in ``root`` (the records bench keeps one), creating it the first time."""
        if (self.data / "PG_VERSION").exists():
            ports = [
                line for line in (self.data / "postgresql.conf").read_text().splitlines() if line.startswith("port = ")
            ]
            self.port = int(ports[-1].split("=")[1])
            self.start_again()
            return self
        self.root.mkdir(parents=True, exist_ok=True)
        return self.start()

    def has_database(self, name: str) -> bool:
        return self.psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'").strip() == "1"

    def start(self, *, for_tests: bool = False) -> TemporaryServer:
        """Initialise and start the server. ``for_tests``: without autovacuum. A test run leaves some
        300 short-lived databases on it, and the launcher starts a worker in each of them in turn
        (every minute divided by their number: several a second by the end), each a new process that
        connects and reads that database's catalog, for tables no test keeps long enough to vacuum.
        The benches' servers keep it, as a clinic's does."""
        self.socket.mkdir(parents=True, exist_ok=True)
        if self.as_root:
            shutil.chown(self.root, "postgres")
            shutil.chown(self.socket, "postgres")
            os.chmod(self.root, 0o755)
        result = self._run("initdb", "-D", str(self.data), "-U", self.user, "--auth=trust", "-E", "UTF8", "--no-locale")
        if result.returncode != 0:
            raise ServerUnavailable(f"initdb failed: {result.stderr.strip()[-500:]}")
        with open(self.data / "postgresql.conf", "a", encoding="utf-8") as conf:
            conf.write(
                f"listen_addresses = ''\nunix_socket_directories = '{self.socket}'\nport = {self.port}\n"
                "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\nmax_connections = 300\n"
                + ("autovacuum = off\n" if for_tests else "")
            )
        self.start_again()
        return self

    def running(self) -> bool:
        return self._run("pg_ctl", "-D", str(self.data), "status").returncode == 0

    def start_again(self) -> None:
        if self.running():
            return
        result = self._run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "log"), "-w", "start")
        if result.returncode != 0:
            log = (self.root / "log").read_text(errors="replace")[-800:] if (self.root / "log").exists() else ""
            raise ServerUnavailable(f"PostgreSQL did not start: {result.stderr.strip()} {log}")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{self.user}@/{database}?host={self.socket}&port={self.port}"

    def psql(self, sql: str, database: str = "postgres", *more: str) -> str:
        """Run ``sql`` (then each of ``more``, each in a transaction of its own) in one psql; its output."""
        commands = [argument for statement in (sql, *more) for argument in ("-c", statement)]
        result = subprocess.run(
            [str(self.bin / "psql"), "-h", str(self.socket), "-p", str(self.port), "-U", self.user, "-d", database,
             "-v", "ON_ERROR_STOP=1", "-qAt", *commands],
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        if result.returncode != 0:
            raise RuntimeError(result.stderr)
        return result.stdout

    def copy_database(self, name: str, template: str, *, replacing: bool = False) -> None:
        """``name`` made a copy of ``template`` (``replacing`` a database of that name).

        Why FILE_COPY: PostgreSQL 15's default strategy writes every page of the copy to the
        write-ahead log, 45-60 ms of the server's CPU for our 7 MB template, where copying the files
        takes 20 ms; a run makes about 290 copies. Older servers have only the file copy."""
        strategy = " STRATEGY FILE_COPY" if self.version >= 15 else ""
        create = f'CREATE DATABASE "{name}" TEMPLATE "{template}"{strategy}'
        if replacing:
            self.psql(f'DROP DATABASE "{name}"', "postgres", create)
        else:
            self.psql(create)

    @functools.cached_property
    def version(self) -> int:
        """The server's major version (15 for 15.8)."""
        return int(self.psql("SHOW server_version_num").strip()) // 10000

    def create_database(self, name: str) -> str:
        self.psql(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def close(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)

    def describe(self) -> dict[str, object]:
        return {"root": str(self.root), "port": self.port, "user": self.user, "bin": str(self.bin)}

    @classmethod
    def attach(cls, description: dict[str, object]) -> TemporaryServer:
        """A server another process started (``start`` below)."""
        server = cls.__new__(cls)
        server.bin = Path(str(description["bin"]))
        server.root = Path(str(description["root"]))
        server.data = server.root / "data"
        server.socket = server.root / "socket"
        server.port = int(description["port"])  # type: ignore[call-overload]
        server.as_root = os.geteuid() == 0
        server.owner = "postgres" if server.as_root else None
        server.user = str(description["user"])
        return server


def main(argv: list[str]) -> int:
    """``start FILE``: start a server and describe it in FILE; ``stop FILE``: stop it and remove it."""
    if len(argv) != 2 or argv[0] not in ("start", "stop"):
        print("usage: postgres_server.py start|stop FILE", file=sys.stderr)
        return 2
    file = Path(argv[1])
    if argv[0] == "start":
        try:
            server = TemporaryServer().start(for_tests=True)
        except ServerUnavailable as why:
            print(f"postgres_server: {why}", file=sys.stderr)
            return 1
        file.write_text(json.dumps(server.describe()), encoding="utf-8")
        print(f"PostgreSQL for the tests: {server.url()}")
        return 0
    TemporaryServer.attach(json.loads(file.read_text(encoding="utf-8"))).close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
