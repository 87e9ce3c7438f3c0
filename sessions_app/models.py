from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from applications.enums import Weekday
from applications.models import Application, CandidateTime, Cohort
from cohort_site.core.fields import BoundedTextField

from .enums import AttendanceStatus, SessionKind, SessionStatus


class Session(models.Model):
    """One meeting of a cohort. Numbered from 1; times are aware, computed from the cohort's local weekly time."""

    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="sessions", verbose_name="group"
    )
    number = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=12, choices=SessionKind.choices, default=SessionKind.SESSION)
    status = models.CharField(max_length=10, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    topic = models.CharField(max_length=200, blank=True, help_text="Set later, with the group.")
    join_url = models.URLField(blank=True)
    venue = models.CharField(max_length=200, blank=True, help_text="Where to meet face to face, if at all.")
    agenda = BoundedTextField(max_length=5000, blank=True)
    manager_notes = BoundedTextField(max_length=5000, blank=True)
    # The manager's notes of what the group discussed: Markdown, read by the group once the session is over.
    notes = BoundedTextField(
        "session notes",
        max_length=20000,
        blank=True,
        help_text="Markdown: *emphasis*, **strong**, lists, links and headings.",
    )
    # Rises on every change, so calendar apps replace the old event (RFC 5545 SEQUENCE).
    sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["cohort", "number"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "number"], name="session_number_unique"),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["starts_at"])]

    def __str__(self) -> str:
        return f"{self.cohort.name}: session {self.number}"

    @property
    def is_cancelled(self) -> bool:
        return self.status == SessionStatus.CANCELLED

    @property
    def title(self) -> str:
        label = f"Session {self.number}"
        if self.kind != SessionKind.SESSION:
            label += f" ({self.get_kind_display().lower()})"
        return f"{label}: {self.topic}" if self.topic else label


class Attendance(models.Model):
    """A member's apologies before a session, or the manager's record of attendance after it."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attendance")
    status = models.CharField(max_length=10, choices=AttendanceStatus.choices)
    note = models.CharField(max_length=300, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    # Kept when the manager later records attended/absent, so the record shows who said they could not come.
    apologised_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name_plural = "attendance"
        constraints = [models.UniqueConstraint(fields=["session", "member"], name="attendance_unique")]

    def __str__(self) -> str:
        return f"{self.member.name} at {self.session}: {self.get_status_display()}"


class CohortSchedule(models.Model):
    """The weekly time the manager confirmed for a cohort; its sessions were created from it."""

    cohort = models.OneToOneField(
        Cohort, on_delete=models.CASCADE, related_name="schedule", verbose_name="group"
    )
    candidate_time = models.ForeignKey(
        CandidateTime, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    start_time = models.TimeField(help_text="Local time in the programme's time zone.")
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(default=timezone.now)
    # How many times the weekly time has been changed since it was first confirmed (names each change's emails).
    revision = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "group schedule"
        verbose_name_plural = "group schedules"

    def __str__(self) -> str:
        return f"{self.cohort.name}: {Weekday(self.weekday).label}s at {self.start_time:%H:%M}"


class Guest(models.Model):
    """An external contributor invited to one session: they get that session's invite and join link only."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="guests")
    name = models.CharField(max_length=150)
    email = models.EmailField(max_length=254)
    topic = models.CharField(max_length=200, blank=True, help_text="What they will talk about or lead.")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    invited_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["session", "name", "pk"]
        constraints = [models.UniqueConstraint("session", Lower("email"), name="guest_once_per_session")]

    def __str__(self) -> str:
        return f"{self.name} at {self.session}"


class SessionJoin(models.Model):
    """A member opened their join link while a session was on: the manager's attendance form starts from it.
    One per member per session, however many times they click (the first click's time is kept)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="joins")
    member = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="session_joins")
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "member"], name="session_join_once")]

    def __str__(self) -> str:
        return f"{self.member.name} joined {self.session}"


class GroupTopic(models.Model):
    """A topic the group could spend a session on: a member's challenge or question from their application (which
    they chose to propose), one a member or the manager added, or several merged into one. Votes choose between
    them; the manager assigns one to a session. Written only by `sessions_app.topics.services`."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="topics", verbose_name="group")
    title = models.CharField(max_length=200)
    description = BoundedTextField(max_length=3000, blank=True)
    proposed_by = models.ForeignKey(
        Application, on_delete=models.SET_NULL, null=True, blank=True, related_name="proposed_topics"
    )
    # Proposed from the challenge or question in the proposer's application (once each).
    from_application = models.BooleanField(default=False)
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="merged_topics"
    )
    session = models.OneToOneField(
        Session, on_delete=models.SET_NULL, null=True, blank=True, related_name="group_topic"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["cohort", "created_at", "pk"]
        verbose_name = "topic from the group"
        verbose_name_plural = "topics from the group"
        constraints = [
            models.UniqueConstraint(
                fields=["proposed_by"],
                condition=models.Q(from_application=True),
                name="topic_from_application_once",
            ),
            models.UniqueConstraint(
                "cohort",
                Lower("title"),
                condition=models.Q(merged_into__isnull=True),
                name="topic_title_once_per_group",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        """Still to vote on: neither merged into another nor given to a session."""
        return self.merged_into_id is None and self.session_id is None


class TopicVote(models.Model):
    """A member's vote for a topic of their group: one per member per topic, a few per member (VOTES_PER_MEMBER)."""

    topic = models.ForeignKey(GroupTopic, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="topic_votes")
    voted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["topic", "member"], name="topic_vote_once")]

    def __str__(self) -> str:
        return f"{self.member.name} for {self.topic}"


class TopicMergeSuggestion(models.Model):
    """A member thinks two topics are the same: the manager decides (and merges, or not)."""

    topic = models.ForeignKey(GroupTopic, on_delete=models.CASCADE, related_name="merge_suggestions")
    into = models.ForeignKey(GroupTopic, on_delete=models.CASCADE, related_name="+")
    suggested_by = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="topic_merge_suggestions"
    )
    suggested_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["topic", "into", "suggested_by"], name="topic_merge_suggested_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.topic} = {self.into}?"


class ChallengeKeptPrivate(models.Model):
    """A member chose not to propose their application's challenge as a topic: they are not asked again."""

    member = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="challenge_kept_private"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "challenge kept private"
        verbose_name_plural = "challenges kept private"

    def __str__(self) -> str:
        return f"{self.member.name} keeps their challenge to themselves"


class TopicBoard(models.Model):
    """A group's topics: whether the manager has published the votes to the members (hidden until then)."""

    cohort = models.OneToOneField(
        Cohort, on_delete=models.CASCADE, related_name="topic_board", verbose_name="group"
    )
    votes_published_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.cohort.name}: topics"


class GuestOffer(models.Model):
    """A member whose group has ended offering to come back as a guest contributor to a later group, with a short
    note of what they could talk about. One per person (offering again updates it); withdrawing deletes it. Once
    staff invite them to a session, `guest` is that invitation (sessions_app.services.guest_offer_invite)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="guest_offer"
    )
    note = BoundedTextField(max_length=1000, help_text="What they could talk about or lead.")
    offered_at = models.DateTimeField(default=timezone.now)
    guest = models.ForeignKey(
        Guest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Their invitation.",
    )

    class Meta:
        ordering = ["-offered_at", "pk"]

    def __str__(self) -> str:
        return f"Offer to contribute from {self.user.name or self.user.email}"
