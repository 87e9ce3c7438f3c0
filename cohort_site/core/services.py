from django.db.models import F
from django.utils import timezone

from .models import Heartbeat


def heartbeat_record(*, name: str = "worker") -> Heartbeat:
    """Note that a worker is alive; safe to run any number of times, from any number of workers."""
    now = timezone.now()
    heartbeat, created = Heartbeat.objects.get_or_create(name=name, defaults={"beat_at": now, "count": 1})
    if not created:
        Heartbeat.objects.filter(pk=heartbeat.pk).update(beat_at=now, count=F("count") + 1)
        heartbeat.refresh_from_db()
    return heartbeat
