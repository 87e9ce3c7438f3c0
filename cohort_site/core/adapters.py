import uuid

from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.auth import get_user_model


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are made when an applicant confirms their place, never by open sign-up.

    allauth's own messages (sign-in codes, address confirmations) go through our email engine like every
    other message: stored as a row, sent by the worker, visible in the manager's outbox.
    """

    def is_open_for_signup(self, request):
        return False

    def send_mail(self, template_prefix, email, context):
        from cohort_site.mail.services import email_store

        message = self.render_mail(template_prefix, email, context)
        html = next(
            (
                content
                for content, mimetype in getattr(message, "alternatives", [])
                if mimetype == "text/html"
            ),
            "",
        )
        user = get_user_model().objects.filter(email__iexact=email).first()
        kind = f"account-{template_prefix.rsplit('/', 1)[-1].replace('_', '-')}"
        # Each code or confirmation is its own message: a fresh key, never deduplicated.
        email_store(
            key=f"{kind}:{uuid.uuid4()}",
            kind=kind[:60],
            to=email,
            subject=message.subject,
            body_text=message.body,
            body_html=html,
            user=user,
        )
