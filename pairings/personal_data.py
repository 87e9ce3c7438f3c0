from django.db.models import Q

from applications.personal_data import applications_of_subject
from cohort_site.core.data_subjects import DataSubject, personal_data_source, rows
from cohort_site.core.models import User

from .alumni import alumni_coffee_leave
from .enums import RoundStatus
from .models import AlumniOptIn, AlumniPairMember, PairMember, SkipRequest


def _accounts(subject: DataSubject) -> Q:
    """The person's account, by itself or by the address (alumni rows belong to an account)."""
    return Q(user=subject.user) if subject.user is not None else Q(user__email__iexact=subject.email)


@personal_data_source("coffee")
class CoffeeData:
    def export(self, subject: DataSubject) -> dict[str, list[dict]]:
        members = applications_of_subject(subject)
        memberships = (
            PairMember.objects.filter(member__in=members)
            .select_related("round__cohort")
            .prefetch_related("pair__memberships__member")
            .order_by("round__opens_at", "pk")
        )
        return {
            "coffee_pairs": [
                {
                    "group": membership.round.cohort.name,
                    "round": membership.round.number,
                    "opens_at": membership.round.opens_at,
                    "closes_at": membership.round.closes_at,
                    "announced": membership.round.status == RoundStatus.PUBLISHED,
                    # Only what the person's own coffee page shows them: partners' names, once announced.
                    "partners": sorted(
                        other.member.name
                        for other in membership.pair.memberships.all()
                        if other.member_id != membership.member_id
                    )
                    if membership.round.status == RoundStatus.PUBLISHED
                    else [],
                    "met_at": membership.met_at,
                }
                for membership in memberships
            ],
            "coffee_rounds_skipped": rows(
                SkipRequest.objects.filter(member__in=members).order_by("round__opens_at", "pk"),
                ["round__cohort__name", "round__number", "created_at"],
            ),
            "alumni_coffee_opt_in": rows(AlumniOptIn.objects.filter(_accounts(subject)), ["opted_in_at"]),
            "alumni_coffee_pairs": [
                {
                    "month": membership.round.month,
                    "partners": sorted(
                        other.user.name or other.user.email
                        for other in membership.pair.memberships.all()
                        if other.user_id != membership.user_id
                    ),
                }
                for membership in AlumniPairMember.objects.filter(_accounts(subject))
                .select_related("round")
                .prefetch_related("pair__memberships__user")
                .order_by("round__month", "pk")
            ],
        }

    def erase(self, subject: DataSubject) -> None:
        # Pairs, "we met" dates and skips hold no name or text of their own: they point at the application, which
        # the applications source anonymises. They stay, so the programme's coffee figures still add up, and the
        # partners' own records keep their round (with "Erased person" as the partner's name).
        # Alumni coffee rows point at the account itself: out of the monthly pairs and this month's pair, and
        # every alumni pair they were in goes (nobody will be paired with them again, so nothing to avoid).
        user = subject.user or User.objects.filter(email__iexact=subject.email).first()
        if user is not None:
            alumni_coffee_leave(user=user)
        AlumniPairMember.objects.filter(_accounts(subject)).delete()
