"""Ten thousand reminders due at once: how long the dispatcher takes to queue them, and two workers to send them.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379/5 \\
        .venv/bin/python bench/reminders.py [--reminders 10000] [--workers 2] [--database cohort_reminders]

Creates a fresh database (--database; it refuses one that exists), migrates it and seeds one published programme
with a drop-in starting in half an hour and --reminders people who registered interest the day before, so the
drop-in reminder is due for each. Empties the Redis database, starts an SMTP sink on loopback (it accepts every
message and counts their Message-IDs) and a Celery worker with --workers processes (prefork), both with the
production settings (bench/harness.py). Then, in a process of its own, it runs the dispatcher once, as beat
would, and reports:

- queue time: the dispatcher's run, from its start until every row is stored and every send task published;
- delivery time: from the dispatcher's start until the last message was sent (its `sent_at`), with every
  message sent exactly once (one Message-ID each at the sink, every row `sent`);
- periodic task wait: a periodic task (the heartbeat) published just after the dispatcher finished, while the
  backlog drains, and how long it waited to run (its own queue keeps it from waiting behind the emails).

Drops the database and empties the Redis database at the end; exits 1 if a check failed. The test suite runs
the same measurement at a small scale on its own database (tests/bench/test_reminders.py).
"""

import argparse
import contextlib
import json
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness

WORKER_READY_TIMEOUT = 60
PERIODIC_NAME = "bench-periodic"


class Sink:
    """An SMTP server that accepts every message and counts them by Message-ID."""

    def __init__(self):
        self.message_ids: Counter[str] = Counter()
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        header = next(
            (line for line in envelope.content.split(b"\r\n") if line.lower().startswith(b"message-id:")), b""
        )
        with self.lock:
            self.message_ids[header.split(b":", 1)[-1].strip().decode()] += 1
        return "250 OK"

    @contextlib.contextmanager
    def running(self, port: int):
        from aiosmtpd.controller import Controller

        controller = Controller(self, hostname="127.0.0.1", port=port)
        controller.start()
        try:
            yield self
        finally:
            controller.stop()


