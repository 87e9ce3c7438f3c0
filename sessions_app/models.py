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
