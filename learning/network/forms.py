import zoneinfo

from django import forms
from django.conf import settings

from applications.forms import PublicFormMixin
from cohort_site.core.dates import local
from cohort_site.core.forms import FreeTextMixin, WebLinkField
from cohort_site.core.words import counted
from sessions_app.forms import LocalTimeForm, local_instant

from .models import NetworkEvent
from .selectors import places_taken

REQUIRED = "required"
EMAIL_MESSAGES = {
    REQUIRED: "Enter your email address.",
    "invalid": "Enter an email address like name@example.org.",
}


class EventForm(FreeTextMixin, LocalTimeForm):
    """A sharing event, as staff publish it: its day and start time in UK time."""

    title = forms.CharField(max_length=200, error_messages={REQUIRED: "Enter the event's title."})
    description = forms.CharField(
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What the session is about and who it is for. Markdown: *emphasis*, lists, links.",
        error_messages={REQUIRED: "Say what the event is about."},
    )
    duration_minutes = forms.IntegerField(
        label="Length in minutes",
        min_value=15,
        max_value=480,
        initial=60,
        error_messages={REQUIRED: "Enter how long it lasts, in minutes."},
    )
    video_link = WebLinkField(
        label="Video call link",
        max_length=500,
        help_text="Sent only to people with a place, in their confirmation and reminder.",
        error_messages={REQUIRED: "Enter the video call's link."},
    )
    capacity = forms.IntegerField(
        label="Places",
        min_value=1,
        max_value=1000,
        help_text="When they are taken, people join a waitlist and move up as others cancel.",
        error_messages={REQUIRED: "Enter how many places there are."},
    )
    registration_open = forms.BooleanField(
        label="Registration open", required=False, initial=True, help_text="Untick to stop new registrations."
    )
    is_published = forms.BooleanField(
        label="Published",
        required=False,
        initial=True,
        help_text="Shown on the public list of sharing events.",
    )

    field_order = ["title", "description", "date", "start_time", "duration_minutes", "video_link", "capacity"]

    def __init__(self, *args, event: NetworkEvent | None = None, **kwargs):
        self.event = event
        if event is not None and "initial" not in kwargs:
            starts = local(event.starts_at, settings.TIME_ZONE)
            kwargs["initial"] = {
                "title": event.title,
                "description": event.description,
                "date": starts.date(),
                "start_time": starts.time(),
                "duration_minutes": event.duration_minutes,
                "video_link": event.video_link,
                "capacity": event.capacity,
                "registration_open": event.registration_open,
                "is_published": event.is_published,
            }
        super().__init__(*args, tz=zoneinfo.ZoneInfo(settings.TIME_ZONE), **kwargs)
        self.fields["start_time"].help_text = "UK time."

    def clean(self):
        """A time in the future, as for any new event; an event that has taken place keeps its own time, so it
        can still be unpublished or corrected."""
        day, start = self.cleaned_data.get("date"), self.cleaned_data.get("start_time")
        cleaned = super().clean()
        unchanged = (
            self.event is not None
            and self.event.pk is not None
            and day is not None
            and start is not None
            and local_instant(day, start, self.tz) == self.event.starts_at
        )
        if unchanged and "starts_at" not in cleaned:
            self.errors.pop("date", None)
            cleaned["date"], cleaned["starts_at"] = day, self.event.starts_at
        return cleaned

    def clean_capacity(self):
        capacity = self.cleaned_data["capacity"]
        if self.event is not None and self.event.pk is not None:
            taken = places_taken(self.event)
            if capacity < taken:
                self.add_error(
                    "capacity",
                    f"{counted(taken, 'person has', 'people have')} a place already: keep at least {taken} "
                    "places, or ask some to cancel.",
                )
        return capacity

    def apply(self, event: NetworkEvent) -> NetworkEvent:
        """The event with the form's values (not saved: `event_save` does that)."""
        data = self.cleaned_data
        event.title = data["title"]
        event.description = data["description"]
        event.starts_at = data["starts_at"]
        event.duration_minutes = data["duration_minutes"]
        event.video_link = data["video_link"]
        event.capacity = data["capacity"]
        event.registration_open = data["registration_open"]
        event.is_published = data["is_published"]
        return event


class RegistrationForm(PublicFormMixin):
    name = forms.CharField(label="Your name", max_length=150, error_messages={REQUIRED: "Enter your name."})
    organisation = forms.CharField(
        label="Organisation", max_length=200, error_messages={REQUIRED: "Enter your organisation."}
    )
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="We send your place (or your place on the waitlist), the joining link and a reminder here.",
        error_messages=EMAIL_MESSAGES,
    )
    consent = forms.BooleanField(
        label="I agree to the Jo Cox Foundation keeping these details to run this event.",
        error_messages={REQUIRED: "Tick the box to agree, or we cannot register you."},
    )

    field_order = ["name", "organisation", "email", "consent", "website"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["organisation"].widget.attrs["autocomplete"] = "organization"
        self.fields["email"].widget.attrs["autocomplete"] = "email"


class DigestSubscribeForm(PublicFormMixin):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="We email you a link to confirm; nothing else is sent until you do.",
        error_messages=EMAIL_MESSAGES,
    )

    field_order = ["email", "website"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "email"


class ProposalForm(EventForm):
    """A member's proposal: what staff need to publish it. Staff set whether it is published."""

    field_order = ["title", "description", "date", "start_time", "duration_minutes", "video_link", "capacity"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["registration_open"]
        del self.fields["is_published"]
        self.fields["video_link"].help_text = "The video call you will host it on; staff can change it."
        self.fields["capacity"].help_text = "How many people can take part."

    def apply(self, event: NetworkEvent) -> NetworkEvent:
        self.cleaned_data.setdefault("registration_open", True)
        self.cleaned_data.setdefault("is_published", False)
        return super().apply(event)