@contextlib.contextmanager
def celery_worker(env: dict[str, str], *, processes: int, log_path: Path):
    """A Celery worker of `processes` prefork processes, consuming its default queues (emails and periodic)."""
    with log_path.open("w") as log:
        worker = subprocess.Popen(
            [harness.PYTHON, "-m", "celery", "-A", "cohort_site", "worker", "--pool", "prefork",
             "--concurrency", str(processes), "--loglevel", "INFO", "--without-gossip", "--without-mingle",
             "--without-heartbeat", "--hostname", f"bench-reminders-{os.getpid()}@%h"],
            cwd=harness.ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + WORKER_READY_TIMEOUT
            while " ready." not in log_path.read_text():
                if worker.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the worker did not start; see {log_path}:\n{log_path.read_text()}")
                time.sleep(0.2)
            yield worker
        finally:
            worker.terminate()  # warm shutdown: it finishes the tasks it holds
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()


def in_django(env: dict[str, str], step: str, *args: str) -> dict:
    """Run one step of this script in a process of its own, with `env` (the production settings)."""
    done = subprocess.run(
        [harness.PYTHON, str(Path(__file__).resolve()), step, *args],
        cwd=harness.ROOT, env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


@dataclass
class Result:
    reminders: int
    workers: int
    queue_seconds: float
    delivery_seconds: float
    periodic_wait_seconds: float
    statuses: dict[str, int]
    sink_messages: int
    sink_distinct: int

    def problems(self) -> list[str]:
        found = []
        if self.statuses != {"sent": self.reminders}:
            found.append(f"statuses {self.statuses}, not {self.reminders} sent")
        if (self.sink_messages, self.sink_distinct) != (self.reminders, self.reminders):
            found.append(f"the sink took {self.sink_messages} messages, {self.sink_distinct} distinct")
        return found


def measure(*, env: dict[str, str], database_url: str, reminders: int, workers: int, folder: Path,
            timeout: float = 1800) -> Result:  # fmt: skip
    """Dispatch the due reminders once and wait for them to be sent, against the database `database_url`
    (seeded, with `env` pointing at it) and `env`'s Redis."""
    sink_port = harness.free_port()
    env = {**env, "EMAIL_URL": f"smtp://127.0.0.1:{sink_port}", "CONN_MAX_AGE": "0"}
    with (
        Sink().running(sink_port) as sink,
        celery_worker(env, processes=workers, log_path=folder / "worker.log"),
    ):
        dispatched = in_django(env, "dispatch")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            waiting = harness.query(
                database_url, "SELECT count(*) FROM mail_outgoingemail WHERE status IN ('queued', 'sending')"
            )[0][0]
            if not waiting:
                break
            time.sleep(0.2)
        (last_sent,) = harness.query(
            database_url, "SELECT extract(epoch FROM max(sent_at)) FROM mail_outgoingemail"
        )[0]
        periodic = harness.query(
            database_url,
            "SELECT extract(epoch FROM beat_at) FROM core_heartbeat WHERE name = %s",
            (PERIODIC_NAME,),
        )
        statuses = dict(
            harness.query(database_url, "SELECT status, count(*) FROM mail_outgoingemail GROUP BY status")
        )
        with sink.lock:
            messages, distinct = sum(sink.message_ids.values()), len(sink.message_ids)
    return Result(
        reminders=reminders,
        workers=workers,
        queue_seconds=dispatched["seconds"],
        delivery_seconds=float(last_sent or dispatched["started"]) - dispatched["started"],
        periodic_wait_seconds=float(periodic[0][0]) - dispatched["periodic_published"]
        if periodic
        else float("nan"),
        statuses=statuses,
        sink_messages=messages,
        sink_distinct=distinct,
    )


# --- Steps run in a process of their own, with Django ------------------------------------------------------------


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cohort_site.settings")
    sys.path.insert(0, str(harness.ROOT))
    import django

    django.setup()


def seed(reminders: int) -> dict:
    """One programme with a drop-in in half an hour and `reminders` people interested since yesterday."""
    _django()
    from datetime import timedelta

    from django.utils import timezone

    from applications.models import DropIn, ExpressionOfInterest
    from tests.factories import ProgrammeFactory

    now = timezone.now()
    programme = ProgrammeFactory(is_published=True, title="The whole network")
    DropIn.objects.create(
        programme=programme,
        starts_at=now + timedelta(minutes=30),
        ends_at=now + timedelta(minutes=90),
        join_url="https://meet.example.org/drop-in",
        host_name="Zoë Cumberland",
    )
    yesterday = now - timedelta(days=1)
    ExpressionOfInterest.objects.bulk_create(
        (
            ExpressionOfInterest(
                programme=programme,
                name=f"Person {n}",
                email=f"person{n}@example.org",
                organisation=f"Organisation {n % 800}",
                role="Volunteer coordinator",
                consented_at=yesterday,
                created_at=yesterday,
            )
            for n in range(reminders)
        ),
        batch_size=2000,
    )
    return {"interests": reminders}


def dispatch() -> dict:
    """Run the dispatcher once, as beat does, then publish a periodic task while the backlog drains."""
    _django()
    from cohort_site.core.tasks import heartbeat
    from cohort_site.mail.dispatch import reminders_dispatch

    started = time.time()
    failed = reminders_dispatch()
    seconds = time.time() - started
    if failed:
        raise SystemExit(f"reminder kinds failed: {failed}")
    periodic_published = time.time()
    heartbeat.delay(PERIODIC_NAME)
    return {"started": started, "seconds": seconds, "periodic_published": periodic_published}


# --- The benchmark -----------------------------------------------------------------------------------------------


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] in ("seed", "dispatch"):
        step = sys.argv[1]
        print(json.dumps(seed(int(sys.argv[2])) if step == "seed" else dispatch()))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reminders", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2, help="worker processes (prefork concurrency)")
    parser.add_argument("--database", default="cohort_reminders")
    args = parser.parse_args()
    database_url, redis_url = harness.service_urls(parser)

    with (
        harness.temporary_folder("bench-reminders-") as folder,
        harness.fresh_database(database_url, args.database) as bench_url,
    ):
        env = harness.server_env(
            database_url=bench_url,
            redis_url=redis_url,
            static_root=folder / "static",
            port=harness.free_port(),
        )
        harness.flush_redis(redis_url)
        try:
            print(f"Seeding {args.database} with {args.reminders} due reminders…", file=sys.stderr)
            harness.manage(env, "migrate", "--noinput", "--verbosity", "0")
            in_django(env, "seed", str(args.reminders))
            load = os.getloadavg()[0]
            result = measure(
                env=env, database_url=bench_url, reminders=args.reminders, workers=args.workers, folder=folder
            )
        finally:
            harness.flush_redis(redis_url)
    print(
        f"{result.reminders} drop-in reminders due at once, {result.workers} worker processes, SMTP sink on loopback"
    )
    print(f"(load average {load:.1f} on {os.cpu_count()} CPUs when it started)")
    print(f"queue time:    {result.queue_seconds:6.1f} s  (dispatcher: rows stored, send tasks published)")
    print(
        f"delivery time: {result.delivery_seconds:6.1f} s  (from the dispatcher's start to the last one sent)"
    )
    print(
        f"periodic task: {result.periodic_wait_seconds:6.1f} s  waited, published while the backlog drained"
    )
    problems = result.problems()
    for problem in problems:
        print(f"FAILED: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
