from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from .links import WEB_LINK_MESSAGE, validate_web_link
from .text import validate_multiline, validate_single_line


class ErasureConfirmForm(forms.Form):
    """The person confirms they want everything held about them erased (members' data page, an applicant's link)."""

    confirm = forms.CharField(
        label="Type ERASE to confirm",
        help_text="This removes your name, email and everything you wrote, and closes your account. It cannot be undone.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Erase my data", css_class="btn-danger"))

    def clean_confirm(self):
        if self.cleaned_data["confirm"].strip().upper() != "ERASE":
            raise forms.ValidationError("Type ERASE (in capitals or not) to confirm.")
        return self.cleaned_data["confirm"]


class FreeTextMixin:
    """What every form with free text does alike, so text is checked, and a limit explained, the same way everywhere.

    Every text field refuses hidden control characters and text-direction overrides (core/text.py); a one-line
    field refuses line breaks too. A text box (Textarea) with a limit says it in its help text ("Up to 3,000
    characters."), which static/js/text-limit.js turns into a live count; a field over its limit gets a message
    that says how long it may be and how long it is. Line breaks arrive from browsers as CR LF; they are kept as
    LF, so a text box counts each as one character, as the browser's counter did.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.described_text_fields: set[str] = set()
        self.describe_text_fields()

    def describe_text_fields(self) -> None:
        """Give each text field its check of what it may contain, and its limit's hint and message. A form that adds fields in its own __init__ calls
        this again once they are there; a field is described once."""
        for name, field in self.fields.items():
            if name in self.described_text_fields or not isinstance(field, forms.CharField):
                continue
            self.described_text_fields.add(name)
            box = isinstance(field.widget, forms.Textarea)
            field.validators.append(validate_multiline if box else validate_single_line)
            if field.max_length is None:
                continue
            field.error_messages["max_length"] = (
                f"Please shorten this to {field.max_length:,} characters or fewer (it has %(show_value)s)."
            )
            if box:
                hint = f"Up to {field.max_length:,} characters."
                field.help_text = f"{field.help_text} {hint}" if field.help_text else hint
                self._keep_line_feeds(self.add_prefix(name))

    def _keep_line_feeds(self, key: str) -> None:
        if not self.is_bound or key not in self.data:
            return
        if not getattr(self, "_data_copied", False):
            self.data, self._data_copied = self.data.copy(), True
        if hasattr(self.data, "setlist"):  # a QueryDict, as from a request
            self.data.setlist(key, [_lf(value) for value in self.data.getlist(key)])
        elif isinstance(self.data[key], str):
            self.data[key] = _lf(self.data[key])


def _lf(text: str) -> str:
    return text.replace("\r\n", "\n")


class WebLinkField(forms.URLField):
    """A link to a web page: http(s) only (core/links.py); an address typed without a scheme gets https://."""

    default_validators = [validate_web_link]
    default_error_messages = {"invalid": WEB_LINK_MESSAGE}

    def __init__(self, **kwargs):
        kwargs.setdefault("assume_scheme", "https")
        super().__init__(**kwargs)
