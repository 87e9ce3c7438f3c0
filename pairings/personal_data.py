from applications.personal_data import applications_of_subject
from cohort_site.core.data_subjects import DataSubject, personal_data_source, rows

from .enums import RoundStatus
from .models import PairMember, SkipRequest


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
        }

    def erase(self, subject: DataSubject) -> None:
        # Pairs, "we met" dates and skips hold no name or text of their own: they point at the application, which
        # the applications source anonymises. They stay, so the programme's coffee figures still add up, and the
        # partners' own records keep their round (with "Erased person" as the partner's name).
        return None
