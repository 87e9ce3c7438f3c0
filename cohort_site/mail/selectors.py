from django.db.models import Count, QuerySet

from .models import OutgoingEmail


def outbox_emails(*, kind: str = "", status: str = "") -> QuerySet[OutgoingEmail]:
    emails = OutgoingEmail.objects.only(
        "pk",
        "kind",
        "to",
        "subject",
        "status",
        "skip_reason",
        "attempts",
        "last_error",
        "created_at",
        "sent_at",
    )
    if kind:
        emails = emails.filter(kind=kind)
    if status:
        emails = emails.filter(status=status)
    return emails.order_by("-created_at", "-pk")


def outbox_counts() -> dict[str, int]:
    return dict(OutgoingEmail.objects.order_by().values_list("status").annotate(n=Count("pk")))


def outbox_kinds() -> list[str]:
    return list(OutgoingEmail.objects.order_by("kind").values_list("kind", flat=True).distinct())
