import datetime

import factory
from django.utils import timezone

from learning.models import NetworkEvent


class NetworkEventFactory(factory.django.DjangoModelFactory):
    """A published sharing event a week ahead with a few places. Registrations go through the services."""

    class Meta:
        model = NetworkEvent

    title = factory.Sequence(lambda n: f"What our group learnt about befriending, part {n}")
    description = "An hour of **stories** from the group, and questions from you."
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    duration_minutes = 60
    video_link = "https://meet.example.org/sharing"
    capacity = 2
