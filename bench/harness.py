"""What bench/load.py and bench/spike.py share: a throwaway PostgreSQL database, the site served from it by
gunicorn with production settings on loopback, and the HTTP details of the application form.

Nothing here imports Django: the server runs in its own processes with its own environment, as in production.
"""

import contextlib
import http.client
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

# Environment variables passed through to the server; everything else is set explicitly below, so a caller's
# DEBUG or CELERY_TASK_ALWAYS_EAGER (the test settings set it) cannot leak into the "production" server.
# MEMBER_PAGE_CACHE too, so a run can measure what keeping the data version costs the writes (false: nothing).
PASSED_THROUGH = ("PATH", "HOME", "LANG", "LC_ALL", "TZ", "VIRTUAL_ENV", "MEMBER_PAGE_CACHE")


def default_workers() -> int:
    """gunicorn's usual advice, 2 × cores + 1 sync workers."""
    return 2 * (os.cpu_count() or 1) + 1


def with_database(url: str, name: str) -> str:
    """The same server and credentials as `url`, another database."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _connect(url: str):
    import psycopg2

    parts = urlsplit(url)
    return psycopg2.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password or None,
        dbname=parts.path.lstrip("/") or "postgres",
    )


def _quote_name(name: str) -> str:
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise ValueError(f"database name {name!r}: use lower-case letters, digits and _")
    return f'"{name}"'


@contextlib.contextmanager
def fresh_database(server_url: str, name: str):
    """Create database `name` and drop it afterwards. Refuses a name that exists: it never drops what it did
    not create. Yields its URL. `server_url` is any database URL on the server (only host and credentials count).
    """
    maintenance = _connect(with_database(server_url, "postgres"))
    maintenance.autocommit = True
    try:
        with maintenance.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
            if cursor.fetchone():
                raise SystemExit(f"database {name} exists already: drop it, or name another one")
            cursor.execute(f"CREATE DATABASE {_quote_name(name)}")
    except BaseException:
        maintenance.close()
        raise
    try:
        yield with_database(server_url, name)
    finally:
        with maintenance.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {_quote_name(name)} WITH (FORCE)")
        maintenance.close()


def query(database_url: str, sql: str, params: tuple = ()) -> list[tuple]:
    connection = _connect(database_url)
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    finally:
        connection.close()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_env(
    *, database_url: str, redis_url: str, static_root: Path, port: int, rate_limit: str = "1000000/h"
) -> dict[str, str]:
    """Production settings (DEBUG off, a random SECRET_KEY, manifest static files served by whitenoise, Redis as
    cache and Celery broker) for plain HTTP on loopback. The per-address limit on the public forms is raised,
    because every simulated applicant comes from 127.0.0.1; everything else is as deployed."""
    site = f"http://127.0.0.1:{port}"
    env = {key: os.environ[key] for key in PASSED_THROUGH if key in os.environ}
    env.update(
        DJANGO_SETTINGS_MODULE="cohort_site.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        SITE_URL=site,
        CSRF_TRUSTED_ORIGINS=site,
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        # Plain HTTP on loopback: no redirect to https, no HSTS. Cookies stay Secure; the clients send them back
        # themselves, as browsers do for http://127.0.0.1.
        SECURE_SSL_REDIRECT="false",
        SECURE_HSTS_SECONDS="0",
        STATIC_ROOT=str(static_root),
        PUBLIC_FORM_RATE_LIMIT=rate_limit,
        EMAIL_URL="smtp://127.0.0.1:25",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    return env


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return done.stdout


def collectstatic(env: dict[str, str]) -> None:
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")


class Gunicorn:
    """gunicorn serving the site on a free loopback port; a context manager that stops it on the way out."""

    def __init__(
        self, env: dict[str, str], *, port: int, workers: int, log_path: Path, app: str = "cohort_site.wsgi"
    ):
        self.app = app  # another WSGI module: bench/ceiling.py serves its no-middleware view with it
        self.env = env
        self.port = port
        self.workers = workers
        self.log_path = log_path
        self.url = f"http://127.0.0.1:{port}"
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "Gunicorn":
        self._log = self.log_path.open("w")
        self.process = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "gunicorn",
                self.app,
                *([] if self.app == "cohort_site.wsgi" else ["--pythonpath", str(Path(__file__).parent)]),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--worker-class",
                "sync",
                "--timeout",
                "60",
                "--graceful-timeout",
                "5",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        try:
            self._wait_ready()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _wait_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited at start-up; see {self.log_path}:\n{self.log()}")
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
            try:
                connection.request("GET", "/healthz" if self.app == "cohort_site.wsgi" else "/")
                if connection.getresponse().status == 200:
                    return
            except (OSError, http.client.HTTPException):
                pass
            finally:
                connection.close()
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer /healthz within {timeout:.0f} s; see {self.log_path}")

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in children.read_text().split()]
        except OSError:
            return []

    def cpu_seconds(self) -> float:
        """CPU time used so far by the master and its live workers (user + system)."""
        total = 0.0
        for pid in [self.process.pid, *self.worker_pids()]:
            total += process_cpu_seconds(pid)
        return total

    def log(self) -> str:
        return self.log_path.read_text() if self.log_path.exists() else ""

    def __exit__(self, *exc) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()


def process_cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


def machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, from /proc/stat: every process, ours or not."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    ticks = os.sysconf("SC_CLK_TCK")
    idle = values[3] + values[4]
    return (sum(values) - idle) / ticks, sum(values) / ticks


def flush_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


@contextlib.contextmanager
def temporary_folder(prefix: str):
    with tempfile.TemporaryDirectory(prefix=prefix) as folder:
        yield Path(folder)


def service_urls(parser) -> tuple[str, str]:
    """DATABASE_URL and REDIS_URL from the environment, or the script's usage error."""
    database_url = os.environ.get("DATABASE_URL", "")
    redis_url = os.environ.get("REDIS_URL", "")
    if not database_url.startswith("postgres") or not redis_url.startswith("redis"):
        parser.error("set DATABASE_URL (any database on the PostgreSQL server to use) and REDIS_URL")
    return database_url, redis_url


