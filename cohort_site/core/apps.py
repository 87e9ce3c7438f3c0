from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "cohort_site.core"
    label = "core"
    verbose_name = "Site"
