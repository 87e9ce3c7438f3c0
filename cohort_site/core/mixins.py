from django.http import Http404

from .rules import is_active_staff


class StaffRequiredMixin:
    """Staff-only pages answer 404 to everyone else, so they don't reveal that they exist."""

    def dispatch(self, request, *args, **kwargs):
        if not is_active_staff(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)
