"""The production stack on one machine: PostgreSQL 15, Redis, two gunicorn app servers and
Varnish in front, each a separate process on a loopback port, with throwaway data under one
folder (`.stack/` for `make stack`; the stack tests use a temporary one).

    reader -> Varnish -> app server A, app server B -> Redis, PostgreSQL

`python -m config.stack start|stop|status` (make stack, make stack-stop). Everything it
starts writes a pid file under <root>/run/ and a log under <root>/logs/, so that `stop`
finds and stops whatever was started, even by a start that failed half-way. Secrets (Django's
SECRET_KEY, the purge secret, the admin's password) are generated at each start into <root>.
What each part holds and what happens when it fails: docs/operating.md, "The stack".
"""

import base64
import contextlib
import hashlib
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VCL_TEMPLATE = BASE_DIR / "config" / "varnish" / "default.vcl"
HOST = "127.0.0.1"
PG_BIN = Path(os.environ.get("STACK_PG_BIN", "/usr/lib/postgresql/15/bin"))
VARNISHD = Path("/usr/sbin/varnishd")
# The name the local site answers to: browsers treat http://localhost as a secure context,
# so the admin's Secure cookies work there without TLS.
SITE_HOST = "localhost"
APP_NAMES = ("a", "b")
DEFAULT_PORTS = {"varnish": 6081, "app-a": 8101, "app-b": 8102, "redis": 6390, "postgres": 5440}
ADMIN_USER = "admin"
START_TIMEOUT = 60


class StackError(Exception):
    """A stack that cannot start, with the reason an operator can act on."""


def missing_packages() -> list[str]:
    """The Debian packages whose programs the stack needs and cannot find."""
    checks = {
        "postgresql-15": (PG_BIN / "initdb").exists() and (PG_BIN / "pg_ctl").exists(),
        "redis-server": shutil.which("redis-server") is not None,
        "varnish": VARNISHD.exists() and shutil.which("varnishadm") is not None,
        "varnish-modules": any(Path("/usr/lib").glob("*/varnish/vmods/libvmod_xkey.so")),
    }
    return [package for package, found in checks.items() if not found]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def port_in_use(port: int) -> bool:
    with socket.socket() as probe:
        # As the servers do: a port left in TIME_WAIT by the last run is free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((HOST, port))
        except OSError:
            return True
    return False


@dataclass
class Ports:
    varnish: int
    apps: list[int]
    redis: int
    postgres: int

    @classmethod
    def defaults(cls) -> "Ports":
        return cls(
            varnish=DEFAULT_PORTS["varnish"],
            apps=[DEFAULT_PORTS[f"app-{name}"] for name in APP_NAMES],
            redis=DEFAULT_PORTS["redis"],
            postgres=DEFAULT_PORTS["postgres"],
        )

    @classmethod
    def free(cls) -> "Ports":
        return cls(
            varnish=free_port(),
            apps=[free_port() for _ in APP_NAMES],
            redis=free_port(),
            postgres=free_port(),
        )


