"""Security headers on every page each role can open, the admin's CSP exemption, and production's HSTS and
cookies (the production settings loaded in a fresh interpreter, as tests/core/test_settings.py does)."""

import json
import secrets

import pytest
from django.test import Client
from django.urls import reverse

from cohort_site.core.middleware import CONTENT_SECURITY_POLICY
from tests.core.test_settings import run_with_settings
from tests.security.test_permissions import EXPECTED, client_as, url_of
from tests.security.world import ROLES

PAGES = [
    (name, role)
    for name, row in sorted(EXPECTED.items())
    for role, result in zip(ROLES, row, strict=True)
    if result == 200
]
NEVER_CACHE = "max-age=0, no-cache, no-store, must-revalidate, private"
# The applicant's private link is a password in the address: never cached, even signed out.
TOKEN_PAGES = {
    "applications:private",
    "applications:edit",
    "applications:withdraw",
    "applications:data_export",
    "applications:erase",
    "sessions:join",
}
# allauth's sign-in forms are never cached either (its own never_cache).
SIGN_IN_PAGES = {"account_login", "account_request_login_code", "account_signup"}
# The stored email's HTML, shown in the outbox's sandboxed frame: its own policy lets the email's styles show.
EMAIL_FRAME_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; sandbox"
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=()"


def directives(policy: str) -> dict[str, str]:
    return dict(part.split(" ", 1) for part in policy.split("; "))


def security_headers(response) -> dict:
    names = (
        "Content-Security-Policy",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "X-Frame-Options",
        "Cross-Origin-Opener-Policy",
        "Permissions-Policy",
        "Cache-Control",
    )
    return {name: response.headers.get(name) for name in names}


def expected_headers(name: str, role: str) -> dict:
    if role != "anonymous":
        cache = "no-store"
    elif name in TOKEN_PAGES | SIGN_IN_PAGES:
        cache = NEVER_CACHE
    elif name == "sessions:calendar_feed":
        cache = "private, max-age=900"
    else:
        cache = None
    frame = name == "mail:outbox_email_html"
    return {
        "Content-Security-Policy": EMAIL_FRAME_CSP if frame else CONTENT_SECURITY_POLICY,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "X-Frame-Options": "SAMEORIGIN" if frame else "DENY",
        "Cross-Origin-Opener-Policy": "same-origin",
        "Permissions-Policy": PERMISSIONS_POLICY,
        "Cache-Control": cache,
    }


def test_policy_is_strict():
    policy = directives(CONTENT_SECURITY_POLICY)

    assert (policy["script-src"], policy["style-src"], policy["object-src"]) == ("'self'", "'self'", "'none'")
    assert (policy["base-uri"], policy["frame-ancestors"], policy["default-src"]) == (
        "'none'",
        "'none'",
        "'self'",
    )
    assert "unsafe" not in CONTENT_SECURITY_POLICY


@pytest.mark.parametrize(("name", "role"), PAGES)
def test_page_headers(world, name, role):
    response = client_as(world, role).get(url_of(world, name))

    assert response.status_code == 200
    assert security_headers(response) == expected_headers(name, role)


@pytest.mark.parametrize("path", ["admin:index", "admin:login", "admin:applications_application_changelist"])
def test_admin_is_exempt_from_csp_only(world, path):
    """Django's admin uses inline scripts, so it keeps no CSP; every other header stays."""
    client = client_as(world, "staff")

    response = client.get(reverse(path))

    assert response.status_code == (302 if path == "admin:login" else 200)
    assert security_headers(response) == {
        "Content-Security-Policy": None,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "X-Frame-Options": "DENY",
        "Cross-Origin-Opener-Policy": "same-origin",
        "Permissions-Policy": PERMISSIONS_POLICY,
        "Cache-Control": "no-store",
    }


def test_only_the_admin_prefix_is_exempt(db):
    """A path that merely starts like the admin's still gets the policy."""
    response = Client().get("/administrator/")

    assert response.status_code == 404
    assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


PRODUCTION_PROBE = """
import json
import django
django.setup()
from django.core.management import call_command
from django.test import Client
from cohort_site.core.models import User

call_command("migrate", verbosity=0)
User.objects.create_superuser(email="boss@example.org", password="a-long-staff-password")
client = Client()
plain = client.get("/healthz")
secure = client.get("/healthz", secure=True)
login = client.post(
    "/admin/login/", {"username": "boss@example.org", "password": "a-long-staff-password"}, secure=True
)
def cookie(name):
    morsel = login.cookies[name]
    return {key: morsel[key] for key in ("secure", "httponly", "samesite")}
print(json.dumps({
    "plain": [plain.status_code, plain.get("Location")],
    "hsts": secure.get("Strict-Transport-Security"),
    "login": login.status_code,
    "sessionid": cookie("sessionid"),
    "csrftoken": cookie("csrftoken"),
}))
"""


def test_production_sends_hsts_redirects_to_https_and_marks_cookies(tmp_path):
    env = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'production.sqlite3'}",
    }

    result = run_with_settings(env, "-c", PRODUCTION_PROBE)

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {
        "plain": [301, "https://testserver/healthz"],
        "hsts": "max-age=31536000; includeSubDomains; preload",
        "login": 302,
        "sessionid": {"secure": True, "httponly": True, "samesite": "Lax"},
        "csrftoken": {"secure": True, "httponly": True, "samesite": "Lax"},
    }
