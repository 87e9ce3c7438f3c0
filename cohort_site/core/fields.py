"""Model fields shared by every app."""

from django.core import validators
from django.db import models


class BoundedTextField(models.TextField):
    """Free text (a text box in forms and the admin) with a limit that holds on every path, not only the form's.

    Django's TextField hands `max_length` to its form field only (a `maxlength` attribute and a check). This one
    is also checked by model validation, as CharField is, and is stored as `varchar(max_length)`, so PostgreSQL
    refuses a longer value from anything that skips the form (a service, the shell, a bulk update).
    """

    def __init__(self, *args, max_length: int, **kwargs):
        super().__init__(*args, max_length=max_length, **kwargs)
        self.validators.append(validators.MaxLengthValidator(max_length))

    def get_internal_type(self) -> str:
        # Django's documented way to store a custom field as a built-in type: varchar(max_length).
        return "CharField"
