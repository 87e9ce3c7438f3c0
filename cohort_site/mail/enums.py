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
