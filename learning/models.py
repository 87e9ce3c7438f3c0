import datetime
import zoneinfo

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from applications.models import Application, Cohort, Programme
from cohort_site.core.fields import BoundedTextField
from sessions_app.models import Session

from .enums import EntryKind, QuestionKind, SurveyKind, Visibility
from .network.models import DigestIssue, DigestSubscriber, EventRegistration, NetworkEvent

__all__ = [
    "Authorship",
    "DigestIssue",
    "DigestSubscriber",
    "Entry",
    "EventRegistration",
    "NetworkEvent",
    "ReadingItem",
    "ReadingTick",
    "SessionFeedback",
    "SharingEvent",
    "Survey",
    "SurveyAnswer",
    "SurveyQuestion",
    "SurveyResponse",
    "Topic",
]

# The baseline opens a week before the group's first session, so it is answered before the programme has any effect.
BASELINE_OPENS_BEFORE = datetime.timedelta(days=7)
# The follow-up opens at 9:00 in the programme's time zone, `follow_up_days` after the group's last session.
FOLLOW_UP_AT = datetime.time(9, 0)

WIDER_AUDIENCE_CHOICES = [(Visibility.NETWORK.value, "The network"), (Visibility.PUBLIC.value, "Everyone")]


class Topic(models.Model):
    """A tag on learning entries, shared by all programmes so the library can be browsed across them."""

    name = models.CharField(max_length=60)
    slug = models.SlugField(
        "web address",
        max_length=70,
        unique=True,
        help_text="The end of the topic's address in the library: small letters, numbers and hyphens.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Entry(models.Model):
    """A piece of learning the group writes: notes, a blog post, a resource, a question or a practice story.

    `visibility` is written only by `learning.services.entry_visibility_sync`; who may read an entry is decided
    only by `learning.selectors.entries_visible_to`.
    """

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="learning_entries")
    cohort = models.ForeignKey(
        Cohort, on_delete=models.PROTECT, related_name="learning_entries", verbose_name="group"
    )
    kind = models.CharField(max_length=20, choices=EntryKind.choices, default=EntryKind.STORY)
    title = models.CharField(max_length=200)
    # A long blog post or practice story (about 3,000 words).
    body = BoundedTextField(
        max_length=20000, help_text="Markdown: *emphasis*, **strong**, lists, links and headings."
    )
    link = models.URLField(max_length=500, blank=True, help_text="For a resource: where to find it.")
    topics = models.ManyToManyField(Topic, blank=True, related_name="entries")
    session = models.ForeignKey(
        Session, on_delete=models.SET_NULL, null=True, blank=True, related_name="learning_entries"
    )
    authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Authorship", related_name="learning_entries"
    )
    visibility = models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.DRAFT)
    # Sharing beyond the group: what the authors propose, and what the manager approved.
    audience_requested = models.CharField(max_length=10, choices=WIDER_AUDIENCE_CHOICES, blank=True)
    approved_audience = models.CharField(max_length=10, choices=WIDER_AUDIENCE_CHOICES, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True, help_text="First shown to the group.")
    made_public_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # Drafts (seen only by their authors) first, then newest shared first.
        ordering = [models.F("published_at").desc(nulls_first=True), "-created_at", "-pk"]
        verbose_name_plural = "entries"
        constraints = [
            models.UniqueConstraint(
                fields=["session"],
                condition=models.Q(kind=EntryKind.SESSION_NOTES),
                name="learning_one_notes_per_session",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind=EntryKind.RESOURCE) | ~models.Q(link=""),
                name="learning_resource_has_link",
            ),
        ]
        indexes = [
            models.Index(fields=["visibility", "programme"]),
            models.Index(fields=["visibility", "cohort"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("learning:detail", kwargs={"pk": self.pk})


class Authorship(models.Model):
    """An author of an entry and their consent to share it beyond the group (to the network, or publicly)."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="authorships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="authorships")
    consent_audience = models.CharField(max_length=10, choices=WIDER_AUDIENCE_CHOICES, blank=True)
    consented_at = models.DateTimeField(null=True, blank=True)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["entry", "user"], name="learning_authorship_unique")]

    def __str__(self) -> str:
        return f"{self.user} on {self.entry}"


class SharingEvent(models.Model):
    """The record of every step in sharing an entry: requests, consents, withdrawals, approvals, edits."""

    class Action(models.TextChoices):
        PUBLISHED = "published", "Shared with the group"
        REQUESTED = "requested", "Proposed sharing"
        CONSENTED = "consented", "Consented"
        WITHDRAWN = "withdrawn", "Withdrew consent"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"
        RESET = "reset", "Consents cleared by an edit"
        VISIBILITY = "visibility", "Visibility changed"

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="sharing_events")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    action = models.CharField(max_length=12, choices=Action.choices)
    audience = models.CharField(max_length=10, choices=Visibility.choices, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.audience}".strip()


class ReadingItem(models.Model):
    """Something to read or watch for a programme's self-directed learning."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="reading_items")
    title = models.CharField(max_length=200)
    source = models.CharField(max_length=150, blank=True, help_text="Who published it.")
    url = models.URLField(max_length=500)
    description = BoundedTextField(max_length=1000, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["programme", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["programme", "url"], name="reading_item_unique_url")]

    def __str__(self) -> str:
        return self.title


class ReadingTick(models.Model):
    item = models.ForeignKey(ReadingItem, on_delete=models.CASCADE, related_name="ticks")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reading_ticks")
    ticked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "user"], name="reading_tick_unique")]

    def __str__(self) -> str:
        return f"{self.user} read {self.item}"


