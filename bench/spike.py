"""Deadline-morning spike: hundreds of applications in a minute, every one stored exactly once.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379/3 \\
        .venv/bin/python bench/spike.py [--submissions 300] [--seconds 60] [--clients 30] [--workers 5]

Creates a fresh database (--database, default cohort_spike; it refuses one that exists), migrates and seeds it
(bench/world.py), starts gunicorn with production settings on loopback (bench/harness.py; the per-address
limit on the public forms is raised, as every simulated applicant comes from 127.0.0.1), then sends
--submissions applicants at an even pace over --seconds, --clients at a time. Each applicant fetches the form
(its CSRF cookie, token and submission token) and posts a complete application from a new address, and:
every --double-click-every-th clicks twice (a second identical post while the first is in flight), every
--retry-every-th gives up on its first post after a few milliseconds, before the answer, and posts again.

Then it checks in the database: every applicant's address stored exactly once, nothing else stored, every post
answered by the redirect to the thank-you page (no 5xx, no refusal); prints p50/p95/p99/max of the posts and
the form fetches; stops gunicorn, drops the database, empties the Redis database; exits 1 if a check failed.
Standard library only (http.client and threads), so the test suite runs it too (tests/bench/test_spike.py).
"""

import argparse
import http.client
import math
import os
import sys
import threading
import time
import uuid
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness

# A double click: the second post leaves this long after the first, while the first is still being served.
DOUBLE_CLICK_GAP = 0.02
# A client that gives up this early has sent its post but not read the answer; the server still serves it.
IMPATIENT_TIMEOUT = 0.002


@dataclass
class Answer:
    kind: str  # form, post, second click, timed out, retry
    status: int | None  # None: no answer read (the impatient first post)
    seconds: float
    location: str = ""


@dataclass
class Applicant:
    n: int
    email: str
    style: str  # once, double-click, retry
    scheduled: float
    started: float = 0.0
    answers: list[Answer] = field(default_factory=list)
    error: str = ""

    def posts(self) -> list[Answer]:
        return [a for a in self.answers if a.kind != "form" and a.status is not None]


@dataclass
class SpikeResult:
    applicants: list[Applicant]
    began: float  # time.monotonic() when the first applicant was due
    seconds: float  # from then to the last answer

    def latencies(self, *kinds: str) -> list[float]:
        return sorted(a.seconds for p in self.applicants for a in p.answers if a.kind in kinds and a.status)

    def server_errors(self) -> int:
        return sum(1 for p in self.applicants for a in p.answers if a.status and a.status >= 500)


def percentile(values: list[float], p: float) -> float:
    """Nearest rank on sorted values."""
    if not values:
        return math.nan
    return values[max(0, math.ceil(p / 100 * len(values)) - 1)]


