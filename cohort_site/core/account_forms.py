"""allauth's forms, as this site words them."""

from allauth.account import forms as allauth_forms
from django.conf import settings
from django.core.exceptions import ValidationError

TOO_MANY = "too_many_login_attempts"


def login_code_limit_text() -> str:
    """The limit on sign-in codes, in the words the code page and its error use."""
    per_hour = settings.LOGIN_CODES_PER_ADDRESS_PER_HOUR
    return f"We send at most {per_hour} sign-in codes an hour to one address, and a few a minute."


class RequestLoginCodeForm(allauth_forms.RequestLoginCodeForm):
    """allauth's, saying what happens when the code limit is reached instead of "too many failed login
    attempts" (nothing failed: codes were asked for too often)."""

    def limit_text(self) -> str:
        return login_code_limit_text()

    def clean_email(self) -> str:
        try:
            return super().clean_email()
        except ValidationError as error:
            if error.code != TOO_MANY:
                raise
            raise ValidationError(
                f"{login_code_limit_text()} We have sent as many as we can for now: use the latest code we "
                "emailed, or ask for a new one within the hour.",
                code=TOO_MANY,
            ) from error


NEW_PASSWORD_HELP = "At least 12 characters, and not one that is easy to guess."


def without_placeholders(form) -> None:
    """No placeholder text: allauth's repeat the label in title case, and a placeholder vanishes as you type."""
    for field in form.fields.values():
        field.widget.attrs.pop("placeholder", None)


class ChangePasswordForm(allauth_forms.ChangePasswordForm):
    """allauth's, with labels in plain words ("Current Password" in title case was allauth's)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["oldpassword"].label = "Your current password"
        self.fields[
            "oldpassword"
        ].help_text = ""  # allauth's "Forgot your password?": the page links to a reset
        self.fields["password1"].label = "New password"
        self.fields["password1"].help_text = NEW_PASSWORD_HELP
        self.fields["password2"].label = "New password again"
        without_placeholders(self)


class ResetPasswordForm(allauth_forms.ResetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Email address"
        without_placeholders(self)


class ResetPasswordKeyForm(allauth_forms.ResetPasswordKeyForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password1"].label = "New password"
        self.fields["password1"].help_text = NEW_PASSWORD_HELP
        self.fields["password2"].label = "New password again"
        without_placeholders(self)
