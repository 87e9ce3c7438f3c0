from django.apps import AppConfig


class SessionsAppConfig(AppConfig):
    name = "sessions_app"
    verbose_name = "Schedule"

    def ready(self):
        # The schedule's own calendar source, the cut-off for freed places and the group's confirmed time (both
        # asked for by selection) register on import; other apps add their calendar sources in
        # calendar_sources.py, and hear of moved sessions in schedule_listeners.py (see changes.py).
        from django.utils.module_loading import autodiscover_modules

        from . import calendar, freed_places, group_times  # noqa: F401

        autodiscover_modules("calendar_sources")
        autodiscover_modules("schedule_listeners")