class Client:
    """One browser: its own cookies, a new connection per request (gunicorn's sync workers close each one)."""

    def __init__(self, base_url: str):
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, *, body: bytes | None = None, timeout: float = 30):
        headers = {"Host": f"{self.host}:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        started = time.perf_counter()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        seconds = time.perf_counter() - started
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, value = header.split(";", 1)[0].partition("=")
            self.cookies[name.strip()] = value.strip()
        return (
            response.status,
            response.headers.get("Location", ""),
            content.decode(errors="replace"),
            seconds,
        )


def _apply(applicant: Applicant, *, base_url: str, apply_page: str) -> None:
    applicant.started = time.monotonic()
    client = Client(base_url)
    try:
        status, _, html, seconds = client.request("GET", apply_page)
        applicant.answers.append(Answer("form", status, seconds))
        if status != 200:
            applicant.error = f"form answered {status}"
            return
        csrf, submission_token, time_fields = harness.form_fields(html)
        body = urlencode(
            harness.application_answers(
                email=applicant.email,
                csrf=csrf,
                submission_token=submission_token,
                time_fields=time_fields,
                n=applicant.n,
            )
        ).encode()

        def post(kind: str, timeout: float = 30) -> None:
            try:
                status, location, _, seconds = client.request("POST", apply_page, body=body, timeout=timeout)
            except TimeoutError:
                applicant.answers.append(Answer(kind, None, timeout))
                return
            applicant.answers.append(Answer(kind, status, seconds, location))

        if applicant.style == "double-click":
            second = threading.Thread(target=post, args=("second click",))
            first = threading.Thread(target=post, args=("post",))
            first.start()
            time.sleep(DOUBLE_CLICK_GAP)
            second.start()
            first.join()
            second.join()
        elif applicant.style == "retry":
            post("timed out", timeout=IMPATIENT_TIMEOUT)
            if applicant.answers[-1].status is None:
                post("retry")
        else:
            post("post")
    except Exception as error:  # a refused connection, a reset: counted as a failure, never lost silently
        applicant.error = f"{type(error).__name__}: {error}"


def run_spike(
    *,
    base_url: str,
    apply_page: str,
    submissions: int,
    seconds: float,
    clients: int,
    double_click_every: int = 10,
    retry_every: int = 15,
    email_prefix: str = "",
) -> SpikeResult:
    """Start `submissions` applicants at an even pace over `seconds`, at most `clients` at once."""
    prefix = email_prefix or f"spike-{uuid.uuid4().hex[:8]}"
    applicants = []
    for n in range(submissions):
        style = "once"
        if double_click_every and n % double_click_every == double_click_every - 1:
            style = "double-click"
        elif retry_every and n % retry_every == retry_every - 1:
            style = "retry"
        applicants.append(
            Applicant(n, f"{prefix}-{n}@example.org", style, scheduled=n * seconds / submissions)
        )
    began = time.monotonic()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        for applicant in applicants:
            delay = began + applicant.scheduled - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            pool.submit(_apply, applicant, base_url=base_url, apply_page=apply_page)
    return SpikeResult(applicants, began, time.monotonic() - began)


def verify(result: SpikeResult, stored: Mapping[str, int], *, thanks_page: str) -> list[str]:
    """What went wrong, given the number of rows stored per address (lower-cased) for this run's addresses."""
    problems = []
    for applicant in result.applicants:
        if applicant.error:
            problems.append(f"{applicant.email}: {applicant.error}")
        for answer in applicant.posts():
            if answer.status >= 500:
                problems.append(f"{applicant.email}: {answer.kind} answered {answer.status}")
            elif answer.status != 302 or answer.location != thanks_page:
                problems.append(
                    f"{applicant.email}: {answer.kind} answered {answer.status}, not the thank-you page"
                )
        if not applicant.posts() and not applicant.error:
            problems.append(f"{applicant.email}: no post was answered")
        count = stored.get(applicant.email.lower(), 0)
        if count != 1:
            problems.append(f"{applicant.email}: stored {count} times")
    expected = {a.email.lower() for a in result.applicants}
    strays = sorted(set(stored) - expected)
    if strays:
        problems.append(f"stored addresses nobody submitted: {strays[:5]}")
    return problems


def report(result: SpikeResult) -> str:
    posts = result.latencies("post", "second click", "retry")
    forms = result.latencies("form")
    styles = {s: sum(1 for a in result.applicants if a.style == s) for s in ("once", "double-click", "retry")}
    impatient = sum(
        1 for a in result.applicants for x in a.answers if x.kind == "timed out" and x.status is None
    )
    waited = max((a.started - result.began - a.scheduled for a in result.applicants if a.started), default=0)
    lines = [
        f"{len(result.applicants)} applicants ({styles['once']} posting once, {styles['double-click']} "
        f"double-clicking, {styles['retry']} retrying after giving up on their first post ({impatient} did)), "
        f"all answered within {result.seconds:.1f} s; the longest wait for a free client was {waited:.2f} s",
        "| request | count | p50 ms | p95 ms | p99 ms | max ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, values in (("application form GET", forms), ("application form POST", posts)):
        lines.append(
            f"| {name} | {len(values)} | {percentile(values, 50) * 1000:.0f} | {percentile(values, 95) * 1000:.0f} "
            f"| {percentile(values, 99) * 1000:.0f} | {max(values, default=math.nan) * 1000:.0f} |"
        )
    lines.append(f"Server errors (5xx): {result.server_errors()}.")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="cohort_spike", help="the database to create, then drop")
    parser.add_argument("--submissions", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=60, help="the submissions start evenly over this")
    parser.add_argument("--clients", type=int, default=30, help="applicants in flight at most")
    parser.add_argument("--workers", type=int, default=harness.default_workers(), help="gunicorn workers")
    parser.add_argument("--applications", type=int, default=300, help="applications seeded beforehand")
    parser.add_argument("--double-click-every", type=int, default=10)
    parser.add_argument("--retry-every", type=int, default=15)
    options = parser.parse_args()
    if (
        not 1 <= options.submissions <= 5000
        or not 1 <= options.seconds <= 600
        or not 1 <= options.clients <= 200
    ):
        parser.error("keep it bounded: --submissions 1..5000, --seconds 1..600, --clients 1..200")
    database_url, redis_url = harness.service_urls(parser)

    with harness.prepared_server(
        database_url=database_url,
        redis_url=redis_url,
        database=options.database,
        folder_prefix="cohort-spike-",
        applications=options.applications,
        member_sessions=1,
    ) as prepared:
        world = prepared.world
        with harness.Gunicorn(
            prepared.env,
            port=prepared.port,
            workers=options.workers,
            log_path=prepared.folder / "gunicorn.log",
        ) as server:
            print(
                f"Spike: {options.submissions} applicants over {options.seconds:.0f} s, "
                f"{options.clients} at once…",
                file=sys.stderr,
            )
            result = run_spike(
                base_url=server.url,
                apply_page=world["apply_page"],
                submissions=options.submissions,
                seconds=options.seconds,
                clients=options.clients,
                double_click_every=options.double_click_every,
                retry_every=options.retry_every,
                email_prefix="spike",
            )
            server_log_errors = server.log().count("Internal Server Error")
        stored = dict(
            harness.query(
                prepared.database_url,
                "SELECT lower(email), count(*) FROM applications_application "
                "WHERE email LIKE 'spike-%%' GROUP BY 1",
            )
        )

    problems = verify(result, stored, thanks_page=world["thanks_page"])
    if server_log_errors:
        problems.append(f"the server logged {server_log_errors} internal errors")
    print(f"gunicorn {options.workers} sync workers; {os.cpu_count()} cores")
    print(report(result))
    print(
        f"Stored: {sum(stored.values())} rows for {len(stored)} addresses; {options.submissions} applicants."
    )
    if problems:
        print(f"FAILED ({len(problems)}):", *problems[:20], sep="\n  ")
        return 1
    print("Every applicant stored exactly once; no server error.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
