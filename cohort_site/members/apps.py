from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "cohort_site.members"
    label = "members"
    verbose_name = "Members: profile, expenses, personal data"

    def ready(self):
        # member_leave registers itself as the way a member leaves (applications/departures.py).
        from . import services  # noqa: F401
