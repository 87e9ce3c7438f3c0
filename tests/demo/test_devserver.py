"""`make run` as a newcomer meets it: `manage.py devserver` on a fresh SQLite file, with no Redis, runs the web server
and a real Celery worker with beat on the embedded (filesystem) broker. The demo seeds a drop-in reminder that falls
due within a minute; beat's dispatcher must send it with nobody touching anything, and Ctrl-C must stop it all."""

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request

import pytest
from django.conf import settings

from cohort_site.demo import open_call

# Settings the test suite puts in the environment; the demo must run with its own.
TEST_ONLY_VARIABLES = (
    "DJANGO_SETTINGS_MODULE",
    "DATABASE_URL",
    "REDIS_URL",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "EMAIL_URL",
    "CELERY_TASK_ALWAYS_EAGER",
    "SECURE_SSL_REDIRECT",
)
REMINDER_LINE = f"✉ to {open_call.INTEREST_EMAIL}: Starting soon: drop-in Q&A for"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(predicate, *, seconds: float, every: float = 0.5):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(every)
    return predicate()


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.slow  # up to two minutes: it waits for beat's next minute and the reminder due within it
def test_devserver_runs_web_worker_and_beat_and_sends_a_due_reminder(tmp_path):
    port = free_port()
    database = tmp_path / "db.sqlite3"
    environment = {key: value for key, value in os.environ.items() if key not in TEST_ONLY_VARIABLES}
    environment |= {
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{database}",
        "EMBEDDED_BROKER_DIR": str(tmp_path / "broker"),
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    server = subprocess.Popen(
        [sys.executable, "manage.py", "devserver", f"127.0.0.1:{port}"],
        cwd=settings.BASE_DIR,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group, as a terminal gives it: Ctrl-C reaches all of it
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(server.stdout), daemon=True)
    reader.start()
    try:
        # The web server answers.
        def home_page_status():
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                    return response.status
            except OSError:
                return None

        assert wait_for(home_page_status, seconds=90) == 200

        # Within two minutes of start, beat's dispatcher finds the reminder due and the worker sends it.
        assert wait_for(lambda: any(REMINDER_LINE in line for line in lines), seconds=130), "".join(
            lines[-60:]
        )
        with sqlite3.connect(database) as connection:
            sent = connection.execute(
                "SELECT \"to\", status FROM mail_outgoingemail WHERE kind = 'drop-in-reminder'"
            ).fetchall()
        assert sent == [(open_call.INTEREST_EMAIL, "sent")]

        # A newcomer sees the product, not its plumbing: a short start, one line per email, no warnings.
        before_server = lines[
            : next(i for i, line in enumerate(lines) if "Starting development server" in line)
        ]
        assert len(before_server) < 30, "".join(before_server)
        warnings = [line for line in lines if "warning" in line.lower() and "development server" not in line]
        assert warnings == []
        assert any(line.startswith(f"  Manager: sign in as {open_call.MANAGER_EMAIL}") for line in lines)

        # Ctrl-C in the terminal: every process of the group stops.
        os.killpg(server.pid, signal.SIGINT)
        assert server.wait(timeout=30) == 0
        assert wait_for(lambda: not group_alive(server.pid), seconds=20)
    finally:
        if group_alive(server.pid):
            os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)
        reader.join(timeout=5)
