"""What the network pages hold about a person: their registrations for sharing events and their digest
subscription (found by their address: registrants and subscribers have no account)."""

from cohort_site.core.data_subjects import DataSubject, personal_data_source, rows

from .models import DigestSubscriber, EventRegistration, NetworkEvent
from .services import registrations_erase


@personal_data_source("network")
class NetworkData:
    def export(self, subject: DataSubject) -> dict[str, list[dict]]:
        data = {
            "sharing_event_registrations": rows(
                EventRegistration.objects.filter(email__iexact=subject.email).order_by("created_at", "pk"),
                ["event__title", "event__starts_at", "name", "organisation", "email", "status", "created_at"],
            ),
            "network_digest_subscription": rows(
                DigestSubscriber.objects.filter(email__iexact=subject.email),
                ["email", "status", "created_at", "confirmed_at"],
            ),
        }
        if subject.user is not None:
            # A proposal is the group's learning, for the network: it stays, under the erased account's name.
            data["sharing_events_you_proposed"] = rows(
                NetworkEvent.objects.filter(proposed_by=subject.user).order_by("created_at", "pk"),
                ["title", "starts_at", "is_published", "created_at"],
            )
        return data

    def erase(self, subject: DataSubject) -> None:
        # A registration's status stays (the event's numbers); who it was goes.
        registrations_erase(EventRegistration.objects.filter(email__iexact=subject.email))
        DigestSubscriber.objects.filter(email__iexact=subject.email).delete()

    def names(self, subject: DataSubject) -> set[str]:
        return set(
            EventRegistration.objects.filter(email__iexact=subject.email).values_list("name", flat=True)
        )
