from django import forms

from applications.models import Application


class SwapForm(forms.Form):
    first = forms.ModelChoiceField(queryset=Application.objects.none(), label="Swap")
    second = forms.ModelChoiceField(queryset=Application.objects.none(), label="with")

    def __init__(self, *args, round_, **kwargs):
        super().__init__(*args, **kwargs)
        people = Application.objects.filter(coffee_memberships__round=round_).order_by("name", "pk")
        self.fields["first"].queryset = people
        self.fields["second"].queryset = people
        self.fields["first"].label_from_instance = self.fields["second"].label_from_instance = lambda a: (
            a.name
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("first") and cleaned.get("first") == cleaned.get("second"):
            raise forms.ValidationError("Choose two different people.")
        return cleaned
