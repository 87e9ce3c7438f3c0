from django import forms

from cohort_site.core.forms import FreeTextMixin

from .enums import EmailKind, EmailStatus
from .models import OutgoingEmail
from .services import EDITED_TEXT_LIMIT


class OutboxFilterForm(forms.Form):
    kind = forms.ChoiceField(required=False)
    status = forms.ChoiceField(required=False, choices=[("", "Any status"), *EmailStatus.choices])

    def __init__(self, *args, kinds: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        # The kinds there are messages of, by the words the manager knows them by.
        labelled = sorted((EmailKind(kind).label, kind) for kind in kinds if kind in EmailKind.values)
        self.fields["kind"].choices = [("", "Any kind"), *((kind, label) for label, kind in labelled)]


class OutboxActionForm(forms.Form):
    SEND_DRAFTS = "send_drafts"
    RETRY_FAILED = "retry_failed"
    RESEND_UNKNOWN = "resend_unknown"

    action = forms.ChoiceField(
        choices=[
            (SEND_DRAFTS, "Send drafts"),
            (RETRY_FAILED, "Retry failed"),
            (RESEND_UNKNOWN, "Resend those that may have been sent"),
        ]
    )
    emails = forms.ModelMultipleChoiceField(
        queryset=OutgoingEmail.objects.all(), error_messages={"required": "Select at least one message."}
    )


class EmailDraftForm(FreeTextMixin, forms.Form):
    """A draft's subject and text, as the manager rewrites them before it is sent."""

    subject = forms.CharField(max_length=300)
    body_text = forms.CharField(
        label="Text",
        max_length=EDITED_TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text="Links stay as they are written: a line such as “Answer here: https://…” becomes a link.",
    )
