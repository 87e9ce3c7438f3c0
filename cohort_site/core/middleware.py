from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import BadRequest
from django.shortcuts import resolve_url
from django.utils import timezone

from cohort_site.core.words import counted

# Scripts and styles come only from our own static files: no inline code, no third parties.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ]
)


class SecurityHeadersMiddleware:
    """Adds the headers Django's SecurityMiddleware does not: CSP, permissions policy, no-store when signed in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return security_headers(request, self.get_response(request))


def security_headers(request, response):
    """The headers `SecurityHeadersMiddleware` adds, on `response` (a page served before it runs sets them here)."""
    # The admin ships inline scripts and styles of its own; it is staff-only and keeps Django's defaults.
    if not request.path.startswith("/admin/"):
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        response.headers["Cache-Control"] = "no-store"
    if not settings.DEBUG:
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
    return response


class StaffIdleTimeoutMiddleware:
    """Staff sessions end after STAFF_IDLE_TIMEOUT without a request; members keep SESSION_COOKIE_AGE.

    The last request's time is kept in the session, rewritten only when it is STAFF_ACTIVITY_RESOLUTION old,
    so an active manager's session is saved every few minutes rather than on every request.
    """

    SESSION_KEY = "_staff_last_activity"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            now = timezone.now().timestamp()
            last = request.session.get(self.SESSION_KEY)
            if last is not None and now - last > settings.STAFF_IDLE_TIMEOUT.total_seconds():
                return self.sign_out(request)
            if last is None or now - last >= settings.STAFF_ACTIVITY_RESOLUTION.total_seconds():
                request.session[self.SESSION_KEY] = now
        return self.get_response(request)

    def sign_out(self, request):
        hours = settings.STAFF_IDLE_TIMEOUT.total_seconds() / 3600
        logout(request)
        messages.info(
            request,
            f"You were signed out after {counted(hours, 'hour')} without activity. Please sign in again.",
        )
        login_url = "admin:login" if request.path.startswith("/admin/") else settings.LOGIN_URL
        return redirect_to_login(request.get_full_path(), resolve_url(login_url))


def staff_activity_start(sender, request, user, **kwargs):
    """Signing in starts the idle clock afresh (and saves the first request a session write)."""
    if user.is_staff and request is not None and hasattr(request, "session"):
        request.session[StaffIdleTimeoutMiddleware.SESSION_KEY] = timezone.now().timestamp()


class NulByteMiddleware:
    """A NUL character in the path, the query string or a posted form is refused with 400 (handler400).

    No page has a use for one, and PostgreSQL refuses it in a query parameter with a ValueError, so a filter such
    as the admin's `?status=%00` answered 500. Refusing it here, once, covers every page and form.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            "\x00" in request.path
            or _holds_nul(request.GET)
            or (request.method == "POST" and _holds_nul(request.POST))
        ):
            raise BadRequest("A NUL character in the address or the form.")
        return self.get_response(request)


def _holds_nul(data) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in data.lists())
