from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404

from .rules import is_active_staff


def refuse_unless_staff(request):
    """Staff-only pages answer 404 to everyone signed in who is not staff, so they don't reveal that they exist.
    Someone signed out (a manager whose session timed out) is sent to sign in and then back to the page: the
    sign-in page says nothing about what is behind it. Returns the redirect, raises the 404, or None for staff."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not is_active_staff(request.user):
        raise Http404
    return None


class StaffRequiredMixin:
    """A staff-only class-based view (see `refuse_unless_staff`)."""

    def dispatch(self, request, *args, **kwargs):
        return refuse_unless_staff(request) or super().dispatch(request, *args, **kwargs)


def staff_required(view):
    """A staff-only function view (see `refuse_unless_staff`)."""

    @wraps(view)
    def checked(request, *args, **kwargs):
        return refuse_unless_staff(request) or view(request, *args, **kwargs)

    return checked
