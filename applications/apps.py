from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = "Recruitment and selection"

    def ready(self):
        from .page_cache import connect_invalidation

        connect_invalidation()
