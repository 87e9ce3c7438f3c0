from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "cohort_site.mail"
    label = "mail"
    verbose_name = "Email"

    def ready(self):
        # Each app registers its reminder kinds in its reminders.py (see dispatch.py), and what its drafts
        # become as they are sent in its drafts.py (see drafts.py), and a programme's own wording of its emails
        # in its wording.py (see wording.py), and which of its rows' emails belong to a programme in its
        # email_programmes.py (see programmes.py).
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("reminders", "drafts", "send_checks", "wording", "email_programmes")

        from django.contrib.auth.signals import user_login_failed

        from .signin_alerts import failed_sign_in_noted

        user_login_failed.connect(failed_sign_in_noted, dispatch_uid="mail.signin_alerts")
