from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone

from applications.models import CandidateTime
from cohort_site.core.dates import CLOCK, DAY_TIME, local_text
from cohort_site.core.forms import FreeTextMixin
from cohort_site.core.widgets import DateInput

from .enums import AttendanceStatus
from .models import Guest, GuestOffer, Session


def local_instant(day: datetime.date, start: datetime.time, tz) -> datetime.datetime | None:
    """The aware instant for a local date and time, or None when the clock skips that time (spring forward)."""
    instant = datetime.datetime.combine(day, start, tzinfo=tz)
    round_trip = instant.astimezone(datetime.UTC).astimezone(tz)
    if round_trip.replace(tzinfo=None) != instant.replace(tzinfo=None):
        return None
    return instant


class CandidateTimeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: CandidateTime) -> str:
        return obj.label


class WeeklyTimeForm(forms.Form):
    """A choice among the programme's candidate weekly times (changing a confirmed time asks only this)."""

    candidate_time = CandidateTimeChoiceField(
        queryset=CandidateTime.objects.none(), widget=forms.RadioSelect, label="Weekly time", empty_label=None
    )

    def __init__(self, *args, programme, labels: dict[int, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["candidate_time"]
        field.queryset = CandidateTime.objects.filter(programme=programme).select_related("programme")
        if labels:
            field.label_from_instance = lambda obj: labels.get(obj.pk, obj.label)


def kept_dates(values: list[str]) -> set[datetime.date]:
    """The bank-holiday dates the manager chose to hold a session on (the preview's ticked boxes)."""
    kept = set()
    for value in values:
        try:
            kept.add(datetime.date.fromisoformat(value))
        except ValueError:
            continue
    return kept


class ScheduleConfirmForm(FreeTextMixin, WeeklyTimeForm):
    join_url = forms.URLField(
        label="Join link",
        required=False,
        assume_scheme="https",
        help_text="Used for every session; change any later.",
    )
    venue = forms.CharField(
        label="Venue", required=False, max_length=200, help_text="Only if meeting face to face."
    )


class LocalTimeForm(forms.Form):
    """A local date and start time in the programme's zone, turned into an aware `starts_at`."""

    date = forms.DateField(widget=DateInput())
    start_time = forms.TimeField(
        label="Start time", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )

    def __init__(self, *args, tz, now=None, **kwargs):
        self.tz = tz
        self.now = now or timezone.now()
        super().__init__(*args, **kwargs)
        self.fields["start_time"].help_text = f"Local time ({tz.key})."

    def clean(self):
        cleaned = super().clean()
        day, start = cleaned.get("date"), cleaned.get("start_time")
        if day is None or start is None:
            return cleaned
        instant = local_instant(day, start, self.tz)
        if instant is None:
            self.add_error(
                "start_time", "The clocks go forward at that time on that day; choose another time."
            )
        elif instant <= self.now:
            self.add_error("date", "Choose a time in the future.")
        else:
            cleaned["starts_at"] = instant
        return cleaned


class SessionMoveForm(LocalTimeForm):
    pass


class SessionAddForm(FreeTextMixin, LocalTimeForm):
    topic = forms.CharField(required=False, max_length=200)
    join_url = forms.URLField(label="Join link", required=False, assume_scheme="https")
    venue = forms.CharField(required=False, max_length=200)


class SessionDetailsForm(FreeTextMixin, forms.ModelForm):
    join_url = forms.URLField(
        label="Join link",
        required=False,
        assume_scheme="https",
        help_text=(
            "The video call's address. Members reach it through their own join link, which opens it from 15 "
            "minutes before, so a change here reaches them at once; guests are sent it directly. Everyone's "
            "calendar is updated."
        ),
    )

    class Meta:
        model = Session
        fields = ["topic", "join_url", "venue", "agenda", "manager_notes"]
        labels = {"join_url": "Join link", "manager_notes": "Notes (only staff see these)"}
        widgets = {
            "agenda": forms.Textarea(attrs={"rows": 4}),
            "manager_notes": forms.Textarea(attrs={"rows": 3}),
        }


class SessionNotesForm(FreeTextMixin, forms.ModelForm):
    class Meta:
        model = Session
        fields = ["notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 14})}


class SessionCancelForm(FreeTextMixin, forms.Form):
    reason = forms.CharField(
        required=False,
        max_length=500,
        help_text="Optional; included in the cancellation email.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    confirm = forms.BooleanField(label="Yes, cancel this session and tell everyone", required=True)


class GuestForm(FreeTextMixin, forms.ModelForm):
    class Meta:
        model = Guest
        fields = ["name", "email", "topic"]

    def __init__(self, *args, session, **kwargs):
        self.session = session
        super().__init__(*args, **kwargs)

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if Guest.objects.filter(session=self.session, email__iexact=email).exists():
            raise forms.ValidationError("This person is already invited to this session.")
        return email

    def validate_unique(self):
        # The session is not a form field; the email check above covers the constraint.
        pass


class ApologiesForm(FreeTextMixin, forms.Form):
    note = forms.CharField(
        label="Note for the manager (optional)", required=False, max_length=300, widget=forms.TextInput()
    )


class AttendanceForm(forms.Form):
    """One choice per member, starting from `existing` (sessions_app.selectors.attendance_start: what the
    manager saved, else the join links and apologies); `joins` (member id -> time) are said beside each name."""

    def __init__(
        self,
        *args,
        members,
        existing: dict[int, str],
        joins: dict[int, datetime.datetime] | None = None,
        tz=None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.members = list(members)
        joins = joins or {}
        for member in self.members:
            joined_at = joins.get(member.pk)
            self.fields[f"member_{member.pk}"] = forms.ChoiceField(
                label=f"{member.name} ({member.organisation})",
                choices=AttendanceStatus.choices,
                initial=existing.get(member.pk, AttendanceStatus.ATTENDED),
                widget=forms.RadioSelect,
                help_text=(
                    f"Joined through their link at {local_text(joined_at, tz, CLOCK)}." if joined_at else ""
                ),
            )

    def statuses(self) -> dict[int, str]:
        return {member.pk: self.cleaned_data[f"member_{member.pk}"] for member in self.members}


class GuestOfferForm(FreeTextMixin, forms.ModelForm):
    """An alumnus offering to contribute to a later group: what they could talk about."""

    class Meta:
        model = GuestOffer
        fields = ["note"]
        labels = {"note": "What could you talk about or lead?"}
        widgets = {"note": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"note": "A sentence or two: the programme team reads it when planning a later group."}


class GuestOfferInviteForm(forms.Form):
    """Staff take up an offer: the session (of a later group) to invite the person to. The choices are worked out
    for all offers at once (`guest_offers_with_sessions`), so the staff page stays a few queries."""

    session = forms.TypedChoiceField(
        coerce=int, label="Invite to a session", widget=forms.Select(attrs={"class": "form-select"})
    )

    def __init__(self, *args, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].choices = [("", "Choose a session")] + [
            (
                s.pk,
                f"{s.cohort.programme.title}, {s.cohort.name}, session {s.number}: "
                f"{local_text(s.starts_at, s.cohort.programme.timezone, DAY_TIME)}",
            )
            for s in sessions
        ]
