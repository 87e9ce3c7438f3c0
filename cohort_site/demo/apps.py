from django.apps import AppConfig


class DemoConfig(AppConfig):
    # The top layer: seeding a demo goes through every app's services, so nothing imports this.
    name = "cohort_site.demo"
    label = "demo"
    verbose_name = "Demo"
