"""Load test: requests per second and latency of the main pages, under gunicorn on PostgreSQL and Redis.

    pip install -e ".[bench]"      # locust, once
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379/3 \\
        .venv/bin/python bench/load.py [--seconds 20] [--users 10] [--workers 5] [--member-page /me/]

One command, which stops by itself:
1. creates a fresh PostgreSQL database (--database, default cohort_bench; it refuses one that exists) on the
   server DATABASE_URL names, migrates it and seeds a world (bench/world.py);
2. collects static files into a temporary folder and starts gunicorn on a free loopback port with production
   settings (DEBUG off, manifest static files through whitenoise, Redis as cache and Celery broker; see
   bench/harness.py). The per-address limit on the public forms is raised, because every simulated applicant
   comes from 127.0.0.1;
3. runs locust headless in separate phases of --seconds each, one page per phase, --users clients sending
   requests back to back: the minimal view, the programme page, the application form GET, the application form
   POST (complete applications, each from a new address), the member dashboard signed in, and the minimal view
   again;
4. prints a table (requests, rps, p50/p95/p99, errors, rps as a share of the minimal view's) with the CPU
   seconds gunicorn, locust and the whole machine spent in each phase, and checks that every accepted
   application was stored once;
5. stops gunicorn, drops the database and empties the Redis database (give it one of its own: the Celery
   messages the application emails queue, and the form's counters, are left there).

No Celery worker runs: each submission queues its email (a row and a broker message) as in production; sending
it is a worker's work, not measured here.
"""

import argparse
import json
import math
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness

PHASES = [
    ("MinimalUser", "minimal view"),
    ("ProgrammeUser", "programme page"),
    ("FormUser", "application form GET"),
    ("ApplicantUser", "application form POST"),
    ("MemberUser", "member dashboard"),
    ("MinimalUser", "minimal view"),
]


@dataclass
class PhaseResult:
    name: str
    requests: int
    failures: int
    rps: float
    p50: float
    p95: float
    p99: float
    max: float
    server_cpu: float
    client_cpu: float
    machine_busy: float
    seconds: float


def percentile(times: list[tuple[float, int]], total: int, p: float) -> float:
    """Nearest rank over locust's histogram (milliseconds, rounded to 2 significant figures above 100 ms)."""
    rank, seen = math.ceil(p / 100 * total), 0
    for ms, count in times:
        seen += count
        if seen >= rank:
            return ms
    return math.nan


