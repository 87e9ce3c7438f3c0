"""Each page's share of the ceiling: rates interleaved in one run, with latencies, queries and bytes (issue 24).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379/3 \\
        .venv/bin/python bench/ceiling.py [--seconds 5] [--rounds 3] [--workers 2] [--applications 1000]

One command, which stops by itself:
1. a fresh PostgreSQL database (--database, default cohort_ceiling; refused if it exists), migrated and seeded
   by bench/world.py with --applications applications (the admin list is measured at that size), static files
   collected, and gunicorn with production settings (bench/harness.py) on a free loopback port; beside it a
   second gunicorn, the same number of sync workers, serving the ceiling: one trivial Django view with no
   middleware (bench/ceiling_app.py);
2. counts the queries of each page's second request inside the site (bench/page_facts.py);
3. measures the bytes a browser is sent for each public page (compressed as a browser asks: br, gzip): on a
   first visit, the HTML and every stylesheet, script, icon and image it links to; on a repeat, the HTML alone
   when every static file it links to is marked immutable (hashed, cached for a year), else those too;
4. for each of --rounds rounds, and in each round for each page in turn (ceiling, /healthz, programme page,
   application form, member dashboard, admin application list), drives it for --seconds at 1 and then 10
   concurrent clients, each sending its next request when the last is answered: interleaved, so drift on a
   shared machine falls on every page alike;
5. prints each round's rates and shares of the ceiling at the same concurrency, then per page the median share
   and rate over the rounds, p50/p95 over every request of the page, queries per request and bytes; and the
   load average before and after (`uptime`), since a busy machine moves every figure;
6. stops both servers, drops the database and empties the Redis database (give it one of its own).

The clients are Python threads opening a connection per request (gunicorn's sync workers close each one): at
10 clients against the ceiling they take a share of the CPU themselves; the figures are for comparing pages.
"""

import argparse
import http.client
import itertools
import json
import math
import os
import re
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness

CONCURRENCY = (1, 10)
ASSET = re.compile(r'<(?:link|script|img)\b[^>]*?(?:href|src)="(/static/[^"]+)"')


@dataclass
class Page:
    name: str
    path: str
    who: str | None = None  # "member", "staff" or None (a visitor)
    ceiling: bool = False  # served by the no-middleware app


@dataclass
class Run:
    page: str
    concurrency: int
    round: int
    requests: int
    errors: int
    seconds: float
    times_ms: list[float] = field(repr=False)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds


def pages_for(world: dict) -> list[Page]:
    return [
        Page("ceiling (no middleware)", "/", ceiling=True),
        Page("/healthz", "/healthz"),
        Page("programme page", world["programme_page"]),
        Page("application form GET", world["apply_page"]),
        # Kept: a member coming back to it (cohort_site/dashboards/member_page.py). Rendered: every request at an
        # address of its own, so none is kept (as a first visit, or the first after any change to what it shows).
        Page("member dashboard /me/, kept", "/me/", who="member"),
        Page("member dashboard /me/, rendered", "/me/?afresh={n}", who="member"),
        Page("admin application list", "/admin/applications/application/", who="staff"),
    ]


ADDRESSES = itertools.count()


def fetch(
    port: int, path: str, cookie: str | None, *, compressed: bool = True
) -> tuple[int, bytes, int, dict]:
    """(status, body as sent, header bytes, headers) of one GET, on a connection of its own; "{n}" in `path` is a
    number not used before."""
    path = path.replace("{n}", str(next(ADDRESSES)))
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Accept-Encoding": "br, gzip"} if compressed else {}
    if cookie:
        headers["Cookie"] = f"sessionid={cookie}"
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        body = response.read()
        header_bytes = sum(len(k) + len(v) + 4 for k, v in response.getheaders()) + 17
        return response.status, body, header_bytes, {k.lower(): v for k, v in response.getheaders()}
    finally:
        connection.close()


def drive(
    port: int, path: str, cookie: str | None, *, clients: int, seconds: float
) -> tuple[int, int, list[float]]:
    """`clients` threads requesting `path` back to back for `seconds`: (requests, errors, each request's ms)."""
    deadline = time.monotonic() + seconds
    lock = threading.Lock()
    times: list[float] = []
    errors = [0]

    def client() -> None:
        mine, failed = [], 0
        while time.monotonic() < deadline:
            began = time.perf_counter()
            try:
                status, *_ = fetch(port, path, cookie)
            except (OSError, http.client.HTTPException):
                status = None
            mine.append((time.perf_counter() - began) * 1000)
            failed += status != 200
        with lock:
            times.extend(mine)
            errors[0] += failed

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(times), errors[0], times


def page_bytes(port: int, path: str, cookie: str | None) -> tuple[int, int]:
    """(first visit, repeat visit) bytes a browser is sent for the page, compressed, headers included."""
    status, html, head, _ = fetch(port, path, cookie)
    if status != 200:
        raise RuntimeError(f"{path} answered {status}")
    first = repeat = len(html) + head
    text = fetch(port, path, cookie, compressed=False)[1].decode()
    for asset in dict.fromkeys(ASSET.findall(text)):
        status, body, asset_head, headers = fetch(port, asset, None)
        if status != 200:
            raise RuntimeError(f"{asset} (linked from {path}) answered {status}")
        first += len(body) + asset_head
        if "immutable" not in headers.get("cache-control", ""):
            repeat += len(body) + asset_head  # not cached for good: asked again (at best a 304)
    return first, repeat


