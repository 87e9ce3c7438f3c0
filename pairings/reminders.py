"""Coffee emails, derived from the database by the reminder dispatcher (see cohort_site/mail/dispatch.py).

- coffee-introduction: when a published round opens, each member of each pair or trio gets everyone's contact
  and the times that suit them all. Sent once per member per group (the key).
- coffee-nudge: half-way through a round, members of groups where nobody has said "we met" get a gentle nudge.
  Optional (unsubscribe link), once per member per group.
- alumni-coffee-introduction: the first run in a month forms the month's alumni round (pairings/alumni.py), and
  each person in it is introduced to their pair, once per person per pair (the key). Later runs form nothing.
"""

from collections.abc import Iterator
from datetime import datetime

from django.db.models import Exists, OuterRef

from cohort_site.mail.dispatch import reminder
from cohort_site.mail.enums import EmailKind
from cohort_site.mail.services import NewEmail

from .alumni import alumni_round_form
from .enums import RoundStatus
from .models import AlumniPair, Pair, PairMember, Round
from .selectors import shared_times

INTRODUCTION = EmailKind.COFFEE_INTRODUCTION
NUDGE = EmailKind.COFFEE_NUDGE
ALUMNI_INTRODUCTION = EmailKind.ALUMNI_COFFEE_INTRODUCTION


def _groups(rounds):
    return (
        Pair.objects.filter(round__in=rounds)
        .select_related("round__cohort__programme")
        .prefetch_related("memberships__member")
        .order_by("round__number", "pk")
    )


def pair_context(pair: Pair, membership: PairMember) -> dict:
    everyone = [m.member for m in pair.memberships.all()]
    return {
        "round": pair.round,
        "programme": pair.round.cohort.programme,
        "member": membership.member,
        "partners": [m for m in everyone if m.pk != membership.member_id],
        "times": shared_times(everyone),
    }


@reminder(INTRODUCTION)
def coffee_introductions(now: datetime) -> Iterator[NewEmail]:
    rounds = Round.objects.filter(status=RoundStatus.PUBLISHED, opens_at__lte=now, closes_at__gt=now)
    for pair in _groups(rounds):
        for membership in pair.memberships.all():
            context = pair_context(pair, membership)
            names = " and ".join(p.name for p in context["partners"])
            yield NewEmail(
                key=f"{INTRODUCTION}:{pair.pk}:{membership.member_id}",
                kind=INTRODUCTION,
                to=membership.member.email,
                user=membership.member.user,
                subject=f"Your coffee pair: meet {names}",
                context=context,
                about=pair,
                reply_to=context["programme"].contact_email,
            )


@reminder(NUDGE)
def coffee_nudges(now: datetime) -> Iterator[NewEmail]:
    rounds = [
        r
        for r in Round.objects.filter(status=RoundStatus.PUBLISHED, opens_at__lte=now, closes_at__gt=now)
        if r.halfway_at <= now
    ]
    met = PairMember.objects.filter(pair=OuterRef("pk"), met_at__isnull=False)
    for pair in _groups(rounds).filter(~Exists(met)):
        for membership in pair.memberships.all():
            context = pair_context(pair, membership)
            yield NewEmail(
                key=f"{NUDGE}:{pair.pk}:{membership.member_id}",
                kind=NUDGE,
                to=membership.member.email,
                user=membership.member.user,
                subject="Half-way: have you met your coffee pair?",
                context=context,
                about=pair,
                reply_to=context["programme"].contact_email,
            )


@reminder(ALUMNI_INTRODUCTION)
def alumni_coffee_introductions(now: datetime) -> Iterator[NewEmail]:
    round_ = alumni_round_form(now=now)
    if round_ is None:
        return
    pairs = AlumniPair.objects.filter(round=round_).prefetch_related("memberships__user").order_by("pk")
    for pair in pairs:
        everyone = [m.user for m in pair.memberships.all()]
        if len(everyone) < 2:
            continue
        for person in everyone:
            partners = [p for p in everyone if p.pk != person.pk]
            names = " and ".join(p.name or p.email for p in partners)
            yield NewEmail(
                key=f"{ALUMNI_INTRODUCTION}:{pair.pk}:{person.pk}",
                kind=ALUMNI_INTRODUCTION,
                to=person.email,
                user=person,
                subject=f"Your alumni coffee pair this month: meet {names}",
                context={"round": round_, "member": person, "partners": partners},
                about=pair,
            )
