"""Writes for recruitment and selection. `application_set_status` is the only code that assigns a status.

Locks are always taken in the same order, so racing requests queue rather than deadlock:
cohort rows (by pk) → the programme row (waitlist changes) → application rows (by pk).
"""

import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from cohort_site.core.data_subjects import DataSubject, personal_data_erase
from cohort_site.core.dates import CLOCK, DAY, DAY_AT_TIME, DAY_YEAR, local_text, zone_label
from cohort_site.mail.models import EmailAttachment, OutgoingEmail
from cohort_site.mail.services import Attachment, email_queue

from .enums import (
    PLACE_HOLDING_STATUSES,
    ApplicationStatus,
    AvailabilityAnswer,
    Notify,
    ProgrammePhase,
    WaitlistPromotion,
)
from .models import (
    Application,
    ApplicationStatusChange,
    Availability,
    Cohort,
    ExpressionOfInterest,
    MemberOrganisation,
    Programme,
)

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

OFFER_LINK_SALT = "applications.offer-response"
NEXT_GROUP_LINK_SALT = "applications.next-group"
# A signed link stops working after this long whatever the offer says (the offer's own expiry is shorter).
LINK_MAX_AGE = timedelta(days=120)

# The email each status change sends, by target status: (kind, template).
DECISION_EMAILS: dict[str, tuple[str, str]] = {
    S.OFFERED: ("decision-offered", "decision_offered"),
    S.WAITLISTED: ("decision-waitlisted", "decision_waitlisted"),
    S.DECLINED: ("decision-declined", "decision_declined"),
    S.CONFIRMED: ("decision-confirmed", "decision_confirmed"),
    S.WITHDRAWN: ("decision-withdrawn", "decision_withdrawn"),
    S.OFFER_EXPIRED: ("decision-offer-expired", "decision_offer_expired"),
}


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


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


# --- Signed links --------------------------------------------------------------------------------------------


def offer_token(*, application: Application, offer: ApplicationStatusChange) -> str:
    return signing.dumps({"a": application.pk, "o": offer.pk}, salt=OFFER_LINK_SALT)


def offer_url(*, application: Application, offer: ApplicationStatusChange) -> str:
    token = offer_token(application=application, offer=offer)
    return settings.SITE_URL + reverse("applications:offer_respond", kwargs={"token": token})


def next_group_url(*, application: Application) -> str:
    token = signing.dumps({"a": application.pk}, salt=NEXT_GROUP_LINK_SALT)
    return settings.SITE_URL + reverse("applications:next_group", kwargs={"token": token})


def current_offer(application: Application) -> ApplicationStatusChange | None:
    """The status change that made the application's latest offer."""
    return (
        ApplicationStatusChange.objects.filter(application=application, to_status=S.OFFERED)
        .order_by("-changed_at", "-pk")
        .first()
    )


# --- The state machine -----------------------------------------------------------------------------------------


