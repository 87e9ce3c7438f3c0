from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms


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
