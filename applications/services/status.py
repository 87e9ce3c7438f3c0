"""The application state machine: `application_set_status` is the only code that assigns a status.

Locks are always taken in the same order, so racing requests queue rather than deadlock:
cohort rows (by pk) → the programme row (waitlist changes) → application rows (by pk).
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from cohort_site.core.dates import date_text
from cohort_site.core.models import User
from cohort_site.core.words import counted
from cohort_site.mail.enums import EmailKind
from cohort_site.mail.services import email_queue

from ..enums import (
    DECISION_EMAILS,
    PLACE_HOLDING_STATUSES,
    ApplicationStatus,
    Notify,
    WaitlistPromotion,
)
from ..freed_places import freed_place_offered
from ..group_times import ConfirmedTime
from ..links import next_group_url
from ..models import (
    Application,
    ApplicationStatusChange,
    Cohort,
    Programme,
)
from ..rules import can_decide
from ..selectors import WaitlistFit, waitlist, waitlist_fit
from .offer_terms import offer_email, offer_expiry_default

S = ApplicationStatus

# The allowed moves. Anything not listed is refused with a reason.
#   submitted      → a decision: a place, the waitlist, or a kind no; or the applicant withdraws.
#   waitlisted     → offered when a place comes free (or in a later group); declined; withdrawn.
#   offered        → confirmed or withdrawn by the applicant's click; expired when unanswered; or the
#                    manager takes the offer back (declined).
#   confirmed      → withdrawn: a member who leaves frees the place.
#   offer_expired  → offered again, back on the waitlist, or declined.
#   declined       → the manager changes their mind: waitlisted or offered (e.g. for the next group).
#   withdrawn      → final: the applicant said no.
ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    S.SUBMITTED: {S.OFFERED, S.WAITLISTED, S.DECLINED, S.WITHDRAWN},
    S.WAITLISTED: {S.OFFERED, S.DECLINED, S.WITHDRAWN},
    S.OFFERED: {S.CONFIRMED, S.DECLINED, S.WITHDRAWN, S.OFFER_EXPIRED},
    S.CONFIRMED: {S.WITHDRAWN},
    S.OFFER_EXPIRED: {S.OFFERED, S.WAITLISTED, S.DECLINED},
    S.DECLINED: {S.WAITLISTED, S.OFFERED},
    S.WITHDRAWN: set(),
}


REVIEWER_DECIDES_NOTHING = (
    "A reviewer reads, notes and scores applications; the programme's manager changes their status."
)


class TransitionRefused(ValidationError):
    @property
    def reason(self) -> str:
        return self.messages[0]


def transition_refusal(*, current: str, target: str) -> str | None:
    """Why moving from `current` to `target` is not allowed, or None when it is."""
    if target == current:
        return f"The application is already {S(current).label.lower()}."
    if target not in ALLOWED_TRANSITIONS[current]:
        return f"An application that is {S(current).label.lower()} cannot become {S(target).label.lower()}."
    return None


def places_taken(cohort: Cohort) -> int:
    return Application.objects.filter(cohort=cohort, status__in=PLACE_HOLDING_STATUSES).count()


def names_text(applications: list[Application]) -> str:
    """ "Eve Adams", "Eve Adams and Fay Brown", "Eve Adams, Fay Brown and Gus Clark"."""
    names = [a.name for a in applications]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


# --- The state machine -----------------------------------------------------------------------------------------


def _decision_email(*, application: Application, change: ApplicationStatusChange, notify: str) -> None:
    if notify == Notify.NONE or change.to_status not in DECISION_EMAILS:
        return
    programme = application.programme
    cohort = change.cohort
    context = {
        "application": application,
        "programme": programme,
        "cohort": cohort,
        "first_session_week": date_text(cohort.first_session_week) if cohort else "",
    }
    if change.to_status == S.OFFERED:
        subject, offer_context = offer_email(application=application, change=change)
        context |= offer_context
    elif change.to_status == S.WAITLISTED:
        subject = f"You are on the waitlist for {programme.title}"
    elif change.to_status == S.DECLINED:
        context["next_group_link"] = next_group_url(application=application)
        subject = f"Your application to {programme.title}"
    elif change.to_status == S.CONFIRMED:
        assert cohort is not None  # a confirmed place is always in a group (a check constraint says so)
        context["sign_in_url"] = settings.SITE_URL + reverse("account_login")
        subject = f"Welcome to {cohort.name}: your place is confirmed"
    elif change.to_status == S.WITHDRAWN:
        subject = f"You have withdrawn from {programme.title}"
    else:
        subject = f"Your offered place in {programme.title} has expired"
    email_queue(
        key=f"decision:{change.pk}",
        kind=DECISION_EMAILS[change.to_status],
        to=application.email,
        subject=subject,
        context=context,
        user=application.user,
        about=application,
        reply_to=programme.contact_email,
        draft=notify == Notify.DRAFT,
    )


@transaction.atomic
def application_set_status(
    *,
    application: Application,
    status: str,
    by: User | None = None,
    cohort: Cohort | None = None,
    note: str = "",
    notify: str = Notify.SEND,
    offer_expires_at: datetime.datetime | None = None,
    now: datetime.datetime | None = None,
) -> Application:
    """Move an application to `status`: check the move, keep the cohort's cap, record who did it, and queue
    the decision email (sent now, saved as a draft, or none, per `notify`).

    Offering needs a cohort with a free place; the cohort row is locked while its places are counted, so two
    managers (or a bulk action and a click) cannot overfill it. A place that comes free goes to the waitlist
    as the programme says (offered at once, or proposed to the manager).
    """
    if by is not None and by.is_staff and not can_decide(by):
        raise TransitionRefused(REVIEWER_DECIDES_NOTHING)
    now = now or timezone.now()
    status = S(status)
    locked_cohorts, locked = _lock_rows(application=application, status=status, cohort=cohort)
    _check_transition(current=locked.status, target=status)
    previous = locked.status
    freed = locked.cohort_id if _frees_place(previous=previous, status=status) else None

    if status == S.OFFERED:
        _offer_place(
            locked=locked,
            cohort=cohort,
            locked_cohorts=locked_cohorts,
            offer_expires_at=offer_expires_at,
            now=now,
        )
    _save_move(locked=locked, status=status, now=now)
    change = _audit(locked=locked, previous=previous, by=by, note=note, now=now)
    _decision_email(application=locked, change=change, notify=notify)
    for name in STATUS_FIELDS:
        setattr(application, name, getattr(locked, name))  # the caller's copy shows the move too
    if freed is not None:
        _place_freed(cohort=locked_cohorts.get(freed) or Cohort.objects.get(pk=freed), change=change, now=now)
    return locked


# The fields a move sets (besides updated_at).
STATUS_FIELDS = ("status", "status_changed_at", "cohort", "offer_expires_at", "waitlist_position")


def _lock_rows(
    *, application: Application, status: str, cohort: Cohort | None
) -> tuple[dict[int, Cohort], Application]:
    """Lock, in the module's order, the cohorts whose places may change (the one offered into, the one held
    now), the programme when the waitlist grows, then the application. Returns the locked cohorts by pk and
    the locked application."""
    before = Application.objects.filter(pk=application.pk).values("cohort_id", "status", "programme_id").get()
    cohort_ids = set()
    if status == S.OFFERED and cohort is not None:
        cohort_ids.add(cohort.pk)
    if before["cohort_id"] is not None and before["status"] in PLACE_HOLDING_STATUSES:
        cohort_ids.add(before["cohort_id"])
    locked_cohorts = {
        c.pk: c for c in Cohort.objects.select_for_update().filter(pk__in=cohort_ids).order_by("pk")
    }
    if status == S.WAITLISTED:
        Programme.objects.select_for_update().filter(pk=before["programme_id"]).first()
    locked = (
        Application.objects.select_for_update(of=("self",))
        .select_related("programme", "user")
        .get(pk=application.pk)
    )
    return locked_cohorts, locked


def _check_transition(*, current: str, target: str) -> None:
    refusal = transition_refusal(current=current, target=target)
    if refusal:
        raise TransitionRefused(refusal)


def _frees_place(*, previous: str, status: str) -> bool:
    """Whether the move gives up a place in a group (leaving, an offer lapsing or taken back)."""
    return previous in PLACE_HOLDING_STATUSES and status not in PLACE_HOLDING_STATUSES


def _offer_place(
    *,
    locked: Application,
    cohort: Cohort | None,
    locked_cohorts: dict[int, Cohort],
    offer_expires_at: datetime.datetime | None,
    now: datetime.datetime,
) -> None:
    """An offer needs a group of the same programme with a free place, and a deadline in the future; the
    place and the deadline are set on the application."""
    if cohort is None:
        raise TransitionRefused("Choose the group to offer a place in.")
    target = locked_cohorts.get(cohort.pk) or Cohort.objects.select_for_update().get(pk=cohort.pk)
    if target.programme_id != locked.programme_id:
        raise TransitionRefused(f"{target.name} is a group of another programme.")
    taken = places_taken(target)
    if taken >= target.size:
        raise TransitionRefused(f"No places left in {target.name}: {taken} of {target.size} are taken.")
    expires = offer_expires_at or offer_expiry_default(programme=locked.programme, now=now)
    if expires <= now:
        raise TransitionRefused("The offer must expire in the future.")
    locked.cohort = target
    locked.offer_expires_at = expires


def _save_move(*, locked: Application, status: str, now: datetime.datetime) -> None:
    """Set what the new status means for the other fields, and save. Only a place-holding status keeps a
    group; an offer's deadline stays while it is open, lapsed or (for the record) confirmed; joining the
    waitlist puts the application last in it."""
    if status not in PLACE_HOLDING_STATUSES:
        locked.cohort = None
    if status not in (S.OFFERED, S.OFFER_EXPIRED, S.CONFIRMED):
        locked.offer_expires_at = None
    if status == S.WAITLISTED:
        last = Application.objects.filter(programme_id=locked.programme_id).aggregate(
            m=Max("waitlist_position")
        )
        locked.waitlist_position = (last["m"] or 0) + 1
    else:
        locked.waitlist_position = None
    locked.status = status
    locked.status_changed_at = now
    locked.save(update_fields=[*STATUS_FIELDS, "updated_at"])


def _audit(
    *, locked: Application, previous: str, by: User | None, note: str, now: datetime.datetime
) -> ApplicationStatusChange:
    """The audit entry: who moved the application from what to what, into which group, and why."""
    return ApplicationStatusChange.objects.create(
        application=locked,
        from_status=previous,
        to_status=locked.status,
        cohort=locked.cohort if locked.status in PLACE_HOLDING_STATUSES else None,
        changed_by=by if by is not None and by.is_authenticated else None,
        changed_at=now,
        note=note,
    )


def _place_freed(*, cohort: Cohort, change: ApplicationStatusChange, now: datetime.datetime) -> None:
    """A member left or an offer lapsed: offer the place to the next person waiting, or tell the manager."""
    programme = cohort.programme
    leaver = change.application
    if not freed_place_offered(cohort=cohort, now=now):
        return  # the group is past its cut-off session: the place stays empty
    automatic = programme.waitlist_promotion == WaitlistPromotion.AUTOMATIC
    if automatic:
        promotion = waitlist_promotion(
            cohort=cohort,
            now=now,
            note=f"Offered automatically: {leaver.name}'s place came free ({S(change.to_status).label.lower()}).",
        )
        if not promotion.skipped:
            return  # offered to the first in line, or nobody waiting: nothing for the manager to know
        offered = [promotion.offered] if promotion.offered is not None else []
        fit = WaitlistFit(time=promotion.time, can_come=offered, cannot_come=promotion.skipped)
    else:
        fit = waitlist_fit(cohort, list(waitlist(programme.pk)))
        if not fit.can_come and not fit.cannot_come:
            return
    # The manager is told: the programme proposes rather than offers, or someone was passed over because they
    # cannot come at the group's time (the place offered to the next who can, or to nobody).
    email_queue(
        key=f"place-freed:{change.pk}",
        kind=EmailKind.PLACE_FREED,
        to=programme.contact_email,
        subject=(
            f"{fit.can_come[0].name} was offered the place free in {cohort.name}; "
            f"{counted(len(fit.cannot_come), 'person', 'people')} passed over"
            if automatic and fit.can_come
            else f"A place is free in {cohort.name}: offer it to the next person on the waitlist?"
            if fit.can_come
            else f"A place is free in {cohort.name}: nobody on the waitlist can come at the group's time"
        ),
        context={
            "cohort": cohort,
            "leaver": leaver,
            "change": change,
            "automatic": automatic,
            "fit": fit,
            "selection_url": settings.SITE_URL
            + reverse("applications:selection_cohort", kwargs={"pk": cohort.pk}),
        },
        about=cohort,
    )


@dataclass
class Promotion:
    """What promoting from the waitlist did: who was offered the place (None: nobody), and who was passed over
    because they said they cannot come at the group's confirmed weekly time."""

    offered: Application | None = None
    skipped: list[Application] = field(default_factory=list)
    time: ConfirmedTime | None = None

    @property
    def skipped_text(self) -> str:
        """Who was passed over, in words ("" when nobody):
        "Skipped Eve Adams and Fay Brown, who cannot come on Tuesdays at 14:00, the group's time."."""
        if not self.skipped or self.time is None:
            return ""
        return f"Skipped {names_text(self.skipped)}, who cannot come on {self.time.label}, the group's time."


