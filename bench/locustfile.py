"""The simulated clients for bench/load.py, one locust User class per page; load.py runs one class per phase.

It reads the world bench/world.py seeded from the file named by BENCH_WORLD (JSON). Every user sends requests
back to back (no think time): each phase measures the most the server gives for that page.

Cookies are sent by hand: with DEBUG off the site's cookies are Secure, and an HTTP client keeps those for
https only, where a browser also sends them to http://127.0.0.1.
"""

import itertools
import json
import os
import uuid
from pathlib import Path

from harness import application_answers, cookie_from, form_fields
from locust import FastHttpUser, constant, task

WORLD = json.loads(Path(os.environ["BENCH_WORLD"]).read_text()) if "BENCH_WORLD" in os.environ else {}
MEMBER_PAGE = os.environ.get("BENCH_MEMBER_PAGE", "/schedule/")
RUN = uuid.uuid4().hex[:8]
_applicant = itertools.count()
_member = itertools.count()


class BenchUser(FastHttpUser):
    abstract = True
    wait_time = constant(0)


class MinimalUser(BenchUser):
    """/healthz: a plain-text view through the full middleware stack, no database: the ceiling."""

    @task
    def minimal(self):
        with self.client.get("/healthz", name="minimal view", catch_response=True) as response:
            if response.status_code != 200 or response.text != "ok":
                response.failure(f"status {response.status_code}")


class ProgrammeUser(BenchUser):
    @task
    def programme(self):
        with self.client.get(WORLD["programme_page"], name="programme page", catch_response=True) as response:
            if response.status_code != 200 or "Apply" not in response.text:
                response.failure(f"status {response.status_code}")


class FormUser(BenchUser):
    @task
    def form(self):
        with self.client.get(
            WORLD["apply_page"], name="application form GET", catch_response=True
        ) as response:
            if response.status_code != 200 or "csrfmiddlewaretoken" not in response.text:
                response.failure(f"status {response.status_code}")


class ApplicantUser(BenchUser):
    """Fetches the form once (the CSRF cookie and token), then posts complete applications, each from a new
    address with a new submission token, as if each were a fresh form."""

    def on_start(self):
        response = self.client.get(WORLD["apply_page"], name="form before posting")
        self.csrf_cookie = cookie_from(response.headers.get_all("Set-Cookie") or [], "csrftoken")
        self.csrf, _, self.time_fields = form_fields(response.text)

    @task
    def apply(self):
        n = next(_applicant)
        data = application_answers(
            email=f"load-{RUN}-{n}@example.org",
            csrf=self.csrf,
            submission_token=str(uuid.uuid4()),
            time_fields=self.time_fields,
            n=n,
        )
        with self.client.post(
            WORLD["apply_page"],
            data=data,
            headers={"Cookie": f"csrftoken={self.csrf_cookie}"},
            allow_redirects=False,
            name="application form POST",
            catch_response=True,
        ) as response:
            location = response.headers.get("Location") if response.headers else None
            if response.status_code != 302 or location != WORLD["thanks_page"]:
                response.failure(f"status {response.status_code}, not the redirect to the thanks page")


class MemberUser(BenchUser):
    """A signed-in member (each user one of the seeded sessions) reading their landing page."""

    def on_start(self):
        sessions = WORLD["sessions"]
        self.cookie = f"sessionid={sessions[next(_member) % len(sessions)]}"

    @task
    def dashboard(self):
        with self.client.get(
            MEMBER_PAGE,
            headers={"Cookie": self.cookie},
            allow_redirects=False,
            name="member dashboard",
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code} (signed out?)")
