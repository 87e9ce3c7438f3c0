"""Permission predicates for coffee pairs (a refusal is a 404)."""

from applications.models import Application
from cohort_site.core.rules import is_active_staff

from .models import PairMember


def can_manage_pairs(user) -> bool:
    return is_active_staff(user)


def can_mark_met(user, membership: PairMember) -> bool:
    return bool(
        user.is_authenticated and membership.member.user_id == user.pk and membership.round.is_published
    )


def can_skip_round(member: Application | None, round_) -> bool:
    return member is not None and round_ is not None and round_.cohort_id == member.cohort_id