@dataclass(frozen=True)
class Prepared:
    folder: Path
    database_url: str
    env: dict[str, str]
    port: int
    world: dict


@contextlib.contextmanager
def prepared_server(
    *,
    database_url: str,
    redis_url: str,
    database: str,
    folder_prefix: str,
    applications: int,
    member_sessions: int,
):
    """A fresh database, migrated and seeded with bench/world.py, static files collected, and the environment
    gunicorn runs in. The database is dropped afterwards; the Redis database is emptied before and after."""
    with temporary_folder(folder_prefix) as folder, fresh_database(database_url, database) as bench_url:
        port = free_port()
        env = server_env(
            database_url=bench_url, redis_url=redis_url, static_root=folder / "static", port=port
        )
        flush_redis(redis_url)
        try:
            print(f"Seeding {database}…", file=sys.stderr)
            manage(env, "migrate", "--noinput", "--verbosity", "0")
            collectstatic(env)
            world = json.loads(
                subprocess.run(
                    [sys.executable, str(Path(__file__).with_name("world.py")), "--applications",
                     str(applications), "--member-sessions", str(member_sessions)],
                    cwd=ROOT, env=env, check=True, capture_output=True, text=True,
                ).stdout
            )  # fmt: skip
            yield Prepared(folder=folder, database_url=bench_url, env=env, port=port, world=world)
        finally:
            flush_redis(redis_url)


# --- The application form -------------------------------------------------------------------------------

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TOKEN_INPUT = re.compile(r'name="submission_token" value="([^"]*)"')
TIME_INPUT = re.compile(r'name="(time_\d+)"')


def cookie_from(set_cookie_headers: list[str], name: str) -> str | None:
    for header in set_cookie_headers:
        first = header.split(";", 1)[0]
        key, _, value = first.partition("=")
        if key.strip() == name:
            return value.strip()
    return None


def form_fields(html: str) -> tuple[str, str, list[str]]:
    """(csrfmiddlewaretoken, submission_token, availability field names) read from the rendered form."""
    csrf = CSRF_INPUT.search(html)
    token = TOKEN_INPUT.search(html)
    if csrf is None or token is None:
        raise ValueError("the page has no application form (no CSRF or submission token input)")
    times = list(dict.fromkeys(TIME_INPUT.findall(html)))
    return csrf.group(1), token.group(1), times


def application_answers(
    *, email: str, csrf: str, submission_token: str, time_fields: list[str], n: int
) -> dict[str, str]:
    """A complete, valid application: every question answered, "yes" to every time, the boxes ticked."""
    answers = {
        "csrfmiddlewaretoken": csrf,
        "submission_token": submission_token or str(uuid.uuid4()),
        "website": "",
        "name": f"Applicant {n}",
        "email": email,
        "organisation": f"Befriending Network {n % 40}",
        "role": "Community connector",
        "role_type": "front_line",
        "pandemic_work": "We moved our befriending to the telephone and recruited new volunteers. " * 6,
        "learning_gained": "Small groups and regular contact matter more than any one activity. " * 4,
        "motivation": "To learn from peers who are trying the same things in other places. " * 4,
        "hopes": "A few ideas to try with our volunteers, and people to call when stuck. " * 3,
        "challenge": "How do we keep people connected once funding for a project ends?",
        "organisation_support": "on",
        "team_open_to_ideas": "on",
        "commits_to_openness": "on",
        "commits_to_sharing": "on",
        "accessibility_needs": "",
        "consent": "on",
    }
    answers.update(dict.fromkeys(time_fields, "yes"))
    return answers
