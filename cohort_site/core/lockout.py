"""django-axes hooks: who is signing in, and the page shown once the admin sign-in is locked."""

from django.conf import settings
from django.shortcuts import render


def client_username(request, credentials: dict | None = None) -> str | None:
    """The address being tried. The admin's form posts it as `username` and allauth's as `login`; backends get it
    as `username` or `email`. Axes' default (the user model's USERNAME_FIELD, `email`) misses the admin's, so
    without this the lock by username never counted. Lower-cased, so changing case does not start a new count."""
    for source in (credentials or {}, request.POST if request is not None else {}):
        for key in ("username", "email", "login"):
            value = source.get(key)
            if value:
                return str(value).strip().lower()
    return None


def admin_locked_out(request, original_response=None, credentials=None):
    """Axes' answer once the admin sign-in is locked: a page that says why and for how long (429)."""
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "axes/lockout.html", context, status=429)