def _decision_email(*, application: Application, change: ApplicationStatusChange, notify: str) -> None:
    if notify == Notify.NONE or change.to_status not in DECISION_EMAILS:
        return
    kind, template = DECISION_EMAILS[change.to_status]
    programme = application.programme
    cohort = change.cohort
    context = {
        "application": application,
        "programme": programme,
        "cohort": cohort,
        "first_session_week": f"{cohort.first_session_week.day} {cohort.first_session_week:%B}"
        if cohort
        else "",
    }
    if change.to_status == S.OFFERED:
        expires = application.offer_expires_at
        deadline = local_text(expires, programme.tz, DAY_AT_TIME)
        context |= {"deadline": deadline, "link": offer_url(application=application, offer=change)}
        subject = f"[Action required] Confirm your place by {local_text(expires, programme.tz, DAY)}"
    elif change.to_status == S.WAITLISTED:
        subject = f"You are on the waitlist for {programme.title}"
    elif change.to_status == S.DECLINED:
        context["next_group_link"] = next_group_url(application=application)
        subject = f"Your application to {programme.title}"
    elif change.to_status == S.CONFIRMED:
        context["sign_in_url"] = settings.SITE_URL + reverse("account_login")
        subject = f"Welcome to {cohort.name}: your place is confirmed"
    elif change.to_status == S.WITHDRAWN:
        subject = f"You have withdrawn from {programme.title}"
    else:
        subject = f"Your offered place in {programme.title} has expired"
    email_queue(
        key=f"decision:{change.pk}",
        kind=kind,
        to=application.email,
        subject=subject,
        template=template,
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
    by=None,
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
    now = now or timezone.now()
    status = S(status)
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

    refusal = transition_refusal(current=locked.status, target=status)
    if refusal:
        raise TransitionRefused(refusal)
    previous = locked.status
    freed = (
        locked.cohort_id
        if previous in PLACE_HOLDING_STATUSES and status not in PLACE_HOLDING_STATUSES
        else None
    )

    if status == S.OFFERED:
        if cohort is None:
            raise TransitionRefused("Choose the group to offer a place in.")
        target = locked_cohorts.get(cohort.pk) or Cohort.objects.select_for_update().get(pk=cohort.pk)
        if target.programme_id != locked.programme_id:
            raise TransitionRefused(f"{target.name} is a group of another programme.")
        taken = places_taken(target)
        if taken >= target.size:
            raise TransitionRefused(f"No places left in {target.name}: {taken} of {target.size} are taken.")
        expires = offer_expires_at or now + locked.programme.offer_valid_for
        if expires <= now:
            raise TransitionRefused("The offer must expire in the future.")
        locked.cohort = target
        locked.offer_expires_at = expires
    elif status not in PLACE_HOLDING_STATUSES:
        locked.cohort = None
    if status not in (S.OFFERED, S.OFFER_EXPIRED):
        locked.offer_expires_at = None if status != S.CONFIRMED else locked.offer_expires_at
    if status == S.WAITLISTED:
        last = Application.objects.filter(programme_id=locked.programme_id).aggregate(
            m=Max("waitlist_position")
        )
        locked.waitlist_position = (last["m"] or 0) + 1
    else:
        locked.waitlist_position = None
    locked.status = status
    locked.status_changed_at = now
    locked.save(
        update_fields=[
            "status",
            "status_changed_at",
            "cohort",
            "offer_expires_at",
            "waitlist_position",
            "updated_at",
        ]
    )
    change = ApplicationStatusChange.objects.create(
        application=locked,
        from_status=previous,
        to_status=status,
        cohort=locked.cohort if status in PLACE_HOLDING_STATUSES else None,
        changed_by=by if by is not None and by.is_authenticated else None,
        changed_at=now,
        note=note,
    )
    _decision_email(application=locked, change=change, notify=notify)
    for name in ("status", "status_changed_at", "cohort", "offer_expires_at", "waitlist_position"):
        setattr(application, name, getattr(locked, name))
    if freed is not None:
        _place_freed(cohort=locked_cohorts.get(freed) or Cohort.objects.get(pk=freed), change=change, now=now)
    return locked


def _place_freed(*, cohort: Cohort, change: ApplicationStatusChange, now: datetime.datetime) -> None:
    """A member left or an offer lapsed: offer the place to the next person waiting, or tell the manager."""
    programme = cohort.programme
    leaver = change.application
    if programme.waitlist_promotion == WaitlistPromotion.AUTOMATIC:
        waitlist_promote(
            cohort=cohort,
            now=now,
            note=f"Offered automatically: {leaver.name}'s place came free ({S(change.to_status).label.lower()}).",
        )
        return
    if not Application.objects.filter(programme=programme, status=S.WAITLISTED).exists():
        return
    email_queue(
        key=f"place-freed:{change.pk}",
        kind="place-freed",
        to=programme.contact_email,
        subject=f"A place is free in {cohort.name}: offer it to the next person on the waitlist?",
        template="decision_place_freed",
        context={
            "cohort": cohort,
            "leaver": leaver,
            "change": change,
            "selection_url": settings.SITE_URL
            + reverse("applications:selection_cohort", kwargs={"pk": cohort.pk}),
        },
        about=cohort,
    )


@transaction.atomic
def waitlist_promote(
    *,
    cohort: Cohort,
    by=None,
    notify: str = Notify.SEND,
    note: str = "Offered from the waitlist.",
    now: datetime.datetime | None = None,
) -> Application | None:
    """Offer a free place in `cohort` to the first person on the programme's waitlist. None when the cohort
    is full or nobody is waiting."""
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    if places_taken(cohort) >= cohort.size:
        return None
    waiting = Application.objects.filter(programme_id=cohort.programme_id, status=S.WAITLISTED).order_by(
        "waitlist_position"
    )
    for candidate in waiting[:5]:
        try:
            with transaction.atomic():
                return application_set_status(
                    application=candidate,
                    status=S.OFFERED,
                    cohort=cohort,
                    by=by,
                    notify=notify,
                    note=note,
                    now=now,
                )
        except TransitionRefused:
            continue  # someone else moved them a moment ago: the next in line
    return None


# --- Bulk decisions (admin actions and the selection page) ----------------------------------------------------


@dataclass
class BulkOutcome:
    changed: list[Application] = field(default_factory=list)
    refused: list[tuple[Application, str]] = field(default_factory=list)


@transaction.atomic
def applications_offer(
    *,
    applications: list[Application],
    cohort: Cohort,
    by=None,
    notify: str = Notify.SEND,
    offer_expires_at: datetime.datetime | None = None,
    note: str = "",
) -> BulkOutcome:
    """Offer places in `cohort` to several applicants at once, all or none as far as the cap goes:
    more selected than places free is refused with "3 places left in Group 1; you selected 5.".
    Applicants who cannot be offered (already offered, withdrawn, …) are reported, the others offered."""
    cohort = Cohort.objects.select_for_update(of=("self",)).select_related("programme").get(pk=cohort.pk)
    ids = sorted({a.pk for a in applications})
    current = list(Application.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    outcome = BulkOutcome()
    offerable = []
    for application in current:
        refusal = transition_refusal(current=application.status, target=S.OFFERED)
        if refusal is None and application.programme_id != cohort.programme_id:
            refusal = f"{cohort.name} is a group of another programme."
        if refusal:
            outcome.refused.append((application, refusal))
        else:
            offerable.append(application)
    free = cohort.size - places_taken(cohort)
    if len(offerable) > free:
        raise TransitionRefused(
            f"{_plural(max(free, 0), 'place')} left in {cohort.name}; you selected {len(offerable)}."
        )
    for application in offerable:
        outcome.changed.append(
            application_set_status(
                application=application,
                status=S.OFFERED,
                cohort=cohort,
                by=by,
                notify=notify,
                offer_expires_at=offer_expires_at,
                note=note,
            )
        )
    return outcome


def applications_set_status(
    *, applications: list[Application], status: str, by=None, notify: str = Notify.SEND, note: str = ""
) -> BulkOutcome:
    """Waitlist or decline several applicants; each move stands alone, and refusals are reported."""
    outcome = BulkOutcome()
    for application in sorted(applications, key=lambda a: a.pk):
        try:
            outcome.changed.append(
                application_set_status(
                    application=application, status=status, by=by, notify=notify, note=note
                )
            )
        except TransitionRefused as refusal:
            outcome.refused.append((application, refusal.reason))
    return outcome


# --- Waitlist order and further groups ------------------------------------------------------------------------


@transaction.atomic
def waitlist_move(*, application: Application, up: bool) -> Application:
    """Swap a waitlisted application with its neighbour above (or below)."""
    Programme.objects.select_for_update().get(pk=application.programme_id)
    me = Application.objects.select_for_update().get(pk=application.pk)
    if me.status != S.WAITLISTED:
        raise TransitionRefused("Only waitlisted applications have a place in the waitlist.")
    neighbours = Application.objects.select_for_update().filter(
        programme_id=me.programme_id, status=S.WAITLISTED
    )
    if up:
        other = (
            neighbours.filter(waitlist_position__lt=me.waitlist_position)
            .order_by("-waitlist_position")
            .first()
        )
    else:
        other = (
            neighbours.filter(waitlist_position__gt=me.waitlist_position)
            .order_by("waitlist_position")
            .first()
        )
    if other is None:
        return me
    mine, theirs = me.waitlist_position, other.waitlist_position
    Application.objects.filter(pk=me.pk).update(waitlist_position=0)
    Application.objects.filter(pk=other.pk).update(waitlist_position=mine)
    Application.objects.filter(pk=me.pk).update(waitlist_position=theirs)
    me.waitlist_position = theirs
    return me


@transaction.atomic
def cohort_create_next(*, programme: Programme) -> Cohort:
    """The next group of a programme, running after the last one (the brief: "multiple groups consecutively")."""
    Programme.objects.select_for_update().get(pk=programme.pk)
    last = Cohort.objects.filter(programme=programme).order_by("-number").first()
    number = (last.number + 1) if last else 1
    if last is None:
        first_week = programme.first_session_week
    else:
        first_week = last.first_session_week + timedelta(weeks=programme.session_count)
    return Cohort.objects.create(
        programme=programme,
        number=number,
        name=f"Group {number}",
        size=programme.group_size,
        first_session_week=first_week,
    )


def waitlist_offer_into(
    *, cohort: Cohort, count: int, by=None, notify: str = Notify.SEND, offer_expires_at=None
) -> BulkOutcome:
    """Offer places in `cohort` to the first `count` people on the waitlist, in order."""
    waiting = list(
        Application.objects.filter(programme_id=cohort.programme_id, status=S.WAITLISTED).order_by(
            "waitlist_position"
        )[:count]
    )
    return applications_offer(
        applications=waiting,
        cohort=cohort,
        by=by,
        notify=notify,
        offer_expires_at=offer_expires_at,
        note="Moved from the waitlist into this group.",
    )


# --- The applicant's answer -------------------------------------------------------------------------------------


class OfferNotCurrent(Exception):
    """The link is for an earlier offer than the application's latest."""


def _member_account(application: Application):
    """The applicant's account, made on confirming; the click on the emailed link verifies the address."""
    User = get_user_model()
    user = application.user or User.objects.filter(email__iexact=application.email).first()
    if user is None:
        user = User.objects.create_user(
            email=application.email,
            name=application.name,
            organisation=application.organisation,
            role=application.role,
            accessibility_needs=application.accessibility_needs,
        )
    address = EmailAddress.objects.filter(user=user, email__iexact=application.email).first()
    if address is None:
        EmailAddress.objects.create(
            user=user,
            email=user.email,
            verified=True,
            primary=not EmailAddress.objects.filter(user=user, primary=True).exists(),
        )
    elif not address.verified:
        address.verified = True
        address.save(update_fields=["verified"])
    return user


@transaction.atomic
def offer_accept(
    *, application: Application, offer_id: int, now: datetime.datetime | None = None
) -> Application:
    """The applicant confirms their place: they become a member, with an account whose address is verified."""
    now = now or timezone.now()
    if application.offer_expires_at is not None and application.offer_expires_at <= now:
        raise TransitionRefused("This offer has expired.")
    confirmed = application_set_status(
        application=application,
        status=S.CONFIRMED,
        note="Confirmed through the emailed link.",
        now=now,
    )
    latest = (
        ApplicationStatusChange.objects.filter(application=confirmed, to_status=S.OFFERED)
        .order_by("-changed_at", "-pk")
        .values_list("pk", flat=True)
        .first()
    )
    if latest != offer_id:
        raise OfferNotCurrent()
    confirmed.user = _member_account(confirmed)
    confirmed.save(update_fields=["user", "updated_at"])
    application.user = confirmed.user
    return confirmed


@transaction.atomic
def offer_decline(*, application: Application, offer_id: int) -> Application:
    """The applicant turns the place down; it goes to the next person on the waitlist."""
    withdrawn = application_set_status(
        application=application,
        status=S.WITHDRAWN,
        note="Declined the offered place through the emailed link.",
    )
    latest = current_offer(withdrawn)
    if latest is None or latest.pk != offer_id:
        raise OfferNotCurrent()
    return withdrawn


def next_group_interest_record(*, application: Application) -> Application:
    """A declined applicant asks to be considered for a later group (once; a second click changes nothing)."""
    Application.objects.filter(pk=application.pk, next_group_interest_at__isnull=True).update(
        next_group_interest_at=timezone.now()
    )
    application.refresh_from_db(fields=["next_group_interest_at"])
    return application


# --- Offers that run out (called by the reminder kinds) ----------------------------------------------------------


def offer_expire(*, application: Application, now: datetime.datetime) -> Application:
    expired = local_text(application.offer_expires_at, application.programme.tz, DAY_AT_TIME)
    return application_set_status(
        application=application,
        status=S.OFFER_EXPIRED,
        note=f"No reply by {expired}.",
        now=now,
    )


# --- Recruitment: interest, applications, the applicant's own changes -----------------------------


class ApplicationsNotOpen(ValidationError):
    """Submitting or editing outside the programme's application window."""


def deadline_text(programme: Programme) -> str:
    """'9:00 UK time on Wednesday 21 July 2021': the deadline as people in the programme's zone read it."""
    close, tz, zone = programme.applications_close_at, programme.tz, zone_label(programme.timezone)
    return f"{local_text(close, tz, CLOCK)} {zone} time on {local_text(close, tz, DAY_YEAR)}"


def applications_closed_refusal(programme: Programme, now: datetime.datetime) -> str | None:
    """Why an application cannot be accepted at `now`, or None while applications are open."""
    phase = programme.phase(now)
    if phase == ProgrammePhase.NOT_YET_OPEN:
        opens, tz = programme.applications_open_at, programme.tz
        return f"Applications open at {local_text(opens, tz, CLOCK)} on {local_text(opens, tz, DAY_YEAR)}."
    if phase == ProgrammePhase.CLOSED:
        return (
            f"Applications closed at {deadline_text(programme)}, so we could not accept this. Your answers are "
            f"still below if you want to keep a copy; please email {programme.contact_email} if something "
            "went wrong."
        )
    return None


def email_context(programme: Programme, **extra) -> dict:
    return {"programme": programme, "deadline": deadline_text(programme), **extra}


def interest_register(
    *, programme: Programme, name: str, email: str, organisation: str, role: str, now=None
) -> tuple[ExpressionOfInterest, bool]:
    """Record someone's interest and send them the drop-in details and how to apply.

    Registering again with the same address changes nothing; that address (only) is told so, once.
    Returns the record and whether it is new.
    """
    now = now or timezone.now()
    existing = ExpressionOfInterest.objects.filter(programme=programme, email__iexact=email).first()
    if existing is None:
        try:
            with transaction.atomic():
                interest = ExpressionOfInterest.objects.create(
                    programme=programme,
                    name=name,
                    email=email,
                    organisation=organisation,
                    role=role,
                    consented_at=now,
                    created_at=now,
                )
        except IntegrityError:
            existing = ExpressionOfInterest.objects.get(programme=programme, email__iexact=email)
        else:
            interest_confirmation_queue(interest=interest, now=now)
            return interest, True
    email_queue(
        key=f"interest-again:{existing.pk}",
        kind="interest-again",
        to=existing.email,
        subject=f"You're already registered: {programme.title}",
        template="interest_again",
        context=email_context(programme, interest=existing, **interest_links(programme)),
        about=existing,
        reply_to=programme.contact_email,
    )
    return existing, False


def interest_links(programme: Programme) -> dict:
    return {
        "programme_url": settings.SITE_URL + programme.get_absolute_url(),
        "apply_url": settings.SITE_URL + reverse("applications:apply", kwargs={"slug": programme.slug}),
    }


def interest_confirmation_queue(*, interest: ExpressionOfInterest, now=None) -> None:
    from .ics import drop_ins_calendar
    from .selectors import drop_ins_upcoming

    programme = interest.programme
    drop_ins = list(drop_ins_upcoming(programme, now=now).select_related("programme"))
    attachments = []
    if drop_ins:
        attachments.append(Attachment("drop-in.ics", "text/calendar", drop_ins_calendar(drop_ins, now=now)))
    email_queue(
        key=f"interest-confirmation:{interest.pk}",
        kind="interest-confirmation",
        to=interest.email,
        subject=f"Thank you for your interest: {programme.title}",
        template="interest_confirmation",
        context=email_context(
            programme,
            interest=interest,
            drop_ins=drop_ins,
            phase=programme.phase(now),
            **interest_links(programme),
        ),
        about=interest,
        reply_to=programme.contact_email,
        attachments=attachments,
    )


@dataclass(frozen=True)
class SubmitResult:
    application: Application
    created: bool


def _check_availability(programme: Programme, availability: dict[int, str]) -> None:
    wanted = set(programme.candidate_times.values_list("pk", flat=True))
    if set(availability) != wanted:
        raise ValidationError("Answer yes, if need be or no for every time.")
    minimum = min(programme.min_available_times, len(wanted))
    yes = sum(1 for answer in availability.values() if answer == AvailabilityAnswer.YES)
    if yes < minimum:
        raise ValidationError(
            f"Please answer “yes” to at least {minimum} of the times, so we can find a time that suits the group."
        )


APPLICANT_FIELDS = (
    "name",
    "organisation",
    "role",
    "role_type",
    "pandemic_work",
    "motivation",
    "hopes",
    "learning_gained",
    "challenge",
    "share_challenge_with_partners",
    "organisation_support",
    "team_open_to_ideas",
    "commits_to_openness",
    "commits_to_sharing",
    "accessibility_needs",
)


def application_submit(
    *,
    programme: Programme,
    email: str,
    answers: dict,
    availability: dict[int, str],
    submission_token: uuid.UUID,
    now=None,
) -> SubmitResult:
    """Store an application and its availability, and send the applicant a summary and their private link.

    Refused outside the application window (checked here, at submission, in the programme's zone). The same
    post twice (double click, retry) finds its own token and stores nothing more; a second application from
    the same address is not stored, and that address is sent its private link instead.
    """
    now = now or timezone.now()
    refusal = applications_closed_refusal(programme, now)
    if refusal:
        raise ApplicationsNotOpen(refusal)
    _check_availability(programme, availability)
    try:
        with transaction.atomic():
            application = Application.objects.create(
                programme=programme,
                email=email,
                submission_token=submission_token,
                consented_at=now,
                submitted_at=now,
                status_changed_at=now,
                **{field: answers[field] for field in APPLICANT_FIELDS},
            )
            Availability.objects.bulk_create(
                Availability(application=application, candidate_time_id=time_id, answer=answer)
                for time_id, answer in availability.items()
            )
    except IntegrityError:
        existing = Application.objects.filter(submission_token=submission_token).first()
        if existing is not None:
            return SubmitResult(existing, created=False)
        existing = Application.objects.get(programme=programme, email__iexact=email)
        _application_email(existing, kind="application-again", template="application_again", key_suffix="")
        return SubmitResult(existing, created=False)
    _application_email(
        application, kind="application-received", template="application_received", key_suffix=""
    )
    return SubmitResult(application, created=True)


def _application_email(application: Application, *, kind: str, template: str, key_suffix: str) -> None:
    from .links import application_private_url
    from .selectors import application_answers

    programme = application.programme
    subjects = {
        "application-received": f"We have your application: {programme.title}",
        "application-updated": f"Your application is updated: {programme.title}",
        "application-again": f"You have already applied: {programme.title}",
    }
    email_queue(
        key=f"{kind}:{application.pk}{key_suffix}",
        kind=kind,
        to=application.email,
        subject=subjects[kind],
        template=template,
        context=email_context(
            programme,
            application=application,
            answers=application_answers(application),
            private_url=application_private_url(application),
        ),
        about=application,
        reply_to=programme.contact_email,
    )


def application_update(
    *, application: Application, answers: dict, availability: dict[int, str], now=None
) -> Application:
    """The applicant changes their answers through their private link, until the deadline."""
    now = now or timezone.now()
    programme = application.programme
    refusal = applications_closed_refusal(programme, now)
    if refusal:
        raise ApplicationsNotOpen(refusal)
    if application.status != ApplicationStatus.SUBMITTED:
        raise ValidationError("This application can no longer be changed.")
    _check_availability(programme, availability)
    with transaction.atomic():
        for field in APPLICANT_FIELDS:
            setattr(application, field, answers[field])
        application.save(update_fields=[*APPLICANT_FIELDS, "updated_at"])
        for time_id, answer in availability.items():
            Availability.objects.update_or_create(
                application=application, candidate_time_id=time_id, defaults={"answer": answer}
            )
    _application_email(
        application,
        kind="application-updated",
        template="application_updated",
        key_suffix=f":{application.updated_at:%Y%m%dT%H%M%S%f}",
    )
    return application


def application_withdraw(*, application: Application, erase: bool = False) -> Application | None:
    """The applicant withdraws through their private link. With `erase`, their answers are deleted at once.

    Withdrawing twice is harmless. Returns the application, or None once erased.
    """
    if application.status != ApplicationStatus.WITHDRAWN:
        application_set_status(
            application=application,
            status=ApplicationStatus.WITHDRAWN,
            note="Withdrawn by the applicant through their private link.",
        )
    if erase:
        with transaction.atomic():
            _erase_emails_about(Application, [application.pk])
            application.delete()
        return None
    return application


def applicant_subject(application: Application):
    """The applicant, by the application's address, and their account if they have one (the same person)."""
    return DataSubject(email=application.email, user=application.user)


@transaction.atomic
def applicant_erase(*, application: Application) -> None:
    """The applicant erases everything held about them through their private link (their account too)."""
    if application.status == ApplicationStatus.SUBMITTED:
        # Not considered any further: an anonymous application must not be offered a place.
        application_withdraw(application=application)
    personal_data_erase(applicant_subject(application))


ERASED_BODY = "(Deleted: this message held personal data that has since been erased.)"


def _erase_emails_about(model, ids: list[int]) -> None:
    """Copies of answers live on in the stored emails about them; blank those too when the record goes."""
    OutgoingEmail.objects.filter(
        about_type=ContentType.objects.get_for_model(model), about_id__in=ids
    ).update(body_text=ERASED_BODY, body_html="")
    EmailAttachment.objects.filter(
        email__about_type=ContentType.objects.get_for_model(model), email__about_id__in=ids
    ).delete()


def member_organisations_import(*, names: Iterable[str]) -> tuple[int, int]:
    """Add member organisations by name, ignoring blanks and any already known (case-insensitively).

    Returns (added, already known).
    """
    wanted: dict[str, str] = {}
    for name in names:
        cleaned = " ".join(name.split())[:200]
        if cleaned:
            wanted.setdefault(cleaned.lower(), cleaned)
    known = {
        name.lower()
        for name in MemberOrganisation.objects.annotate(lower=Lower("name"))
        .filter(lower__in=list(wanted))
        .values_list("name", flat=True)
    }
    new = [MemberOrganisation(name=name) for key, name in wanted.items() if key not in known]
    MemberOrganisation.objects.bulk_create(new, ignore_conflicts=True)
    return len(new), len(known)


# Applications in these statuses hold or held a place; everything else is unsuccessful once selection is over.
KEPT_STATUSES = (ApplicationStatus.OFFERED, ApplicationStatus.CONFIRMED)


@dataclass(frozen=True)
class PurgeResult:
    applications: int
    interests: int


def recruitment_purge(*, now=None, dry_run: bool = False) -> PurgeResult:
    """Delete unsuccessful applications and all expressions of interest for programmes whose application
    deadline passed more than RECRUITMENT_RETENTION ago."""
    cutoff = (now or timezone.now()) - settings.RECRUITMENT_RETENTION
    applications = Application.objects.filter(programme__applications_close_at__lt=cutoff).exclude(
        status__in=KEPT_STATUSES
    )
    interests = ExpressionOfInterest.objects.filter(programme__applications_close_at__lt=cutoff)
    result = PurgeResult(applications=applications.count(), interests=interests.count())
    if not dry_run:
        with transaction.atomic():
            _erase_emails_about(Application, list(applications.values_list("pk", flat=True)))
            _erase_emails_about(ExpressionOfInterest, list(interests.values_list("pk", flat=True)))
            applications.delete()
            interests.delete()
    return result