def percentile(values: list[float], p: float) -> float:
    """Nearest rank: the smallest value with at least p % of the values at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)] if ordered else 0.0


def load_average() -> str:
    """The 1, 5 and 15 minute load averages, as `uptime` shows them."""
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def report(runs: list[Run], pages: list[Page], queries: dict, sizes: dict, rounds: int) -> str:
    lines = []
    ceiling = pages[0].name
    by = {(r.page, r.concurrency, r.round): r for r in runs}
    lines.append("Per round: requests a second (share of the ceiling at the same concurrency)")
    lines.append("")
    header = "| page | c | " + " | ".join(f"round {n + 1}" for n in range(rounds)) + " |"
    lines += [header, "| --- | ---: | " + " | ".join("---:" for _ in range(rounds)) + " |"]
    for page in pages:
        for c in CONCURRENCY:
            cells = []
            for n in range(rounds):
                run, top = by[(page.name, c, n)], by[(ceiling, c, n)]
                cells.append(f"{run.rps:.0f} ({run.rps / top.rps:.2f})")
            lines.append(f"| {page.name} | {c} | " + " | ".join(cells) + " |")
    lines += ["", "Summary: medians over the rounds; latencies over every request", ""]
    lines.append(
        "| page | c | share of ceiling | rps | p50 ms | p95 ms | errors | queries | first visit KB | repeat KB |"
    )
    lines.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for page in pages:
        for c in CONCURRENCY:
            mine = [by[(page.name, c, n)] for n in range(rounds)]
            shares = [r.rps / by[(ceiling, c, r.round)].rps for r in mine]
            times = [t for r in mine for t in r.times_ms]
            first, repeat = sizes.get(page.name, (None, None))
            lines.append(
                f"| {page.name} | {c} | {statistics.median(shares):.2f} | {statistics.median(r.rps for r in mine):.0f} "
                f"| {percentile(times, 50):.1f} | {percentile(times, 95):.1f} | {sum(r.errors for r in mine)} "
                f"| {queries.get(page.name, '–')} "
                f"| {'–' if first is None else f'{first / 1024:.1f}'} | {'–' if repeat is None else f'{repeat / 1024:.1f}'} |"
            )  # fmt: skip
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="cohort_ceiling", help="the database to create, then drop")
    parser.add_argument("--seconds", type=float, default=5, help="length of each measurement")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of every page at c=1 and c=10")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers, for both servers")
    parser.add_argument("--applications", type=int, default=1000, help="applications seeded (the admin list)")
    options = parser.parse_args()
    if not 0.5 <= options.seconds <= 120 or not 1 <= options.rounds <= 10:
        parser.error("keep it bounded: --seconds 0.5..120, --rounds 1..10")
    database_url, redis_url = harness.service_urls(parser)
    load_before = load_average()

    with harness.prepared_server(
        database_url=database_url,
        redis_url=redis_url,
        database=options.database,
        folder_prefix="cohort-ceiling-",
        applications=options.applications,
        member_sessions=1,
    ) as prepared:
        world, folder = prepared.world, prepared.folder
        pages = pages_for(world)
        measured = {page.name: (page.path, page.who) for page in pages if not page.ceiling}
        facts = json.loads(
            subprocess.run(
                [sys.executable, str(Path(__file__).with_name("page_facts.py")), json.dumps(measured),
                 world["sessions"][0]],
                cwd=harness.ROOT, env=prepared.env, check=True, capture_output=True, text=True,
            ).stdout
        )  # fmt: skip
        cookies = {"member": world["sessions"][0], "staff": facts["staff_session"], None: None}
        ceiling_port = harness.free_port()
        runs: list[Run] = []
        with (
            harness.Gunicorn(
                prepared.env, port=prepared.port, workers=options.workers, log_path=folder / "gunicorn.log"
            ) as site,
            harness.Gunicorn(
                prepared.env,
                port=ceiling_port,
                workers=options.workers,
                log_path=folder / "ceiling.log",
                app="ceiling_app:application",
            ),
        ):
            sizes = {
                name: page_bytes(site.port, path, None)
                for name, path in [
                    ("programme page", world["programme_page"]),
                    ("application form GET", world["apply_page"]),
                ]
            }
            for page in pages:  # once each, so every cache is warm before anything is timed
                fetch(ceiling_port if page.ceiling else site.port, page.path, cookies[page.who])
            for n in range(options.rounds):
                for page in pages:
                    for c in CONCURRENCY:
                        print(f"Round {n + 1}: {page.name}, c={c}…", file=sys.stderr)
                        began = time.monotonic()
                        requests, errors, times = drive(
                            ceiling_port if page.ceiling else site.port,
                            page.path,
                            cookies[page.who],
                            clients=c,
                            seconds=options.seconds,
                        )
                        runs.append(Run(page.name, c, n, requests, errors, time.monotonic() - began, times))
            server_errors = site.log().count("Internal Server Error")

    print(
        f"gunicorn {options.workers} sync workers per server; {options.rounds} rounds of {options.seconds:g} s "
        f"per page and concurrency; {os.cpu_count()} cores; {options.applications} applications; "
        f"load average {load_before} before, {load_average()} after"
    )
    print(report(runs, pages, facts["queries"], sizes, options.rounds))
    failed = sum(r.errors for r in runs)
    print(f"Non-200 answers: {failed}. Server errors logged: {server_errors}.")
    return 0 if failed == 0 and server_errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