class SessionFeedback(models.Model):
    """A member's short feedback on a session they attended. Seen by the manager only."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="feedback")
    member = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="session_feedback")
    rating = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    what_worked = BoundedTextField(max_length=2000, blank=True)
    what_to_change = BoundedTextField(max_length=2000, blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["session", "submitted_at", "pk"]
        verbose_name_plural = "session feedback"
        constraints = [
            models.UniqueConstraint(fields=["session", "member"], name="session_feedback_once"),
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=5), name="session_feedback_rating_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member.name} on {self.session}: {self.rating}"


class Survey(models.Model):
    """The mid-point check-in or the end-of-programme evaluation of a programme; the manager edits its questions.

    It opens for each cohort when that cohort's session number `opens_after_session` has ended.
    """

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="surveys")
    kind = models.CharField(max_length=12, choices=SurveyKind.choices)
    title = models.CharField(max_length=200)
    intro = BoundedTextField(max_length=2000, blank=True, help_text="Shown above the questions. Markdown.")
    opens_after_session = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1)],
        help_text="Opens for a group when its session with this number ends.",
    )
    follow_up_days = models.PositiveSmallIntegerField(
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(730)],
        help_text="For the follow-up: how many days after the group's last session it is sent (at 9:00).",
    )

    class Meta:
        ordering = ["programme", "opens_after_session", "pk"]
        constraints = [models.UniqueConstraint(fields=["programme", "kind"], name="survey_one_per_kind")]

    def __str__(self) -> str:
        return f"{self.title} ({self.programme.title})"

    def get_absolute_url(self) -> str:
        return reverse("learning:survey", kwargs={"pk": self.pk})

    def opens_at(
        self, starts_at: datetime.datetime, ends_at: datetime.datetime, tz: zoneinfo.ZoneInfo
    ) -> datetime.datetime:
        """When the survey opens for a group, given the start and end of its session `opens_after_session`: the
        baseline a week before it starts, the follow-up at 9:00 local `follow_up_days` after it ends, the others
        as it ends."""
        if self.kind == SurveyKind.BASELINE:
            return starts_at - BASELINE_OPENS_BEFORE
        if self.kind == SurveyKind.FOLLOW_UP:
            day = ends_at.astimezone(tz).date() + datetime.timedelta(days=self.follow_up_days)
            return datetime.datetime.combine(day, FOLLOW_UP_AT, tzinfo=tz)
        return ends_at


class SurveyQuestion(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=300)
    help_text = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=8, choices=QuestionKind.choices, default=QuestionKind.TEXT)
    is_active = models.BooleanField(default=True, help_text="Retired questions keep their answers.")
    # The outcome item it asks (learning.outcomes): the same item in the baseline, the evaluation and the
    # follow-up is compared person by person. Blank for a question of one survey only.
    item = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["survey", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "item"], condition=~models.Q(item=""), name="survey_question_item_once"
            )
        ]

    def __str__(self) -> str:
        return self.text


class SurveyResponse(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    member = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="survey_responses")
    may_quote = models.BooleanField(
        default=False,
        help_text="The member agreed that their written answers may be quoted, without their name, in reports.",
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["survey", "submitted_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["survey", "member"], name="survey_response_once")]

    def __str__(self) -> str:
        return f"{self.member.name}: {self.survey.title}"


class SurveyAnswer(models.Model):
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(SurveyQuestion, on_delete=models.PROTECT, related_name="answers")
    rating = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    text = BoundedTextField(max_length=3000, blank=True)

    class Meta:
        ordering = ["response", "question__order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="survey_answer_once"),
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.rating or self.text[:40]}"


class AdviceContact(models.Model):
    """In the baseline or the evaluation, a member ticked someone of their group whom they would feel comfortable
    contacting for advice. Optional and private: only the manager's counts of connections use it."""

    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="advice_contacts")
    contact = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["response", "contact__name", "pk"]
        constraints = [models.UniqueConstraint(fields=["response", "contact"], name="advice_contact_once")]

    def __str__(self) -> str:
        return f"{self.response.member.name} → {self.contact.name}"
