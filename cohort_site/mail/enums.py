from django.db import models


class EmailStatus(models.TextChoices):
    DRAFT = "draft", "Draft (waiting for the manager)"
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    SKIPPED = "skipped", "Not sent (unsubscribed)"


# Waits between attempts after a temporary SMTP failure: 1, 5, 15 and 60 minutes, then the email fails.
RETRY_DELAYS_MINUTES = (1, 5, 15, 60)


class OptionalEmail(models.TextChoices):
    """The kinds of email a person may turn off (each carries an unsubscribe link); the rest are essential."""

    DROP_IN_REMINDER = "drop-in-reminder", "A reminder shortly before a drop-in you registered for"
    APPLY_REMINDER = "apply-reminder", "A reminder to apply before the deadline"
    COFFEE_NUDGE = "coffee-nudge", "A nudge half-way through a coffee round when nobody has said “we met”"
    FEEDBACK_REMINDER = "learning-session-feedback-reminder", "A reminder to give feedback on a session"
    SURVEY_REMINDER = "learning-survey-reminder", "A reminder to answer the mid-point check-in or evaluation"
