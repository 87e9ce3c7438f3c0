import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.auth import get_user_model

from .enums import EmailKind
from .services import email_store

# What allauth puts in its emails' context that would let whoever reads it act as the recipient, and what the
# outbox calls it instead (the stored email holds a placeholder; see email_store's `secrets`).
SECRETS = {
    "code": "sign-in code",
    "password_reset_url": "password reset link",
    "activate_url": "confirmation link",
    "key": "key",
}


@dataclass(frozen=True)
class SiteFromSettings:
    """What allauth's templates read of a site (`current_site.name`, `.domain`)."""

    name: str
    domain: str


def account_email_kind(template_prefix: str) -> EmailKind:
    """The kind of one of allauth's messages: "account/email/login_code" is `account-login-code`. A message
    allauth adds in a new version has no kind until it is listed in EmailKind (a test reads allauth's templates)."""
    return EmailKind(f"account-{template_prefix.rsplit('/', 1)[-1].replace('_', '-')}")


def on_our_site(url: str) -> str:
    """`url` on settings.SITE_URL: a link in an email names the site every other email names, never the host a
    request happened to come in on."""
    parts = urlsplit(url)
    return settings.SITE_URL + parts.path + (f"?{parts.query}" if parts.query else "")


def site_from_settings() -> SiteFromSettings:
    return SiteFromSettings(name=settings.SITE_NAME, domain=urlsplit(settings.SITE_URL).netloc)


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are made when an applicant confirms their place, never by open sign-up.

    allauth's own messages (sign-in codes, address confirmations) go through our email engine like every
    other message: stored as a row, sent by the worker, visible in the manager's outbox, but with each code or
    link replaced by a placeholder there (`SECRETS`): only the recipient's copy carries it.
    """

    def is_open_for_signup(self, request):
        return False

    def _get_login_attempts_cache_key(self, request, **credentials):
        # allauth's key for its "login_failed" limit (5 failures in 5 minutes) is the address signed in with, so
        # a stranger's wrong passwords locked the owner out too. Counted per client and address, as django-axes
        # counts (settings.AXES_LOCKOUT_PARAMETERS); allauth's per-client limit stays. allauth reads this private
        # hook in pre_authenticate and when a password reset clears the count; tests/security/test_login_limits.py
        # fails if it stops doing so.
        return (
            f"{self.get_client_ip(request)}:{super()._get_login_attempts_cache_key(request, **credentials)}"
        )

    def get_reset_password_from_key_url(self, key):
        return on_our_site(super().get_reset_password_from_key_url(key))

    def get_email_confirmation_url(self, request, emailconfirmation):
        return on_our_site(super().get_email_confirmation_url(request, emailconfirmation))

    def send_mail(self, template_prefix, email, context):
        # What allauth's own send_mail gives its templates; the site that greets and signs off is ours, from
        # settings (without django.contrib.sites allauth would name the request's host, or nothing).
        message = self.render_mail(
            template_prefix,
            email,
            {
                "request": allauth_context.request,
                "email": email,
                **context,
                "current_site": site_from_settings(),
            },
        )
        html = next(
            (
                content
                for content, mimetype in getattr(message, "alternatives", [])
                if mimetype == "text/html"
            ),
            "",
        )
        user = get_user_model().objects.filter(email__iexact=email).first()
        kind = account_email_kind(template_prefix)
        # Each code or confirmation is its own message: a fresh key, never deduplicated.
        email_store(
            key=f"{kind}:{uuid.uuid4()}",
            kind=kind,
            to=email,
            subject=message.subject,
            body_text=message.body,
            body_html=html,
            user=user,
            # Staff read the outbox; a live code or link there would let them sign in as the recipient.
            secrets={label: str(context[name]) for name, label in SECRETS.items() if context.get(name)},
        )
