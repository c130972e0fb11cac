"""A small load: threads sending GETs over keep-alive connections until stopped, every answer
(or the error in its place) kept with the time it came."""

import http.client
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

HOST = "127.0.0.1"


@dataclass
class Answer:
    at: float  # time.monotonic() when it came
    path: str
    status: int | str  # the HTTP status, or the name of the exception that took its place


@dataclass
class Load:
    """`with Load(port, host, next_path):` sends `next_path()` from `threads` threads, each
    pausing `pause` seconds between requests (so that the load, not the client, is measured)."""

    port: int
    host: str
    next_path: Callable[[], str]
    threads: int = 3
    pause: float = 0.005
    answers: list[Answer] = field(default_factory=list)

    def __post_init__(self):
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads = [
            threading.Thread(target=self._run, daemon=True) for _ in range(self.threads)
        ]

    def __enter__(self):
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc_info):
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=30)

    def _run(self) -> None:
        connection = None
        while not self._stop.is_set():
            path = self.next_path()
            try:
                if connection is None:
                    connection = http.client.HTTPConnection(HOST, self.port, timeout=10)
                connection.request("GET", path, headers={"Host": self.host})
                response = connection.getresponse()
                response.read()
                status = response.status
                if response.will_close:
                    connection.close()
                    connection = None
            except (OSError, http.client.HTTPException) as error:
                status = type(error).__name__
                if connection is not None:
                    connection.close()
                connection = None
            with self._lock:
                self.answers.append(Answer(time.monotonic(), path, status))
            time.sleep(self.pause)
        if connection is not None:
            connection.close()

    def statuses(self, since: float = 0.0, paths=None) -> dict:
        """How many answers of each status, from `since` on, for `paths` (all if None)."""
        counts: dict = {}
        with self._lock:
            for answer in self.answers:
                if answer.at >= since and (paths is None or answer.path in paths):
                    counts[answer.status] = counts.get(answer.status, 0) + 1
        return counts
