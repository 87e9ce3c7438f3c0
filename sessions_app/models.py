from django.db import models
from django.utils import timezone

from applications.models import Application, Cohort

from .enums import AttendanceStatus, SessionKind, SessionStatus


class Session(models.Model):
    """One meeting of a cohort. Numbered from 1; times are aware, computed from the cohort's local weekly time."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="sessions")
    number = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=12, choices=SessionKind.choices, default=SessionKind.SESSION)
    status = models.CharField(max_length=10, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    topic = models.CharField(max_length=200, blank=True, help_text="Set later, with the group.")
    join_url = models.URLField(blank=True)
    venue = models.CharField(max_length=200, blank=True, help_text="Where to meet face to face, if at all.")
    agenda = models.TextField(blank=True)
    manager_notes = models.TextField(blank=True)
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


class Attendance(models.Model):
    """A member's apologies before a session, or the manager's record of attendance after it."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attendance")
    status = models.CharField(max_length=10, choices=AttendanceStatus.choices)
    note = models.CharField(max_length=300, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "attendance"
        constraints = [models.UniqueConstraint(fields=["session", "member"], name="attendance_unique")]

    def __str__(self) -> str:
        return f"{self.member.name} at {self.session}: {self.get_status_display()}"
