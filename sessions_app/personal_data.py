from django.db.models import Q

from applications.personal_data import applications_of_subject
from cohort_site.core.data_subjects import (
    ERASED_NAME,
    DataSubject,
    erased_email,
    personal_data_source,
    rows,
)

from .models import (
    Attendance,
    ChallengeKeptPrivate,
    GroupTopic,
    Guest,
    GuestOffer,
    SessionJoin,
    TopicMergeSuggestion,
    TopicVote,
)


def _offers_of(subject: DataSubject) -> Q:
    return Q(user=subject.user) if subject.user is not None else Q(user__email__iexact=subject.email)


@personal_data_source("schedule")
class ScheduleData:
    def quoted(self, subject: DataSubject) -> set[str]:
        # An apology's note is copied into the manager's email.
        members = applications_of_subject(subject)
        return set(Attendance.objects.filter(member__in=members).values_list("note", flat=True))

    def names(self, subject: DataSubject) -> set[str]:
        return set(Guest.objects.filter(email__iexact=subject.email).values_list("name", flat=True))

    def export(self, subject: DataSubject) -> dict[str, list[dict]]:
        return {
            "attendance": rows(
                Attendance.objects.filter(member__in=applications_of_subject(subject)).order_by(
                    "session__starts_at"
                ),
                ["session__number", "session__starts_at", "status", "note", "apologised_at"],
            ),
            "joined_through_link": rows(
                SessionJoin.objects.filter(member__in=applications_of_subject(subject)).order_by(
                    "session__starts_at"
                ),
                ["session__number", "session__starts_at", "joined_at"],
            ),
            "topics_proposed": rows(
                GroupTopic.objects.filter(proposed_by__in=applications_of_subject(subject)).order_by(
                    "created_at"
                ),
                ["title", "description", "from_application", "created_at"],
            ),
            "topic_votes": rows(
                TopicVote.objects.filter(member__in=applications_of_subject(subject)).order_by("voted_at"),
                ["topic__title", "voted_at"],
            ),
            "challenge_kept_to_yourself": rows(
                ChallengeKeptPrivate.objects.filter(member__in=applications_of_subject(subject)),
                ["decided_at"],
            ),
            "topic_merges_suggested": rows(
                TopicMergeSuggestion.objects.filter(
                    suggested_by__in=applications_of_subject(subject)
                ).order_by("suggested_at"),
                ["topic__title", "into__title", "suggested_at"],
            ),
            "guest_invitations": rows(
                Guest.objects.filter(email__iexact=subject.email),
                ["session__number", "session__starts_at", "name", "email", "topic"],
            ),
            "offers_to_contribute": rows(
                GuestOffer.objects.filter(_offers_of(subject)),
                ["note", "offered_at", "guest__session__number"],
            ),
        }

    def erase(self, subject: DataSubject) -> None:
        GuestOffer.objects.filter(_offers_of(subject)).delete()
        Attendance.objects.filter(member__in=applications_of_subject(subject)).update(note="")
        # When they clicked is theirs; whether they attended is the manager's record, kept anonymously.
        SessionJoin.objects.filter(member__in=applications_of_subject(subject)).delete()
        # A topic's title is the group's (a session may carry it); what they wrote about it, often their
        # application's challenge, is theirs. Their votes and merge suggestions stay, with their place erased.
        GroupTopic.objects.filter(proposed_by__in=applications_of_subject(subject)).update(description="")
        for guest in Guest.objects.filter(email__iexact=subject.email):
            guest.name, guest.email, guest.topic = ERASED_NAME, erased_email(guest.pk), ""
            guest.save(update_fields=["name", "email", "topic"])
