"""`make run`: the site as production runs it, on one machine, in one terminal.

Migrates, seeds the demo, then runs the web server and, beside it, a Celery worker with beat. Without REDIS_URL the
three share a broker kept as files under var/broker/ (EMBEDDED_BROKER_DIR, read by settings), so scheduled jobs
(reminders, offer expiry, the outbox sweep, retention) run exactly as they do in production. Ctrl-C stops all of it.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

STOP_GRACE_SECONDS = 15


class Command(BaseCommand):
    help = "Run the web server with a Celery worker and beat beside it (make run). Ctrl-C stops all three."

    def add_arguments(self, parser):
        parser.add_argument(
            "addrport", nargs="?", default="127.0.0.1:8000", help="Where the web server listens."
        )
        parser.add_argument("--no-demo", action="store_true", help="Migrate only; do not seed the demo.")

    def handle(self, *args, addrport: str, no_demo: bool, **options):
        if not settings.REDIS_URL and not settings.EMBEDDED_BROKER_DIR:
            # Start again with the embedded broker in the settings, so the demo's own emails go through it too.
            environment = {**os.environ, "EMBEDDED_BROKER_DIR": str(Path(settings.BASE_DIR, "var", "broker"))}
            os.execve(sys.executable, [sys.executable, *sys.argv], environment)  # noqa: S606
        state_dir = Path(settings.BASE_DIR, "var")
        if settings.EMBEDDED_BROKER_DIR:
            state_dir = Path(settings.BASE_DIR, settings.EMBEDDED_BROKER_DIR)
            for folder in ("queue", "control"):
                Path(state_dir, folder).mkdir(parents=True, exist_ok=True)
        state_dir.mkdir(parents=True, exist_ok=True)
        applied = pending_migrations()
        call_command("migrate", interactive=False, verbosity=max(0, options["verbosity"] - 1))
        if applied:
            self.stdout.write(f"Database ready ({applied} migrations applied).")
        if not no_demo:
            call_command("seed_demo", verbosity=options["verbosity"])
        environment = {
            **os.environ,
            "PYTHONUNBUFFERED": "1",
            # A demo started as root (a container, CI) would print Celery's warning against root workers at every
            # start; production runs its worker as its own user (the Dockerfile's), where the warning stays.
            "PYTHONWARNINGS": "ignore:You're running the worker with superuser privileges",
        }
        manage = str(Path(settings.BASE_DIR, "manage.py"))
        worker = [
            *(sys.executable, "-m", "celery", "-A", "cohort_site", "--quiet", "worker", "--beat"),
            *("--schedule", str(state_dir / "celerybeat-schedule"), "--pool", "solo"),
            # Quiet: emails print one line each; problems still show (WARNING and above).
            *("--loglevel", "WARNING"),
            # One worker on one machine: nobody to gossip with or synchronise with at start.
            *("--without-gossip", "--without-mingle"),
        ]
        web = [sys.executable, manage, "runserver", addrport]
        self.stdout.write(banner(addrport, demo=not no_demo))
        # The web server first, and the worker once it listens: the emails the demo's set-up queued then print
        # below the server's address rather than pushing it off the screen.
        processes = [subprocess.Popen(web, env=environment)]
        wait_until_listening(addrport, processes[0])
        processes.append(subprocess.Popen(worker, env=environment))
        try:
            while all(process.poll() is None for process in processes):
                time.sleep(0.5)
        except KeyboardInterrupt:
            return
        finally:
            stop(processes)
        raise CommandError("The web server or the worker stopped (see above), so the other was stopped too.")


def wait_until_listening(addrport: str, process: subprocess.Popen, seconds: float = 60) -> None:
    """Until something accepts connections at `addrport` (runserver's address), the process ends, or time is up."""
    host, _, port = addrport.rpartition(":")
    if host in ("", "0.0.0.0", "0", "[::]"):  # noqa: S104 - an address to connect to, not one to bind
        host = "127.0.0.1"
    deadline = time.monotonic() + seconds
    while process.poll() is None and time.monotonic() < deadline:
        try:
            with socket.create_connection((host.strip("[]"), int(port)), timeout=1):
                return
        except OSError:
            time.sleep(0.2)


def pending_migrations() -> int:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def banner(addrport: str, *, demo: bool) -> str:
    from cohort_site.demo.open_call import MANAGER_EMAIL
    from cohort_site.demo.pilot import MEMBER_EMAIL

    lines = [
        "",
        f"  {settings.SITE_NAME} is starting on http://{addrport}/ (with a Celery worker and beat beside it)",
    ]
    if demo:
        lines += [
            f"  Manager: sign in as {MANAGER_EMAIL} with the password connect-and-share",
            f"  Member:  sign in as {MEMBER_EMAIL} with the code emailed to them (shown below)",
            "           (or the sign-in page's 'Sign in as the demo manager / member' buttons)",
        ]
    lines += [
        "  Emails:  one line each below; each in full at /staff/outbox/ (signed in as the manager)",
        "  Stop:    Ctrl-C",
        "",
    ]
    return "\n".join(lines)


def stop(processes: list[subprocess.Popen]) -> None:
    """Ask each to stop as Ctrl-C would (the worker finishes its task first), then insist."""
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    for process in processes:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
