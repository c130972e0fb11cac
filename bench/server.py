"""Servers on a loopback port, each in its own process group, started and always stopped."""

import http.client
import os
import signal
import socket
import subprocess
import time
from email.message import Message
from pathlib import Path

from bench.cpu import process_group_cpu_seconds
from bench.wrk import ACCEPT_ENCODING

HOST = "127.0.0.1"
START_TIMEOUT_SECONDS = 30


def fetch(port: int, path: str, host: str | None = None) -> tuple[int, Message, bytes]:
    """A GET on loopback as a browser sends it; a redirect is the answer, as it is to wrk."""
    connection = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        headers = {"Accept-Encoding": ACCEPT_ENCODING} | ({"Host": host} if host else {})
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


class Process:
    """A context manager: starts `command()` on `self.port`, waits until `ready_path` answers
    200, and stops the server's whole process group on the way out."""

    def __init__(self, *, env: dict | None, log: Path, ready_path: str, host_header=None):
        with socket.socket() as probe:
            probe.bind((HOST, 0))
            self.port = probe.getsockname()[1]
        self.base_url = f"http://{HOST}:{self.port}"
        self.host_header = host_header  # for servers that allow only their public host name
        self.ready_path = ready_path
        self._env, self._log = env, log
        self._process: subprocess.Popen | None = None

    def command(self) -> list[str]:
        raise NotImplementedError

    def __enter__(self):
        with self._log.open("ab") as log:
            self._process = subprocess.Popen(
                self.command(), env=self._env, stdout=log, stderr=log, start_new_session=True
            )
        try:
            self._wait_until_it_answers()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def _wait_until_it_answers(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline and self._process.poll() is None:
            try:
                status, _headers, _body = fetch(self.port, self.ready_path, self.host_header)
            except (OSError, http.client.HTTPException):  # not listening yet
                time.sleep(0.2)
                continue
            if status == 200:
                return
            break  # it answers, but not 200: its log says why
        log = "\n".join(self._log.read_text(errors="replace").splitlines()[-30:])
        raise RuntimeError(f"{self.command()[0]} did not start on port {self.port}:\n{log}")

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        os.killpg(process.pid, signal.SIGTERM)  # the server's master and its workers
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)

    def cpu_seconds(self) -> float:
        """CPU time used so far by the server's processes (gunicorn: master and workers)."""
        return process_group_cpu_seconds(self._process.pid) if self._process else 0.0


class Server(Process):
    """`gunicorn -c config/gunicorn.py config.wsgi` (as README, "Production", runs it); `app`
    names another WSGI module to serve with the same binary, config file and workers."""

    def __init__(
        self, *, gunicorn: Path, project: Path, workers: int, app="config.wsgi", **process
    ):
        # The site answers /healthz once its database does; the yardsticks answer any path.
        super().__init__(ready_path="/healthz" if app == "config.wsgi" else "/", **process)
        self._gunicorn, self._project, self._workers, self._app = gunicorn, project, workers, app

    def command(self) -> list[str]:
        config = self._project / "config" / "gunicorn.py"
        command = [str(self._gunicorn), "-c", str(config), self._app, "-b", f"{HOST}:{self.port}"]
        return [*command, "-w", str(self._workers), "--chdir", str(self._project)]
