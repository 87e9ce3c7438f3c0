"""A programme's own wording of the coffee emails (issue 20): the placeholders a coffee pair's introduction and
its half-way nudge know, and a preview with a real member of a pair (registered with applications'
`wording_register`; the check on save and the sending are there)."""

from dataclasses import replace

from django.conf import settings
from django.urls import reverse

from applications.wording import Placeholder, about, part, wording_register
from cohort_site.core.dates import SHAPES, local_text
from cohort_site.mail.enums import EmailKind

from .enums import RoundStatus
from .models import PairMember
from .reminders import pair_context

MEMBER = about("the member's name", lambda c: c["member"].name)
PARTNER_NAMES = Placeholder(
    "partner_names",
    "their pair's names (“Asha and Ben”)",
    lambda c: " and ".join(p.name for p in c["partners"]),
)
PARTNERS = Placeholder(
    "partners",
    "each of their pair: name, role, organisation, email address (and the challenge they bring, if shared)",
    part("coffee_partners"),
)
TIMES = Placeholder(
    "times",
    "the candidate times they all said suit them (empty when none)",
    lambda c: "; ".join(time.label for time in c["times"]),
)
ROUND = [
    Placeholder(
        "after_session", "the number of the session the round follows", lambda c: c["round"].after_session
    ),
    Placeholder(
        "before_session", "the number of the session it ends at", lambda c: c["round"].before_session
    ),
    Placeholder(
        "meet_until",
        "the day and time the round ends",
        lambda c: local_text(c["round"].closes_at, c["programme"].timezone, SHAPES["day_time"]),
    ),
    Placeholder(
        "pairs_link",
        "the link to their coffee pairs page (to press “We met”)",
        lambda c: settings.SITE_URL + reverse("pairings:my_pairs"),
    ),
]

PLACEHOLDERS = {
    EmailKind.COFFEE_INTRODUCTION: [*MEMBER, PARTNER_NAMES, replace(PARTNERS, required=True), TIMES, *ROUND],
    EmailKind.COFFEE_NUDGE: [*MEMBER, PARTNER_NAMES, PARTNERS, TIMES, *ROUND],
}


def _preview(programme) -> tuple[str, dict] | None:
    """The latest published coffee round's first pair member in the programme, with their pair as they were sent
    it (a planned round is not announced yet)."""
    membership = (
        PairMember.objects.filter(round__cohort__programme=programme, round__status=RoundStatus.PUBLISHED)
        .select_related("pair__round__cohort__programme", "member")
        .order_by("-round__number", "pk")
        .first()
    )
    if membership is None:
        return None
    return membership.member.name, pair_context(membership.pair, membership)


for _kind, _placeholders in PLACEHOLDERS.items():
    wording_register(_kind, placeholders=_placeholders, preview=_preview)
