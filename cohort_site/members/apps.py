from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "cohort_site.members"
    label = "members"
    verbose_name = "Members: profile, expenses, personal data"
