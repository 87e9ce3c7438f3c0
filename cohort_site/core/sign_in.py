"""Signing in by an emailed code, in our words: how long a code lasts, how many tries are left, when to try again.

allauth runs the sign-in; its pages are ours (templates/account/), and so are its messages. Its forms are swapped
for these subclasses (settings.ACCOUNT_FORMS) only to say what to do instead of allauth's stock sentences, and the
one message allauth adds by itself (a code cancelled after too many wrong tries) is reworded by `plain_message`.
The two sign-in pages open as asked even while a code is pending (`SignInView`, `SignInRequestCodeView`).
Every time and count comes from allauth's own settings, so the words cannot drift from what allauth does.
"""

from __future__ import annotations

from allauth.account import app_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.forms import (
    ConfirmLoginCodeForm,
    ConfirmReauthenticationCodeForm,
    LoginForm,
    RequestReauthenticationCodeForm,
)
from allauth.account.views import LoginView, RequestLoginCodeView
from allauth.core.internal.ratelimit import get_rates
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from .account_forms import RequestLoginCodeForm as LimitedRequestLoginCodeForm
from .words import counted

STOCK = DefaultAccountAdapter.error_messages


def minutes_text(seconds: float) -> str:
    """`180` -> "3 minutes"; `60` -> "1 minute"; under a minute -> "1 minute" (never "0 minutes")."""
    minutes = max(1, round(seconds / 60))
    return counted(minutes, "minute")


def tries_text(count: int) -> str:
    return counted(count, "try", "tries")


def times_text(count: int) -> str:
    return {1: "once", 2: "twice"}.get(count, f"{count} times")


def code_lifetime() -> str:
    """How long a sign-in code works: "3 minutes" (ACCOUNT_LOGIN_BY_CODE_TIMEOUT)."""
    return minutes_text(app_settings.LOGIN_BY_CODE_TIMEOUT)


def code_max_tries() -> int:
    return app_settings.LOGIN_BY_CODE_MAX_ATTEMPTS


def code_tries_left(view) -> int:
    """Wrong tries left for the code on this page (allauth's confirm-code view keeps its count in `_process`)."""
    process = getattr(view, "_process", None)
    if process is None:
        return code_max_tries()
    return max(0, process.max_attempts - process.state.get("failed_attempts", 0))


def wait_after(action: str) -> str:
    """How long someone waits after one of allauth's per-address limits ("request_login_code": "1 minute")."""
    rates = get_rates(app="allauth.account", action=action)
    per_address = [rate.duration for rate in rates if rate.per == "key"] or [rate.duration for rate in rates]
    return minutes_text(max(per_address, default=60))


def codes_requested_too_often() -> str:
    return (
        f"You have asked for several codes for this email address in a short time. Wait "
        f"{wait_after('request_login_code')}, then ask again. The last code we sent still works for "
        f"{code_lifetime()} after it was sent."
    )


def code_cancelled() -> str:
    return (
        f"That code was typed wrongly {times_text(code_max_tries())}, so we cancelled it to keep your account "
        f"safe. Ask for a new code below: you can do this straight away."
    )


INCORRECT_CODE = (
    "That code is not the one we sent. Check the latest email from us and type the code exactly as it is, "
    "or send a new code."
)


def passwords_tried_too_often() -> str:
    return (
        f"Too many wrong passwords for this email address. Wait {wait_after('login_failed')}, then try again, "
        f"or sign in with an emailed code instead."
    )


def plain_message(text) -> str:
    """allauth's messages that reach our pages, in our words (any other message is shown as it is)."""
    words = {
        STOCK["too_many_login_attempts"]: code_cancelled,
    }
    reword = words.get(str(text))
    return reword() if reword else text


def _reword(form: forms.Form, field: str | None, words: dict) -> None:
    """Replace allauth's stock errors on `field` (None: form-wide) by ours, matched by the error's code."""
    key = field or NON_FIELD_ERRORS
    if key not in form.errors:
        return
    errors = form.errors[key].as_data()
    form.errors[key] = form.error_class(
        [ValidationError(words[e.code](), code=e.code) if e.code in words else e for e in errors],
        error_class=None if field else "nonfield",
        renderer=form.renderer,
    )


class _EmailAddressField:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        email = self.fields["email"]
        email.label = "Email address"
        email.error_messages = {
            **email.error_messages,
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        }
        email.widget.attrs.pop("placeholder", None)


class _CodeField:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        code = self.fields["code"]
        code.label = "Sign-in code"
        code.error_messages = {**code.error_messages, "required": "Enter the code from the email we sent you"}
        code.widget.attrs.pop("placeholder", None)
        code.widget.attrs.update({"autocapitalize": "characters", "spellcheck": "false"})

    def full_clean(self):
        super().full_clean()
        _reword(self, "code", {"incorrect_code": lambda: INCORRECT_CODE})


class SignInRequestCodeForm(_EmailAddressField, LimitedRequestLoginCodeForm):
    """Our words for the address; at the limit, the hourly limit's words (account_forms)."""


class SignInConfirmCodeForm(_CodeField, ConfirmLoginCodeForm):
    pass


class ReauthenticationConfirmCodeForm(_CodeField, ConfirmReauthenticationCodeForm):
    pass


class ReauthenticationRequestCodeForm(RequestReauthenticationCodeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient"].label = "Send the code to"

    def full_clean(self):
        super().full_clean()
        _reword(self, "recipient", {"too_many_login_attempts": codes_requested_too_often})


class PasswordSignInForm(LoginForm):
    def full_clean(self):
        super().full_clean()
        _reword(self, None, {"too_many_login_attempts": passwords_tried_too_often})


class _OpenWhileACodeIsPending:
    """allauth sends anyone whose code is pending from the sign-in pages back to the code page, so "Sign in",
    "Use a different email address" and "Send a new code" all led to the same page: a dead end. Here the pages open
    as asked; asking for a code again replaces the pending one (a fresh code, with its own time and tries)."""

    def _redirect_to_pending_stage(self, request, stage):
        return None


class SignInView(_OpenWhileACodeIsPending, LoginView):
    pass


class SignInRequestCodeView(_OpenWhileACodeIsPending, RequestLoginCodeView):
    pass
