"""Servers on a loopback port, each in its own process group, started and always stopped:
the site and the bare Django view under gunicorn, and Datasette."""

import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from bench.cpu import process_group_cpu_seconds
from bench.wrk import ACCEPT_ENCODING

HOST = "127.0.0.1"
START_TIMEOUT_SECONDS = 30
STOP_TIMEOUT_SECONDS = 10


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is the answer, not a step: a benchmark that followed one would measure it
    (and wrk, which does not follow, would measure only the 302)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


# Straight to loopback, whatever http_proxy says.
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirects())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def fetch(url: str, host: str | None = None) -> tuple[int, dict[str, str], bytes]:
    headers = {"Accept-Encoding": ACCEPT_ENCODING} | ({"Host": host} if host else {})
    request = urllib.request.Request(url, headers=headers)
    try:
        with _DIRECT.open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


class Process:
    """A server started by `command` on `self.port`, ready once `ready_path` answers 200;
    a context manager that stops it."""

    def __init__(self, *, env: dict, log: Path, ready_path: str, host_header: str | None = None):
        self.port = free_port()
        self.host_header = host_header  # for servers that allow only their public host name
        self.base_url = f"http://{HOST}:{self.port}"
        self.ready_path = ready_path
        self._env = env
        self._log = log
        self._process: subprocess.Popen | None = None

    def command(self) -> list[str]:
        raise NotImplementedError

    def __enter__(self):
        with self._log.open("ab") as log:
            self._process = subprocess.Popen(
                self.command(),
                env=self._env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
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
        name = Path(self.command()[0]).name
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"{name} exited at start:\n{self._log_tail()}")
            try:
                status, _headers, _body = fetch(self.base_url + self.ready_path, self.host_header)
            except OSError:
                time.sleep(0.2)
                continue
            if status == 200:
                return
            raise RuntimeError(f"{name} answered {status} at start:\n{self._log_tail()}")
        raise RuntimeError(f"{name} did not answer in {START_TIMEOUT_SECONDS}s")

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        # The group is the one this process created for the server: its master and workers.
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=STOP_TIMEOUT_SECONDS)

    def cpu_seconds(self) -> float:
        """CPU time used so far by the server's processes (gunicorn: master and workers)."""
        if self._process is None:
            return 0.0
        return process_group_cpu_seconds(self._process.pid)

    def _log_tail(self) -> str:
        return "\n".join(self._log.read_text(errors="replace").splitlines()[-30:])


class Server(Process):
    """`gunicorn -c config/gunicorn.py config.wsgi` (as README, "Production", runs it); `app`
    names another WSGI module to serve with the same binary, config file and workers."""

    def __init__(
        self,
        *,
        gunicorn: Path,
        project: Path,
        env: dict,
        workers: int,
        log: Path,
        host_header: str | None = None,
        app: str = "config.wsgi",
        ready_path: str = "/healthz",
    ):
        super().__init__(env=env, log=log, ready_path=ready_path, host_header=host_header)
        self._gunicorn = gunicorn
        self._project = project
        self._workers = workers
        self._app = app

    def command(self) -> list[str]:
        return [
            str(self._gunicorn),
            "-c",
            str(self._project / "config" / "gunicorn.py"),
            self._app,
            "-b",
            f"{HOST}:{self.port}",
            "-w",
            str(self._workers),
            "--chdir",
            str(self._project),
        ]
