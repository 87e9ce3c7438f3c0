from django.apps import AppConfig


class SessionsAppConfig(AppConfig):
    name = "sessions_app"
    verbose_name = "Schedule"

    def ready(self):
        # The schedule's own calendar source, and the group's confirmed time selection asks for, register on
        # import; other apps add their calendar sources in calendar_sources.py.
        from django.utils.module_loading import autodiscover_modules

        from . import calendar, group_times  # noqa: F401

        autodiscover_modules("calendar_sources")