def run_phase(
    index: int,
    user_class: str,
    name: str,
    *,
    url: str,
    users: int,
    seconds: int,
    env: dict,
    folder: Path,
    server,
) -> PhaseResult:
    prefix = folder / f"phase{index}-{user_class}"
    cpu_before, (busy_before, total_before) = server.cpu_seconds(), harness.machine_busy()
    started = time.monotonic()
    child_before = os.times()
    locust = subprocess.run(
        [
            str(Path(sys.executable).with_name("locust")),
            "-f",
            str(Path(__file__).with_name("locustfile.py")),
            user_class,
            "--headless",
            "--host",
            url,
            "--users",
            str(users),
            "--spawn-rate",
            str(users),
            "--run-time",
            f"{seconds}s",
            "--stop-timeout",
            "5",
            "--only-summary",
            "--json-file",
            str(prefix),
            "--loglevel",
            "WARNING",
            "--exit-code-on-error",
            "0",
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    if locust.returncode != 0:
        raise RuntimeError(f"locust failed in phase {name}:\n{locust.stderr[-3000:]}")
    child_after = os.times()
    elapsed = time.monotonic() - started
    busy_after, total_after = harness.machine_busy()
    # The JSON is written after the last users finished (the CSV files lag up to a second behind).
    entry = next(e for e in json.loads(Path(f"{prefix}.json").read_text()) if e["name"] == name)
    times = sorted((float(ms), count) for ms, count in entry["response_times"].items())
    return PhaseResult(
        name=name,
        requests=entry["num_requests"],
        failures=entry["num_failures"],
        rps=entry["num_requests"] / (entry["last_request_timestamp"] - entry["start_time"]),
        p50=percentile(times, entry["num_requests"], 50),
        p95=percentile(times, entry["num_requests"], 95),
        p99=percentile(times, entry["num_requests"], 99),
        max=entry["max_response_time"],
        server_cpu=server.cpu_seconds() - cpu_before,
        client_cpu=(child_after.children_user + child_after.children_system)
        - (child_before.children_user + child_before.children_system),
        machine_busy=(busy_after - busy_before) / (total_after - total_before),
        seconds=elapsed,
    )


def table(results: list[PhaseResult]) -> str:
    ceilings = [r.rps for r in results if r.name == "minimal view"]
    ceiling = sum(ceilings) / len(ceilings)
    lines = [
        "| page | requests | rps | p50 ms | p95 ms | p99 ms | max ms | errors | rps / minimal "
        "| gunicorn CPU s | gunicorn CPU ms / request | locust CPU s | machine busy |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        lines.append(
            f"| {r.name} | {r.requests} | {r.rps:.1f} | {r.p50:.0f} | {r.p95:.0f} | {r.p99:.0f} | {r.max:.0f} "
            f"| {r.failures} | {r.rps / ceiling:.2f} | {r.server_cpu:.1f} | {r.server_cpu * 1000 / r.requests:.1f} "
            f"| {r.client_cpu:.1f} "
            f"| {r.machine_busy:.0%} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="cohort_bench", help="the database to create, then drop")
    parser.add_argument("--seconds", type=int, default=20, help="length of each phase")
    parser.add_argument("--users", type=int, default=10, help="concurrent clients in each phase")
    parser.add_argument("--workers", type=int, default=harness.default_workers(), help="gunicorn workers")
    parser.add_argument("--applications", type=int, default=300, help="applications seeded beforehand")
    parser.add_argument("--member-page", default="/me/", help="the member dashboard's address")
    parser.add_argument("--keep-json", type=Path, help="copy locust's statistics (JSON) to this folder")
    options = parser.parse_args()
    if not 1 <= options.seconds <= 300 or not 1 <= options.users <= 200:
        parser.error("keep it bounded: --seconds 1..300, --users 1..200")
    database_url, redis_url = harness.service_urls(parser)

    with harness.prepared_server(
        database_url=database_url,
        redis_url=redis_url,
        database=options.database,
        folder_prefix="cohort-load-",
        applications=options.applications,
        member_sessions=options.users,
    ) as prepared:
        folder = prepared.folder
        (folder / "world.json").write_text(json.dumps(prepared.world))
        client_env = {
            **os.environ,
            "BENCH_WORLD": str(folder / "world.json"),
            "BENCH_MEMBER_PAGE": options.member_page,
        }
        results = []
        with harness.Gunicorn(
            prepared.env, port=prepared.port, workers=options.workers, log_path=folder / "gunicorn.log"
        ) as server:
            for index, (user_class, name) in enumerate(PHASES):
                print(f"Phase: {name}, {options.users} users, {options.seconds} s…", file=sys.stderr)
                results.append(
                    run_phase(
                        index, user_class, name, url=server.url, users=options.users, seconds=options.seconds,
                        env=client_env, folder=folder, server=server,
                    )
                )  # fmt: skip
            server_errors = server.log().count("Internal Server Error")
        posted = next(r for r in results if r.name == "application form POST")
        stored = harness.query(
            prepared.database_url,
            "SELECT count(*), count(DISTINCT lower(email)) FROM applications_application "
            "WHERE email LIKE 'load-%%'",
        )[0]
        if options.keep_json:
            options.keep_json.mkdir(parents=True, exist_ok=True)
            for path in folder.glob("phase*.json"):
                (options.keep_json / path.name).write_bytes(path.read_bytes())

    cores = os.cpu_count()
    print(
        f"gunicorn {options.workers} sync workers; locust {options.users} users per phase, "
        f"{options.seconds} s per phase; {cores} cores; member page {options.member_page}"
    )
    print(table(results))
    accepted = posted.requests - posted.failures
    print(
        f"Applications accepted (302 to the thanks page): {accepted}; rows stored: {stored[0]}, "
        f"distinct addresses: {stored[1]}. Server errors logged: {server_errors}."
    )
    ok = stored[0] == stored[1] == accepted and server_errors == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
