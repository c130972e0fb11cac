"""A PostgreSQL cluster of a test's own, for the tests that stop and start the database server.

The suite runs in parallel (pytest-xdist), every worker with its own test database in the
cluster .ci/run starts; a test that stopped that cluster would take the server away from the
other workers' tests. These tests start a cluster of their own instead, on a free loopback port,
with PostgreSQL's own initdb and pg_ctl (from PGTEST_BIN_DIR, run as PGTEST_OS_USER: the server
refuses to run as root), and delete it afterwards.
"""

import os
import shutil
import socket
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

HOST = "127.0.0.1"
OS_USER = os.environ.get("PGTEST_OS_USER", "postgres")
BIN_DIR = os.environ.get("PGTEST_BIN_DIR", "")
DATABASE = "kcpd"
# Durability off: the cluster is deleted at the end, and it makes the tests faster.
SETTINGS = "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"


def available() -> bool:
    return bool(BIN_DIR) and Path(BIN_DIR, "initdb").exists() and bool(shutil.which("runuser"))


class Cluster:
    def __init__(self, root: Path):
        self.root = root
        self.data = root / "data"
        with socket.socket() as probe:
            probe.bind((HOST, 0))
            self.port = probe.getsockname()[1]
        self.url = f"postgres://postgres@{HOST}:{self.port}/{DATABASE}"

    def _run(self, tool: str, *args: str) -> None:
        # cd / so that the server's user is not left in a directory it may not read.
        subprocess.run(
            ["runuser", "-u", OS_USER, "--", str(Path(BIN_DIR, tool)), *args],
            check=True,
            capture_output=True,
            stdin=subprocess.DEVNULL,
            cwd="/",
            timeout=60,
        )

    def create(self) -> None:
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres")
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write(f"port = {self.port}\nlisten_addresses = '{HOST}'\n")
            conf.write(f"unix_socket_directories = '{self.root}'\n{SETTINGS}")
        self.start()
        self._run("createdb", "-h", HOST, "-p", str(self.port), "-U", "postgres", DATABASE)

    def start(self) -> None:
        # The server must not inherit our pipes (it would hold them open): it logs to a file.
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.root / "server.log"), "-w", "start"
        )

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def is_running(self) -> bool:
        return (self.data / "postmaster.pid").exists()


@contextmanager
def own_cluster():
    """A new cluster with an empty database `kcpd`, running; stopped and deleted on exit."""
    root = Path(tempfile.mkdtemp(prefix="kcpd-pg-"))
    shutil.chown(root, OS_USER)
    root.chmod(0o700)
    cluster = Cluster(root)
    try:
        cluster.create()
        yield cluster
    finally:
        if cluster.is_running():
            cluster.stop()
        shutil.rmtree(root, ignore_errors=True)
