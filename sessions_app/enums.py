from django.db import models


class SessionKind(models.TextChoices):
    ORIENTATION = "orientation", "Orientation"
    SESSION = "session", "Session"
    REVIEW = "review", "Review"


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    CANCELLED = "cancelled", "Cancelled"


class AttendanceStatus(models.TextChoices):
    APOLOGIES = "apologies", "Sent apologies"
    ATTENDED = "attended", "Attended"
    ABSENT = "absent", "Absent"