@dataclass
class Stack:
    root: Path
    ports: Ports = field(default_factory=Ports.defaults)
    workers: int = 2  # gunicorn workers per app server

    # -- where things are

    @property
    def site_url(self) -> str:
        return f"http://{SITE_HOST}:{self.ports.varnish}"

    @property
    def site_host(self) -> str:
        """The Host header of a request through Varnish."""
        return f"{SITE_HOST}:{self.ports.varnish}"

    @property
    def database_url(self) -> str:
        return f"postgres://postgres@{HOST}:{self.ports.postgres}/kcpd"

    @property
    def redis_url(self) -> str:
        return f"redis://{HOST}:{self.ports.redis}/0"

    def app_port(self, name: str) -> int:
        return self.ports.apps[APP_NAMES.index(name)]

    def _path(self, *parts: str) -> Path:
        return self.root.joinpath(*parts)

    def pid_file(self, component: str) -> Path:
        return self._path("run", f"{component}.pid")

    def log(self, component: str) -> Path:
        return self._path("logs", f"{component}.log")

    def secret(self, name: str) -> str:
        return self._path(name).read_text().strip()

    @classmethod
    def load(cls, root: Path) -> "Stack | None":
        """The stack last started under `root`, as its state file describes it."""
        state = root / "stack.json"
        if not state.exists():
            return None
        data = json.loads(state.read_text())
        return cls(root=root, ports=Ports(**data["ports"]), workers=data["workers"])

    def _save(self) -> None:
        state = {"ports": asdict(self.ports), "workers": self.workers}
        self._path("stack.json").write_text(json.dumps(state, indent=2) + "\n")

    # -- the app's environment

    def app_env(self) -> dict[str, str]:
        """What every app server and manage.py command of the stack runs with."""
        unwanted = {"DEBUG", "DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "RELEASE"}
        env = {key: value for key, value in os.environ.items() if key not in unwanted}
        return env | {
            "PRODUCTION": "1",
            "SECRET_KEY": self.secret("secret-key"),
            "ALLOWED_HOSTS": SITE_HOST,
            "SITE_URL": self.site_url,
            # Over plain HTTP to localhost, a browser's Origin is http://; Django compares it
            # with https:// (Varnish says the request came over HTTPS).
            "CSRF_TRUSTED_ORIGINS": self.site_url,
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            "CACHE_PURGE_URLS": f"http://{HOST}:{self.ports.varnish}",
            "CACHE_PURGE_SECRET": self.secret("purge-secret"),
            # Varnish appends the reader's address to X-Forwarded-For.
            "TRUSTED_PROXY_HOPS": "1",
            "STATIC_ROOT": str(self._path("static")),
            "LOG_LEVEL": "WARNING",
        }

    def manage(self, *args: str, timeout: float = 300) -> str:
        """Run a manage.py command against the stack's database; its output."""
        result = subprocess.run(
            [sys.executable, str(BASE_DIR / "manage.py"), *args],
            env=self.app_env(),
            cwd=BASE_DIR,
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )
        with self.log("setup").open("a") as log:
            log.write(f"setup $ manage.py {' '.join(args[:1])}\n{result.stdout}{result.stderr}")
        if result.returncode != 0:
            raise StackError(f"manage.py {args[0]} failed:\n{result.stdout}{result.stderr}")
        return result.stdout

    # -- start

    def start(self, say=print) -> None:
        missing = missing_packages()
        if missing:
            raise StackError(
                f"missing Debian package(s): {', '.join(missing)} "
                f"(apt-get install {' '.join(missing)})"
            )
        busy = [
            port
            for port in (
                self.ports.varnish,
                *self.ports.apps,
                self.ports.redis,
                self.ports.postgres,
            )
            if port_in_use(port)
        ]
        if busy:
            raise StackError(f"port(s) already in use on {HOST}: {busy}")
        self._prepare()
        try:
            self._write_vcl()  # early: a template the stack cannot fill in fails at once
            say(f"==> PostgreSQL 15 on {HOST}:{self.ports.postgres}")
            self.start_postgres(create=True)
            say(f"==> Redis on {HOST}:{self.ports.redis}")
            self.start_redis()
            say("==> migrate, loadplan, loadsynonyms, collectstatic (about a minute)")
            self._load()
            for name in APP_NAMES:
                say(f"==> app server {name.upper()} on {HOST}:{self.app_port(name)}")
                self.start_app(name, wait=False)
            for name in APP_NAMES:
                self.wait_for_app(name)
            say(f"==> Varnish on {HOST}:{self.ports.varnish}")
            self._write_vcl()  # again, with the 503 page's style hash
            self.start_varnish()
        except BaseException:
            self.stop(say=lambda _line: None)
            raise

    def _prepare(self) -> None:
        """A fresh root: data folders emptied, secrets generated."""
        self.root.mkdir(parents=True, exist_ok=True)
        for name in ("postgres", "redis", "static", "varnish", "run", "logs"):
            shutil.rmtree(self._path(name), ignore_errors=True)
            self._path(name).mkdir()
        self._save()
        for name, size in (("secret-key", 60), ("purge-secret", 32), ("admin-password", 18)):
            path = self._path(name)
            path.write_text(secrets.token_urlsafe(size) + "\n")
            path.chmod(0o600)

    def _load(self) -> None:
        self.manage("migrate", "--noinput")
        self.manage("loadplan")
        self.manage("loadsynonyms")
        self.manage("collectstatic", "--noinput")
        create_admin = (
            "from django.contrib.auth.models import User; "
            f"User.objects.create_superuser({ADMIN_USER!r}, 'admin@localhost', "
            f"{self.secret('admin-password')!r})"
        )
        self.manage("shell", "--no-imports", "-c", create_admin)
        # The page Varnish answers when no app server can: the site's own 503 page, with its
        # stylesheet inside it (no app server is there to serve the file).
        render = (
            "import sys; from plan.web.errors import error_page; "
            "sys.stdout.write(error_page(503).content.decode())"
        )
        page = self.manage("shell", "--no-imports", "-c", render)
        self._path("varnish", "503.html").write_text(self._with_inline_style(page))

    def _with_inline_style(self, page: str) -> str:
        """The page with its stylesheet link replaced by the stylesheet (from collectstatic),
        and the hash its Content-Security-Policy allows written beside it."""
        link = re.search(r'<link rel="stylesheet" href="/static/([^"]+)">', page)
        if link is None:
            raise StackError("the 503 page links no stylesheet")
        css = self._path("static", link[1]).read_text()
        digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
        self._path("varnish", "503.style-hash").write_text(f"sha256-{digest}")
        return page.replace(link[0], f"<style>{css}</style>")

    # -- PostgreSQL

    def _as_postgres(self) -> list[str]:
        """PostgreSQL refuses to run as root: as root, its tools run as the postgres user."""
        return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def _pg(self, tool: str, *args: str, check=True) -> subprocess.CompletedProcess:
        # cd / so that the postgres user is not left in a directory it may not read.
        return subprocess.run(
            [*self._as_postgres(), str(PG_BIN / tool), *args],
            cwd="/",
            capture_output=True,
            text=True,
            check=check,
            timeout=120,
            stdin=subprocess.DEVNULL,
        )

    def start_postgres(self, create: bool = False) -> None:
        data = self._path("postgres", "data")
        log = self.log("postgresql")
        if create:
            owner = "postgres" if os.geteuid() == 0 else None
            self._path("postgres").chmod(0o700)
            log.touch()
            if owner:
                shutil.chown(self._path("postgres"), owner)
                shutil.chown(log, owner)
                self._check_reachable_by_postgres()
            self._pg(
                "initdb", "-D", str(data), "-A", "trust", "-U", "postgres",
                "--encoding=UTF8", "--locale=C.UTF-8",
            )  # fmt: skip
            with (data / "postgresql.conf").open("a") as conf:
                conf.write(
                    f"port = {self.ports.postgres}\nlisten_addresses = '{HOST}'\n"
                    f"unix_socket_directories = '{self._path('postgres')}'\n"
                    "log_line_prefix = 'postgresql %m [%p] '\n"
                    # Throwaway data: durability off makes loading faster.
                    "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
                )
        result = self._pg("pg_ctl", "-D", str(data), "-l", str(log), "-w", "start", check=False)
        if result.returncode != 0:
            raise StackError(f"PostgreSQL did not start: {result.stderr}\nsee {log}")
        if create:
            self._pg(
                "createdb", "-h", HOST, "-p", str(self.ports.postgres), "-U", "postgres", "kcpd"
            )

    def stop_postgres(self) -> None:
        data = self._path("postgres", "data")
        if (data / "postmaster.pid").exists():
            self._pg("pg_ctl", "-D", str(data), "-m", "fast", "-w", "-t", "30", "stop", check=False)

    def _check_reachable_by_postgres(self) -> None:
        result = subprocess.run(
            ["runuser", "-u", "postgres", "--", "test", "-w", str(self._path("postgres"))],
            cwd="/",
            check=False,
        )
        if result.returncode != 0:
            raise StackError(
                f"the postgres user cannot reach {self._path('postgres')}: every folder above "
                "it must be readable by others (chmod o+x)"
            )

    # -- Redis

    def start_redis(self) -> None:
        # No persistence: it holds a cache and a change signal, both rebuilt from PostgreSQL.
        subprocess.run(
            [
                "redis-server",
                "--bind", HOST,
                "--port", str(self.ports.redis),
                "--save", "",
                "--appendonly", "no",
                "--dir", str(self._path("redis")),
                "--daemonize", "yes",
                "--pidfile", str(self.pid_file("redis")),
                "--logfile", str(self.log("redis")),
                "--syslog-ident", "redis",
            ],
            check=True,
            timeout=30,
            stdin=subprocess.DEVNULL,
        )  # fmt: skip
        self._wait(lambda: self._redis_ping(), "Redis", self.log("redis"))

    def _redis_ping(self) -> bool:
        try:
            with socket.create_connection((HOST, self.ports.redis), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    # -- the app servers

    def start_app(self, name: str, wait: bool = True) -> None:
        port = self.app_port(name)
        with self.log(f"app-{name}").open("ab") as log:
            subprocess.Popen(
                [
                    sys.executable, "-m", "gunicorn",
                    "-c", str(BASE_DIR / "config" / "gunicorn.py"),
                    "config.wsgi",
                    "--bind", f"{HOST}:{port}",
                    "--workers", str(self.workers),
                    "--name", f"kcpd-app-{name}",
                    "--pid", str(self.pid_file(f"app-{name}")),
                    "--chdir", str(BASE_DIR),
                ],
                env=self.app_env(),
                cwd=BASE_DIR,
                stdout=log,
                stderr=log,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )  # fmt: skip
        if wait:
            self.wait_for_app(name)

    def wait_for_app(self, name: str) -> None:
        port = self.app_port(name)
        self._wait(
            lambda: self._status(port, "/healthz", f"{SITE_HOST}:{port}") == 200,
            f"app server {name.upper()}",
            self.log(f"app-{name}"),
        )

    def kill_app(self, name: str, sig: int = signal.SIGKILL) -> None:
        """Kill app server `name`'s master and workers at once (a machine that dies)."""
        pid = _read_pid(self.pid_file(f"app-{name}"))
        if pid is not None and _alive(pid):
            os.killpg(pid, sig)

    # -- Varnish

    def render_vcl(self) -> str:
        names = [f"app_{name}" for name in APP_NAMES]
        backends = "\n\n".join(
            f"backend {backend} {{\n"
            f'    .host = "{HOST}";\n'
            f'    .port = "{port}";\n'
            "    .probe = healthz;\n"
            "    .connect_timeout = 1s;\n"
            "    .first_byte_timeout = 30s;\n"
            "    .between_bytes_timeout = 10s;\n"
            "}"
            for backend, port in zip(names, self.ports.apps, strict=True)
        )
        fields = {
            "BACKENDS": backends,
            "DIRECTOR_BACKENDS": "\n".join(f"    apps.add_backend({name});" for name in names),
            "PURGERS": '    "127.0.0.1";\n    "::1";',
            "PURGE_SECRET": self.secret("purge-secret"),
            "SITE_HOST": SITE_HOST,
            "HOST_PATTERN": rf"^(?i){SITE_HOST}(:[0-9]+)?$".replace(".", r"\."),
            "ADMIN_PATH": "admin/",
            "SESSION_COOKIE": "sessionid",
            "TAGGED_TTL": "6h",
            "GRACE": "24h",
            "RETRIES": str(len(APP_NAMES)),
            "OUTAGE_PAGE": str(self._path("varnish", "503.html")),
            "OUTAGE_STYLE": self._outage_style_hash(),
        }
        vcl = VCL_TEMPLATE.read_text()
        for name, value in fields.items():
            vcl = vcl.replace(f"@@{name}@@", value)
        if re.search(r"@@[A-Z_]+@@", vcl):
            raise StackError(f"{VCL_TEMPLATE}: a field the stack does not fill in")
        return vcl

    def _outage_style_hash(self) -> str:
        found = self._path("varnish", "503.style-hash")
        return found.read_text().strip() if found.exists() else "sha256-none"

    def _write_vcl(self) -> None:
        vcl = self._path("varnish", "default.vcl")
        vcl.write_text(self.render_vcl())
        # It holds the purge secret: readable by root and Varnish's own user (the compiler runs
        # as that user when varnishd starts as root).
        vcl.chmod(0o640)
        if os.geteuid() == 0:
            shutil.chown(vcl, group="varnish")

    def start_varnish(self) -> None:
        vcl = self._path("varnish", "default.vcl")
        with self.log("varnish").open("ab") as log:
            varnishd = subprocess.Popen(
                [
                    str(VARNISHD),
                    "-F",
                    "-n", str(self._path("varnish", "work")),
                    "-a", f"{HOST}:{self.ports.varnish}",
                    "-T", f"{HOST}:0",
                    "-f", str(vcl),
                    "-s", "malloc,256m",
                    "-P", str(self.pid_file("varnish")),
                    "-i", "varnish",
                ],
                stdout=log,
                stderr=log,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )  # fmt: skip
        self._wait(
            lambda: self._status(self.ports.varnish, "/", self.site_host) == 200,
            "Varnish",
            self.log("varnish"),
            varnishd,
        )
        # Its access log, each line naming the component.
        subprocess.run(
            [
                "varnishncsa",
                "-n", str(self._path("varnish", "work")),
                "-D",
                "-P", str(self.pid_file("varnishncsa")),
                "-w", str(self.log("varnish-access")),
                "-F", 'varnish %h %t "%r" %s %b %{Varnish:hitmiss}x %{Varnish:time_firstbyte}x',
            ],
            check=True,
            timeout=30,
            stdin=subprocess.DEVNULL,
        )  # fmt: skip

    def healthy_backends(self) -> list[str]:
        """The app servers Varnish's probes find healthy now (varnishadm backend.list)."""
        result = subprocess.run(
            ["varnishadm", "-n", str(self._path("varnish", "work")), "backend.list"],
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
            stdin=subprocess.DEVNULL,
        )
        # "boot.app_a   probe   3/3   healthy   <date>"; the director's own line is left out.
        return [
            line.split()[0].split(".")[-1]
            for line in result.stdout.splitlines()[1:]
            if re.match(r"\S+\.app_\w+\s", line) and " healthy " in line
        ]

    # -- stop

    def stop(self, say=print) -> None:
        """Stop whatever runs under this root, in the order requests flow; safe to repeat."""
        for component in ("varnishncsa", "varnish", *(f"app-{n}" for n in APP_NAMES), "redis"):
            pid = _read_pid(self.pid_file(component))
            if pid is not None and _alive(pid):
                say(f"==> stopping {component} (pid {pid})")
                _terminate(pid, group=component.startswith("app-"))
            self.pid_file(component).unlink(missing_ok=True)
        if (self._path("postgres", "data", "postmaster.pid")).exists():
            say("==> stopping PostgreSQL")
            self.stop_postgres()

    def running(self) -> list[str]:
        components = ("varnish", *(f"app-{n}" for n in APP_NAMES), "redis")
        alive = [c for c in components if (pid := _read_pid(self.pid_file(c))) and _alive(pid)]
        if (self._path("postgres", "data", "postmaster.pid")).exists():
            alive.append("postgres")
        return alive

    # -- helpers

    @staticmethod
    def _status(port: int, path: str, host: str) -> int | None:
        connection = http.client.HTTPConnection(HOST, port, timeout=5)
        try:
            connection.request("GET", path, headers={"Host": host})
            response = connection.getresponse()
            response.read()
            return response.status
        except (OSError, http.client.HTTPException):
            return None
        finally:
            connection.close()

    @staticmethod
    def _wait(ready, what: str, log: Path, process: subprocess.Popen | None = None) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline and (process is None or process.poll() is None):
            if ready():
                return
            time.sleep(0.2)
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-20:]) if log.exists() else ""
        raise StackError(f"{what} did not start; {log}:\n{tail}")

    def addresses(self) -> str:
        lines = [
            f"site (through Varnish)  {self.site_url}/",
            f"admin                   {self.site_url}/admin/  user {ADMIN_USER}, "
            f"password in {self._path('admin-password')}",
        ]
        for name in APP_NAMES:
            port = self.app_port(name)
            lines.append(f"app server {name.upper()}            http://{SITE_HOST}:{port}/")
        lines += [
            f"Redis                   {self.redis_url}",
            f"PostgreSQL              {self.database_url}",
            f"logs                    {self._path('logs')}/",
            f"purge secret            {self._path('purge-secret')}",
            "stop                    make stack-stop",
        ]
        return "\n".join(lines)


def _read_pid(path: Path) -> int | None:
    try:
        return int(path.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie (a child of ours not yet reaped) is not running.
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except (OSError, IndexError):
        return True


def _terminate(pid: int, group: bool, timeout: float = 15) -> None:
    """SIGTERM, then SIGKILL if it is still there after `timeout` seconds."""

    def send(sig):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, sig) if group else os.kill(pid, sig)

    send(signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and _alive(pid):
        time.sleep(0.1)
    if _alive(pid):
        send(signal.SIGKILL)
