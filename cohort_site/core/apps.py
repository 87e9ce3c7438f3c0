from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "cohort_site.core"
    label = "core"
    verbose_name = "Site"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.utils.module_loading import autodiscover_modules

        from .middleware import staff_activity_start

        user_logged_in.connect(staff_activity_start, dispatch_uid="core.staff_activity_start")
        # Each app (core too) says what it holds about a person in its personal_data.py (see data_subjects.py).
        autodiscover_modules("personal_data")
        # Each app registers how long its personal data is kept in its retention.py (see retention.py).
        autodiscover_modules("retention")
