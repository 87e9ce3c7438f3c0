"""Forms of the manager's selection pages."""

import datetime

from django import forms
from django.utils import timezone

from cohort_site.core.widgets import DateInput

from .enums import Notify
from .models import Cohort, Programme
from .services.offer_terms import offer_expiry_on


class NotifyField(forms.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            choices=[(Notify.SEND, Notify.SEND.label), (Notify.DRAFT, Notify.DRAFT.label)],
            initial=Notify.DRAFT,
            widget=forms.RadioSelect,
            label="Decision emails",
            **kwargs,
        )


class DecisionForm(forms.Form):
    """Waitlist or decline the selected applicants."""

    notify = NotifyField()


class OfferForm(DecisionForm):
    """Offer places in one cohort of the programme, with the date the offers lapse."""

    cohort = forms.ModelChoiceField(queryset=Cohort.objects.none(), label="Group", empty_label=None)
    expires_on = forms.DateField(
        label="Confirm by",
        help_text="Offers lapse at the end of this day (the programme's time zone); the applicant is reminded before.",
        widget=DateInput(),
    )
    field_order = ["cohort", "expires_on", "notify"]

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.fields["cohort"].queryset = Cohort.objects.filter(programme=programme).order_by("number")
        self.fields["expires_on"].initial = timezone.localdate(
            timezone.now() + programme.offer_valid_for, programme.tz
        )

    def clean_expires_on(self):
        day = self.cleaned_data["expires_on"]
        if day < timezone.localdate(timezone.now(), self.programme.tz):
            raise forms.ValidationError("Choose today or a later day.")
        return day

    def expires_at(self) -> datetime.datetime:
        return offer_expiry_on(programme=self.programme, day=self.cleaned_data["expires_on"])


class FromWaitlistForm(forms.Form):
    """Shares the group's page with PromoteForm: each keeps its own ids, so a label ticks its own form's radio."""

    count = forms.IntegerField(min_value=1, label="How many people from the top of the waitlist")
    notify = NotifyField()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "from_waitlist_%s")
        super().__init__(*args, **kwargs)


class PromoteForm(forms.Form):
    notify = NotifyField()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "promote_%s")
        super().__init__(*args, **kwargs)
