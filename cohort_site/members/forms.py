import math
import uuid
import zoneinfo
from decimal import Decimal

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.validators import MinValueValidator

from cohort_site.core.forms import FreeTextMixin
from cohort_site.core.models import User
from cohort_site.core.widgets import DateInput
from cohort_site.mail.enums import OptionalEmail

from .enums import ExpenseStatus
from .models import Expense
from .receipts import MAX_RECEIPT_BYTES, receipt_type


class ExpenseForm(FreeTextMixin, forms.ModelForm):
    submission_token = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    class Meta:
        model = Expense
        fields = ["category", "amount", "spent_on", "description", "receipt"]
        widgets = {
            "spent_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "receipt": forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
        }
        help_texts = {
            "amount": "In pounds, e.g. 12.50.",
            "description": "What it was for, e.g. train from Leeds to the session in Manchester.",
            "receipt": "A PDF, JPEG or PNG of at most 5 MB.",
        }
        error_messages = {
            "category": {
                "required": "Choose what the expense was for: travel, care, equipment or other.",
                "invalid_choice": "Choose what the expense was for from the list.",
            },
            "amount": {
                "required": "Enter the amount in pounds, like 12.50.",
                "invalid": "Enter the amount as a number of pounds, like 12.50.",
                "min_value": "Enter an amount of at least £0.01.",
                "max_digits": "Enter an amount below £1,000,000.",
                "max_whole_digits": "Enter an amount below £1,000,000.",
                "max_decimal_places": "Enter pounds and pence with two digits after the point, like 12.50.",
            },
            "spent_on": {
                "required": "Enter the date of the expense.",
                "invalid": "Enter the date of the expense as a real date, like 25/02/2031.",
            },
            "description": {"required": "Say what the expense was for, like a train to the session."},
            "receipt": {
                "required": "Attach the receipt: a photo or scan, as a PDF, JPEG or PNG.",
                "empty": "The receipt file is empty: choose the photo or scan again.",
                "invalid": "Attach the receipt: a photo or scan, as a PDF, JPEG or PNG.",
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["submission_token"].initial = uuid.uuid4()
        self.fields["submission_token"].error_messages = {
            "required": "This form has expired: send your claim again.",
            "invalid": "This form has expired: send your claim again.",
        }
        # On the form field too, so a too-small amount is reported with the other answers' problems.
        self.fields["amount"].validators.append(MinValueValidator(Decimal("0.01")))
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Send claim"))
        # The site's messages, not the browser's pop-ups: every problem is explained in the error summary.
        self.helper.attrs = {"enctype": "multipart/form-data", "novalidate": ""}

    def clean_receipt(self):
        receipt = self.cleaned_data["receipt"]
        if receipt.size > MAX_RECEIPT_BYTES:
            # Rounded up, so a file just over the limit never reads as "5.0 MB".
            megabytes = math.ceil(receipt.size * 10 / 1024 / 1024) / 10
            raise forms.ValidationError(f"The receipt is {megabytes:.1f} MB; the most we accept is 5 MB.")
        receipt.seek(0)
        detected = receipt_type(receipt.read(16))
        receipt.seek(0)
        if detected is None:
            raise forms.ValidationError(
                "This file is not a PDF, JPEG or PNG. Please upload a photo or scan of the receipt in one of those."
            )
        self.receipt_mimetype, extension = detected
        receipt.name = f"receipt.{extension}"
        return receipt

    def clean(self):
        cleaned = super().clean()
        if self.errors and "receipt" in cleaned:
            # A browser cannot keep a chosen file when the page comes back: say so where the receipt is asked for,
            # so nobody sends the claim again without it.
            self.add_error("receipt", RECEIPT_AGAIN)
        return cleaned


RECEIPT_AGAIN = (
    "Choose the receipt file again: it was fine, but a browser forgets a chosen file when the page comes back "
    "with something to correct."
)


class ExpenseDecisionForm(FreeTextMixin, forms.Form):
    status = forms.ChoiceField(
        choices=[
            (ExpenseStatus.APPROVED, "Approve"),
            (ExpenseStatus.REJECTED, "Reject"),
            (ExpenseStatus.PAID, "Mark paid"),
        ]
    )
    reason = forms.CharField(
        required=False,
        max_length=Expense._meta.get_field("rejection_reason").max_length,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Reason (if rejecting)",
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == ExpenseStatus.REJECTED and not cleaned.get("reason", "").strip():
            self.add_error("reason", "Say why the claim is rejected; the member will read it.")
        return cleaned


def timezone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones()) if "/" in name]


class ProfileForm(FreeTextMixin, forms.ModelForm):
    timezone = forms.ChoiceField(
        required=False, help_text="Session times are shown in this zone. Leave empty to use the programme's."
    )

    class Meta:
        model = User
        fields = ["name", "pronouns", "organisation", "role", "timezone", "accessibility_needs"]
        widgets = {"accessibility_needs": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"accessibility_needs": "Anything that helps you take part; only the manager sees it."}

    emails_wanted = forms.MultipleChoiceField(
        label="Optional emails",
        choices=OptionalEmail.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Untick what you don't want. Invitations, decisions and your coffee partners always reach you.",
    )

    def __init__(self, *args, opted_out: set[str] = frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["timezone"].choices = [("", "The programme's time zone"), *timezone_choices()]
        # Your group knows you by it: a profile without a name cannot be saved.
        self.fields["name"].required = True
        self.fields["name"].error_messages["required"] = (
            "Enter your name, as you would like your group to see it."
        )
        self.fields["timezone"].error_messages["invalid_choice"] = "Choose a time zone from the list."
        self.fields["emails_wanted"].initial = [
            kind for kind in OptionalEmail.values if kind not in opted_out
        ]
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Save profile"))
        self.helper.attrs = {"novalidate": ""}


class StaffErasureForm(forms.Form):
    email = forms.EmailField(help_text="Every record held about this address is erased.")
    confirm = forms.BooleanField(label="I understand this cannot be undone")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Erase", css_class="btn-danger"))


class LeaveForm(FreeTextMixin, forms.Form):
    """Leaving the group (a member) or withdrawing a member (staff): a reason, optional, kept with the record."""

    reason = forms.CharField(
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, by_member: bool, name: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["reason"]
        if by_member:
            field.label = "Why are you leaving? (optional)"
            field.help_text = "Only the programme team reads this. " + (field.help_text or "")
        else:
            field.label = "Why? (optional)"
            field.help_text = f"Kept in the record; not sent to {name}. " + (field.help_text or "")
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.add_input(
            Submit(
                "submit",
                "Yes, leave the group" if by_member else f"Yes, withdraw {name}",
                css_class="btn-danger",
            )
        )
