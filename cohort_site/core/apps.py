from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "cohort_site.core"
    label = "core"
    verbose_name = "Site"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.utils.module_loading import autodiscover_modules

        from .data_version import connect_data_version
        from .middleware import staff_activity_start

        user_logged_in.connect(staff_activity_start, dispatch_uid="core.staff_activity_start")
        # Every write replaces the data version, so no kept page outlives what it shows (data_version.py).
        connect_data_version()
        # Each app (core too) says what it holds about a person in its personal_data.py (see data_subjects.py).
        autodiscover_modules("personal_data")
        # Each app registers how long its personal data is kept in its retention.py (see retention.py).
        autodiscover_modules("retention")
