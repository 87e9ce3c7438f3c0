"""Sharing events and the network digest. Imported by learning/models.py, so they belong to the learning app."""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from cohort_site.core.fields import BoundedTextField

from .enums import RegistrationStatus, SubscriberStatus


class NetworkEvent(models.Model):
    """An online sharing event for the wider network, with its own public page and registration by email.

    Its registrations change status only through `registration_set_status` (network/services.py), which holds the
    event's row locked, so the places taken never exceed `capacity`."""

    title = models.CharField(max_length=200)
    description = BoundedTextField(
        max_length=5000,
        help_text="What the session is about and who it is for. Markdown: *emphasis*, lists, links.",
    )
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(
        default=60,
        validators=[MinValueValidator(15), MaxValueValidator(480)],
        verbose_name="length in minutes",
    )
    video_link = models.URLField(
        max_length=500, help_text="Sent only to people with a place, in their confirmation and reminder."
    )
    capacity = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(1000)], verbose_name="places"
    )
    registration_open = models.BooleanField(default=True, help_text="Untick to stop new registrations.")
    is_published = models.BooleanField(
        default=True, verbose_name="published", help_text="Shown on the public list of sharing events."
    )
    # Rises on every change of time or link, so calendars update the event in place.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    # Set once when staff cancel the event (`event_cancel`): everyone registered is told, nothing more is sent.
    cancelled_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A member may propose an event: it waits unpublished until staff publish it (`event_save`).
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposed_network_events",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = "sharing event"
        constraints = [
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="network_event_has_places"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("learning:event", kwargs={"pk": self.pk})

    @property
    def ends_at(self) -> datetime.datetime:
        return self.starts_at + datetime.timedelta(minutes=self.duration_minutes)


class EventRegistration(models.Model):
    """Someone from the network registered for a sharing event. Not a member: no account, nothing of any group."""

    event = models.ForeignKey(NetworkEvent, on_delete=models.CASCADE, related_name="registrations")
    name = models.CharField(max_length=150)
    organisation = models.CharField(max_length=200)
    email = models.EmailField(max_length=254)
    status = models.CharField(max_length=12, choices=RegistrationStatus.choices)
    created_at = models.DateTimeField(default=timezone.now)
    # When the status last changed: the waitlist is in the order people joined it.
    status_changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["event", "status_changed_at", "pk"]
        constraints = [
            models.UniqueConstraint("event", Lower("email"), name="event_registration_once_per_address"),
        ]
        indexes = [models.Index(fields=["event", "status", "status_changed_at"])]

    def __str__(self) -> str:
        return f"{self.name} for {self.event}"


class DigestSubscriber(models.Model):
    """An address that asked for the monthly network digest. Nothing is sent before it is confirmed (double
    opt-in); unsubscribing is the mail app's opt-out of the digest kind, honoured by every send."""

    email = models.EmailField(max_length=254)
    status = models.CharField(
        max_length=10, choices=SubscriberStatus.choices, default=SubscriberStatus.PENDING
    )
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "digest subscriber"
        constraints = [models.UniqueConstraint(Lower("email"), name="digest_subscriber_once_per_address")]

    def __str__(self) -> str:
        return self.email


class DigestIssue(models.Model):
    """One month's digest, as the manager previewed and sent it: the entries and events it lists are fixed when
    she presses send, so every subscriber gets exactly what the preview showed. The dispatcher sends it."""

    month = models.DateField(unique=True, help_text="The first day of the month it is for.")
    entry_ids = models.JSONField(default=list)
    event_ids = models.JSONField(default=list)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-month"]
        verbose_name = "network digest"

    def __str__(self) -> str:
        return f"Network digest, {self.month:%B %Y}"
