"""`make run`: the site as production runs it, on one machine, in one terminal.

Migrates, seeds the demo, then runs the web server and, beside it, a Celery worker with beat. Without REDIS_URL the
three share a broker kept as files under var/broker/ (EMBEDDED_BROKER_DIR, read by settings), so scheduled jobs
(reminders, offer expiry, the outbox sweep, retention) run exactly as they do in production. Ctrl-C stops all of it.
"""

import os
import signal
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
        call_command("migrate", interactive=False, verbosity=options["verbosity"])
        if not no_demo:
            call_command("seed_demo")
        environment = {**os.environ, "PYTHONUNBUFFERED": "1"}
        manage = str(Path(settings.BASE_DIR, "manage.py"))
        worker = [
            *(sys.executable, "-m", "celery", "-A", "cohort_site", "worker", "--beat"),
            *("--schedule", str(state_dir / "celerybeat-schedule"), "--pool", "solo", "--loglevel", "INFO"),
            # One worker on one machine: nobody to gossip with or synchronise with at start.
            *("--without-gossip", "--without-mingle"),
        ]
        web = [sys.executable, manage, "runserver", addrport]
        self.stdout.write(f"Starting the web server on http://{addrport}/ and a Celery worker with beat.")
        self.stdout.write("Emails are printed here as they are sent. Press Ctrl-C to stop.")
        processes = [subprocess.Popen(command, env=environment) for command in (worker, web)]
        try:
            while all(process.poll() is None for process in processes):
                time.sleep(0.5)
        except KeyboardInterrupt:
            return
        finally:
            stop(processes)
        raise CommandError("The web server or the worker stopped (see above), so the other was stopped too.")


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
