from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "cohort_site.core"
    label = "core"
    verbose_name = "Site"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .middleware import staff_activity_start

        user_logged_in.connect(staff_activity_start, dispatch_uid="core.staff_activity_start")