@transaction.atomic
def waitlist_promotion(
    *,
    cohort: Cohort,
    by: User | None = None,
    notify: str = Notify.SEND,
    note: str = "Offered from the waitlist.",
    now: datetime.datetime | None = None,
) -> Promotion:
    """Offer a free place in `cohort` to the first person on the programme's waitlist who said they can come
    (yes or if need be) at the group's confirmed weekly time, passing over those who cannot. Nobody is offered
    when the group is full, nobody is waiting, or nobody waiting can come then."""
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    if places_taken(cohort) >= cohort.size:
        return Promotion()
    fit = waitlist_fit(cohort, list(waitlist(cohort.programme_id)))
    for candidate in fit.can_come[:5]:
        ahead = [
            a for a in fit.cannot_come if (a.waitlist_position or 0) < (candidate.waitlist_position or 0)
        ]
        promotion = Promotion(offered=None, skipped=ahead, time=fit.time)
        try:
            with transaction.atomic():
                promotion.offered = application_set_status(
                    application=candidate,
                    status=S.OFFERED,
                    cohort=cohort,
                    by=by,
                    notify=notify,
                    note=" ".join(part for part in (note, promotion.skipped_text) if part),
                    now=now,
                )
            return promotion
        except TransitionRefused:
            continue  # someone else moved them a moment ago: the next in line
    return Promotion(skipped=fit.cannot_come, time=fit.time)


def waitlist_promote(
    *,
    cohort: Cohort,
    by: User | None = None,
    notify: str = Notify.SEND,
    note: str = "Offered from the waitlist.",
    now: datetime.datetime | None = None,
) -> Application | None:
    """Who `waitlist_promotion` offered the place to, or None."""
    return waitlist_promotion(cohort=cohort, by=by, notify=notify, note=note, now=now).offered


def current_offer(application: Application) -> ApplicationStatusChange | None:
    """The status change that made the application's latest offer."""
    return (
        ApplicationStatusChange.objects.filter(application=application, to_status=S.OFFERED)
        .order_by("-changed_at", "-pk")
        .first()
    )
