from django.db import models


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", "Has a place"
    WAITLISTED = "waitlisted", "On the waitlist"
    CANCELLED = "cancelled", "Cancelled"


# The statuses that take one of an event's places.
PLACE_TAKING = (RegistrationStatus.CONFIRMED,)


class SubscriberStatus(models.TextChoices):
    PENDING = "pending", "Waiting for them to confirm"
    CONFIRMED = "confirmed", "Subscribed"
