from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "cohort_site.mail"
    label = "mail"
    verbose_name = "Email"
