from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from .enums import EmailKind, EmailStatus, OptionalEmail, SkipReason


class OutgoingEmail(models.Model):
    """One message to one person. Created by `email_queue`, sent by the `emails_send` task, never twice.
    Its status changes only through `emails_set_status` (mail/services/status.py).

    `key` names the message's purpose and subject (e.g. ``session-reminder:12:34``); a second message with the
    same key is the first one, which is what makes every notice and reminder happen once.
    """

    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=60, choices=EmailKind.choices, db_index=True)
    to = models.EmailField(max_length=254)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="emails"
    )
    reply_to = models.EmailField(blank=True)
    subject = models.CharField(max_length=300)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    # What only the recipient may read (a sign-in code, a password reset link): stored apart from the text,
    # which carries a placeholder instead, put back into the message as it is sent and forgotten once it is sent
    # or has failed. Never shown: not in the outbox, not in the admin (not editable), not in a data export.
    secrets = models.JSONField(default=dict, blank=True, editable=False)
    optional = models.BooleanField(
        default=False, help_text="Optional nudges carry an unsubscribe link; essential messages do not."
    )
    status = models.CharField(
        max_length=10, choices=EmailStatus.choices, default=EmailStatus.QUEUED, db_index=True
    )
    skip_reason = models.CharField(
        max_length=20, choices=SkipReason.choices, blank=True, help_text="Why a skipped message was not sent."
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When a send task for it was last published: the sweeper publishes again only what was never "
        "published (the broker was down), fell due since, or was published so long ago that the task was lost.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    status_changed_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    text_started_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When this attempt began to send the text to the mail server: from then on, a failure without "
        "the server's answer leaves it unknown whether the message went.",
    )

    # A draft edited by staff (its subject and text are then the manager's): when, and the programme's own
    # wording as it was before the first edit, kept while it waits so that what the programme brings up to date
    # as it is sent (an offer's deadline) is carried into the edit (`email_draft_edit`, `emails_send_drafts`).
    edited_at = models.DateTimeField(null=True, blank=True)
    original_subject = models.CharField(max_length=300, blank=True)
    original_text = models.TextField(blank=True)

    about_type = models.ForeignKey(ContentType, on_delete=models.SET_NULL, null=True, blank=True)
    about_id = models.PositiveBigIntegerField(null=True, blank=True)
    about = GenericForeignKey("about_type", "about_id")

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["about_type", "about_id"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(status=EmailStatus.SKIPPED) & ~models.Q(skip_reason=""))
                | (~models.Q(status=EmailStatus.SKIPPED) & models.Q(skip_reason="")),
                name="outgoing_email_skipped_says_why",
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to}"

    @property
    def status_label(self) -> str:
        """The status in words, saying why a message was not sent."""
        if self.status == EmailStatus.SKIPPED and self.skip_reason:
            return self.get_skip_reason_display()
        return self.get_status_display()


class EmailAttachment(models.Model):
    email = models.ForeignKey(OutgoingEmail, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(max_length=200)
    mimetype = models.CharField(max_length=100)
    content = models.BinaryField()

    def __str__(self) -> str:
        return self.filename


class EmailOptOut(models.Model):
    """Someone who asked for no more optional emails of one kind."""

    email = models.EmailField(max_length=254)
    kind = models.CharField(max_length=60, choices=OptionalEmail.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(Lower("email"), "kind", name="email_opt_out_unique")]

    def __str__(self) -> str:
        return f"{self.email} opted out of {self.kind}"
