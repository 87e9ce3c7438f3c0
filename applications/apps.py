from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = "Recruitment and selection"

    def ready(self):
        from .page_cache import connect_invalidation

        connect_invalidation()

        from cohort_site.core.rules import STAFF_LIMITS

        from .rules import is_reviewer

        # A programme's reviewer is a limited staff account: not a manager on any staff page.
        if is_reviewer not in STAFF_LIMITS:
            STAFF_LIMITS.append(is_reviewer)

        from cohort_site.core.programme_filter import programmes_source

        from .models import Programme

        # The programmes the staff pages' "Programme" select offers, newest first (as on the dashboard).
        programmes_source(lambda: Programme.objects.order_by("-applications_open_at", "-pk"))
