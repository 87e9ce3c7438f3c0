from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "cohort_site.members"
    label = "members"
    verbose_name = "Members: profile, expenses, personal data"

    def ready(self):
        # Each app says what it holds about a person in its personal_data.py (see personal_data.py here).
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("personal_data")
