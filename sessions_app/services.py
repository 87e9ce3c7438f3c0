"""Writes for the schedule: confirming a cohort's weekly time, changing sessions, guests, apologies,
attendance and calendar tokens. Every calendar change bumps the session's SEQUENCE and emails each person
concerned once (the email keys carry the sequence)."""

from __future__ import annotations

import datetime
from collections.abc import Collection
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from applications.models import Application, CandidateTime, Cohort
from applications.selectors import cohort_members
from cohort_site.core.calendar import build_calendar
from cohort_site.core.dates import DAY, local_text, zone_label
from cohort_site.core.models import User, new_calendar_token
from cohort_site.mail.enums import EmailKind
from cohort_site.mail.selectors import email_keys_existing
from cohort_site.mail.services import Attachment, NewEmail, email_queue, new_email_queue
from cohort_site.mail.wording import wording_batch

from .calendar import session_event
from .changes import sessions_moved
from .enums import AttendanceStatus, SessionKind, SessionStatus
from .join_links import join_url
from .models import Attendance, CohortSchedule, Guest, GuestOffer, Session, SessionJoin
from .selectors import (
    guest_offer_sessions,
    is_alumnus,
    member_timezone,
    schedule_plan,
    session_apologies,
    sessions_to_come,
)

# Fields whose change people's calendars must hear about; the manager's private notes, and the session notes the
# group reads after the session, are not in calendars.
CALENDAR_FIELDS = ("topic", "join_url", "venue", "agenda")
DETAIL_FIELDS = (*CALENDAR_FIELDS, "manager_notes", "notes")


@dataclass(frozen=True)
class Recipient:
    key: str  # stable part of email keys: member:<application pk> or guest:<guest pk>
    name: str
    email: str
    tz: str
    user: object = None
    own_join_url: str = ""  # a member's own join link (sessions_app/join_links.py); guests get the video link


def _member_recipient(member: Application) -> Recipient:
    programme = member.cohort.programme if member.cohort is not None else member.programme
    user = member.user
    return Recipient(
        key=f"member:{member.pk}",
        name=member.name,
        email=user.email if user else member.email,
        tz=member_timezone(user, programme).key,
        user=user,
        # Only a member with an account has a join link (it is bound to their calendar feed's secret).
        own_join_url=join_url(member) if member.cohort_id and user is not None else "",
    )


def _guest_recipient(guest: Guest) -> Recipient:
    return Recipient(
        key=f"guest:{guest.pk}",
        name=guest.name,
        email=guest.email,
        tz=guest.session.cohort.programme.timezone,
    )


def session_recipients(session: Session) -> list[Recipient]:
    """Everyone a change to this session concerns: the cohort's members and the session's guests."""
    members = [
        _member_recipient(member)
        for member in cohort_members(session.cohort).select_related("cohort__programme")
    ]
    guests = [
        _guest_recipient(guest) for guest in session.guests.select_related("session__cohort__programme")
    ]
    return members + guests


def _ics(sessions: list[Session], recipient: Recipient, method: str) -> Attachment:
    content = build_calendar(
        [
            session_event(
                session,
                attendee=(recipient.name, recipient.email),
                schedule_link=recipient.user is not None,
                join_link=recipient.own_join_url,
            )
            for session in sessions
        ],
        method=method,
    )
    filename = "cancel.ics" if method == "CANCEL" else "invite.ics"
    # The method in the MIME type is what makes mail clients treat the file as an invitation (RFC 6047).
    return Attachment(filename=filename, mimetype=f"text/calendar; method={method}", content=content)


def session_email(
    *,
    key: str,
    kind: EmailKind,
    subject: str,
    session: Session,
    recipient: Recipient,
    context: dict | None = None,
) -> NewEmail:
    """One email about a session to one person (without a calendar file: see session_email_queue)."""
    programme = session.cohort.programme
    return NewEmail(
        key=key,
        kind=kind,
        to=recipient.email,
        user=recipient.user,
        subject=subject,
        context={
            "session": session,
            "programme": programme,
            "recipient": recipient,
            "tz": recipient.tz,
            **(context or {}),
        },
        about=session,
        reply_to=programme.contact_email,
    )


def session_email_queue(*, method: str | None, **fields) -> None:
    """Queue `session_email(**fields)`, with the calendar file for `method` (REQUEST or CANCEL) when given."""
    new_email_queue(
        session_email(**fields),
        attachments=[_ics([fields["session"]], fields["recipient"], method)] if method else [],
    )


# --- Confirming the weekly time ------------------------------------------------------------------------


def schedule_confirm(
    *,
    cohort: Cohort,
    candidate_time: CandidateTime,
    by: User | None = None,
    join_url: str = "",
    venue: str = "",
    keep: Collection[datetime.date] = (),
    now: datetime.datetime | None = None,
) -> CohortSchedule:
    """Fix the cohort's weekly time and create its sessions (first orientation, last review) as the manager
    previewed them (`schedule_plan`): from its first week, at that weekday and local time in the programme's
    zone, skipping bank-holiday weeks except those in `keep`; then invite every member. Once only."""
    now = now or timezone.now()
    programme = cohort.programme
    if candidate_time.programme_id != programme.pk:
        raise ValidationError({"candidate_time": "That time is not one this programme offered."})
    try:
        with transaction.atomic():
            Cohort.objects.select_for_update().filter(pk=cohort.pk).first()
            if CohortSchedule.objects.filter(cohort=cohort).exists() or cohort.sessions.exists():
                raise ValidationError("This group's time is already confirmed.")
            schedule = CohortSchedule.objects.create(
                cohort=cohort,
                candidate_time=candidate_time,
                weekday=candidate_time.weekday,
                start_time=candidate_time.start_time,
                confirmed_by=by,
                confirmed_at=now,
            )
            plan = schedule_plan(cohort, candidate_time, keep=keep, now=now)
            Session.objects.bulk_create(
                Session(
                    cohort=cohort,
                    number=planned.number,
                    kind=planned.kind,
                    starts_at=planned.starts_at,
                    ends_at=planned.ends_at,
                    join_url=join_url,
                    venue=venue,
                )
                for planned in plan.sessions
            )
            schedule_invites_send(cohort=cohort)
    except IntegrityError as error:
        raise ValidationError("This group's time is already confirmed.") from error
    return schedule


def schedule_retime(
    *,
    cohort: Cohort,
    candidate_time: CandidateTime,
    by: User | None = None,
    keep: Collection[datetime.date] = (),
    now: datetime.datetime | None = None,
) -> list[Session]:
    """Change a confirmed group's weekly time: the sessions to come move to `candidate_time` as the manager
    previewed them (`schedule_plan`); sessions already held, and cancelled ones, stay as they are. Each moved
    session keeps its calendar UID and its SEQUENCE rises, so calendars update in place; each member (and each
    guest of a moved session) gets one email listing every change, with one calendar file. Returns the moved
    sessions, in order."""
    now = now or timezone.now()
    programme = cohort.programme
    if candidate_time.programme_id != programme.pk:
        raise ValidationError({"candidate_time": "That time is not one this programme offered."})
    with transaction.atomic():
        Cohort.objects.select_for_update().filter(pk=cohort.pk).first()
        schedule = CohortSchedule.objects.select_for_update().filter(cohort=cohort).first()
        if schedule is None:
            raise ValidationError("This group's time is not confirmed yet.")
        list(Session.objects.select_for_update().filter(cohort=cohort))
        plan = schedule_plan(cohort, candidate_time, keep=keep, now=now)
        changes = [planned for planned in plan.sessions if planned.moves]
        if not changes:
            raise ValidationError("The sessions to come are at that time already: nothing to change.")
        moved = []
        for planned in changes:
            session = planned.session
            assert session is not None  # a planned session that moves is an existing one
            session.starts_at, session.ends_at = planned.starts_at, planned.ends_at
            session.sequence += 1
            moved.append(session)
        Session.objects.bulk_update(moved, ["starts_at", "ends_at", "sequence"])
        schedule.candidate_time = candidate_time
        schedule.weekday, schedule.start_time = candidate_time.weekday, candidate_time.start_time
        schedule.confirmed_by, schedule.confirmed_at = by, now
        schedule.revision += 1
        schedule.save(
            update_fields=[
                "candidate_time",
                "weekday",
                "start_time",
                "confirmed_by",
                "confirmed_at",
                "revision",
            ]
        )
        moved = list(
            Session.objects.filter(pk__in=[s.pk for s in moved])
            .select_related("cohort__programme")
            .prefetch_related("guests")
            .order_by("starts_at", "number")
        )
        previous = {planned.number: planned.previous_starts_at for planned in changes}
        _send_retime(cohort, schedule, moved, previous)
        sessions_moved(cohort)
    return moved


def _send_retime(
    cohort: Cohort,
    schedule: CohortSchedule,
    moved: list[Session],
    previous: dict[int, datetime.datetime | None],
) -> None:
    """One email per person about a change of weekly time: every member, and each guest of a moved session
    (once, however many of the moved sessions they are invited to), with the calendar file for their sessions."""
    programme = cohort.programme
    members = [
        _member_recipient(member) for member in cohort_members(cohort).select_related("cohort__programme")
    ]
    addresses = {recipient.email.lower() for recipient in members}
    guests: dict[str, tuple[Recipient, list[Session]]] = {}
    for session in moved:
        for guest in session.guests.all():
            address = guest.email.lower()
            if address in addresses:
                continue
            guest.session = session
            recipient, theirs = guests.setdefault(address, (_guest_recipient(guest), []))
            theirs.append(session)
    everyone = [(recipient, moved) for recipient in members] + list(guests.values())
    for recipient, sessions in everyone:
        email_queue(
            key=f"session-retime:{cohort.pk}:{schedule.revision}:{recipient.key}",
            kind=EmailKind.SESSION_RETIME,
            to=recipient.email,
            user=recipient.user,
            subject=f"New times for your sessions: {programme.title}",
            context={
                "changes": [(session, previous[session.number]) for session in sessions],
                "schedule": schedule,
                "zone": zone_label(programme.timezone),
                "programme": programme,
                "cohort": cohort,
                "recipient": recipient,
                "tz": recipient.tz,
            },
            about=cohort,
            reply_to=programme.contact_email,
            attachments=[_ics(sessions, recipient, "REQUEST")],
        )


def schedule_invites_send(*, cohort: Cohort) -> int:
    """Send each confirmed member one invite holding all the cohort's sessions still on. A member who has had
    theirs is not sent another, so this also invites people who joined late. Returns how many were queued."""
    sessions = list(
        Session.objects.filter(cohort=cohort, status=SessionStatus.SCHEDULED)
        .select_related("cohort__programme")
        .order_by("number")
    )
    if not sessions:
        return 0
    programme = cohort.programme
    queued = 0
    recipients = [
        _member_recipient(member) for member in cohort_members(cohort).select_related("cohort__programme")
    ]
    keys = {recipient.key: f"session-invite:{cohort.pk}:{recipient.key}" for recipient in recipients}
    # One join link for every session (the usual case) is said once, not under each session.
    join_urls = {session.join_url for session in sessions}
    shared_join_url = join_urls.pop() if len(join_urls) == 1 else ""
    invited = email_keys_existing(keys.values())
    # One reading of the programme's wording for the whole round of invitations (mail/wording.py).
    with wording_batch():
        for recipient in recipients:
            key = keys[recipient.key]
            if key in invited:
                continue
            email_queue(
                key=key,
                kind=EmailKind.SESSION_INVITE,
                to=recipient.email,
                user=recipient.user,
                subject=f"Your sessions: {programme.title}",
                context={
                    "sessions": sessions,
                    # A member's own join link is the same for every session that has a video link.
                    "shared_join_url": (
                        recipient.own_join_url
                        if recipient.own_join_url and any(s.join_url for s in sessions)
                        else shared_join_url
                    ),
                    "programme": programme,
                    "cohort": cohort,
                    "recipient": recipient,
                    "tz": recipient.tz,
                },
                about=cohort,
                reply_to=programme.contact_email,
                attachments=[_ics(sessions, recipient, "REQUEST")],
            )
            queued += 1
    return queued


def member_sessions_cancellation(
    *, member: Application, cohort: Cohort, now: datetime.datetime | None = None
) -> tuple[list[Session], Attachment | None]:
    """A member is leaving `cohort`: the sessions still to come, and the calendar file (METHOD:CANCEL) that
    takes them out of their calendar; no file when they were never sent the invitation or nothing is to come."""
    recipient = _member_recipient(member)
    sessions = sessions_to_come(cohort=cohort, now=now)
    invite = f"session-invite:{cohort.pk}:{recipient.key}"
    if not sessions or invite not in email_keys_existing([invite]):
        return sessions, None
    return sessions, _ics(sessions, recipient, "CANCEL")


# --- Changing one session ------------------------------------------------------------------------------


def _locked(session: Session) -> Session:
    return Session.objects.select_for_update().select_related("cohort__programme").get(pk=session.pk)


# How an update's subject starts: a new session reads as new, not as an update.
UPDATE_SUBJECTS = {"added": "New session"}


def _send_updates(session: Session, *, change: str) -> None:
    # One reading of the programme's wording for everyone told (mail/wording.py).
    with wording_batch():
        for recipient in session_recipients(session):
            day = local_text(session.starts_at, recipient.tz, DAY)
            session_email_queue(
                key=f"session-update:{session.pk}:{session.sequence}:{recipient.key}",
                kind=EmailKind.SESSION_UPDATE,
                subject=f"{UPDATE_SUBJECTS.get(change, 'Updated')}: {session.title}, {day}",
                session=session,
                recipient=recipient,
                method="REQUEST",
                context={"change": change},
            )


def session_move(
    *, session: Session, starts_at: datetime.datetime, by: User | None = None, now=None
) -> Session:
    """Move a session to another start (same length). Sends each person an update once; moving it to where
    it already is changes nothing."""
    now = now or timezone.now()
    if timezone.is_naive(starts_at):
        raise ValueError("starts_at must be aware")
    with transaction.atomic():
        session = _locked(session)
        if session.status != SessionStatus.SCHEDULED:
            raise ValidationError("A cancelled session cannot be moved.")
        if starts_at == session.starts_at:
            return session
        if starts_at <= now:
            raise ValidationError({"starts_at": "Choose a time in the future."})
        length = session.ends_at - session.starts_at
        session.starts_at = starts_at
        session.ends_at = starts_at + length
        session.sequence += 1
        session.save(update_fields=["starts_at", "ends_at", "sequence"])
        _send_updates(session, change="moved")
        sessions_moved(session.cohort)
    return session


def session_update(*, session: Session, by: User | None = None, **fields) -> Session:
    """Change a session's topic, join link, venue, agenda or notes. A change people's calendars show raises
    the SEQUENCE and sends an update; a change to the manager's private notes or the session notes does not."""
    unknown = set(fields) - set(DETAIL_FIELDS)
    if unknown:
        raise TypeError(f"Unknown session fields: {sorted(unknown)}")
    with transaction.atomic():
        session = _locked(session)
        changed = [name for name, value in fields.items() if getattr(session, name) != value]
        if not changed:
            return session
        if session.status != SessionStatus.SCHEDULED:
            raise ValidationError("A cancelled session cannot be changed.")
        for name in changed:
            setattr(session, name, fields[name])
        update_fields = list(changed)
        if set(changed) & set(CALENDAR_FIELDS):
            session.sequence += 1
            update_fields.append("sequence")
        session.full_clean(exclude=["cohort"])
        session.save(update_fields=update_fields)
        if "sequence" in update_fields:
            _send_updates(session, change="details")
    return session


def session_cancel(*, session: Session, by: User | None = None, reason: str = "") -> Session:
    """Cancel a session: its SEQUENCE rises and everyone concerned gets one METHOD:CANCEL. Twice is once."""
    with transaction.atomic():
        session = _locked(session)
        if session.status == SessionStatus.CANCELLED:
            return session
        session.status = SessionStatus.CANCELLED
        session.sequence += 1
        if reason:
            session.manager_notes = (session.manager_notes + f"\n\nCancelled: {reason}").strip()
        session.save(update_fields=["status", "sequence", "manager_notes"])
        for recipient in session_recipients(session):
            session_email_queue(
                key=f"session-cancel:{session.pk}:{recipient.key}",
                kind=EmailKind.SESSION_CANCEL,
                subject=f"Cancelled: {session.title}, {local_text(session.starts_at, recipient.tz, DAY)}",
                session=session,
                recipient=recipient,
                method="CANCEL",
                context={"reason": reason},
            )
    return session


def session_add(
    *,
    cohort: Cohort,
    starts_at: datetime.datetime,
    by: User | None = None,
    topic: str = "",
    join_url: str = "",
    venue: str = "",
    agenda: str = "",
    now=None,
) -> Session:
    """Add a session after the planned ones (the group runs “for as long as there is a need”), numbered next,
    and invite the cohort's members to it."""
    now = now or timezone.now()
    if starts_at <= now:
        raise ValidationError({"starts_at": "Choose a time in the future."})
    programme = cohort.programme
    with transaction.atomic():
        Cohort.objects.select_for_update().filter(pk=cohort.pk).first()
        number = (Session.objects.filter(cohort=cohort).aggregate(Max("number"))["number__max"] or 0) + 1
        session = Session.objects.create(
            cohort=cohort,
            number=number,
            kind=SessionKind.SESSION,
            starts_at=starts_at,
            ends_at=starts_at + programme.session_length,
            topic=topic,
            join_url=join_url,
            venue=venue,
            agenda=agenda,
        )
        session = Session.objects.select_related("cohort__programme").get(pk=session.pk)
        _send_updates(session, change="added")
    return session


# --- Guests --------------------------------------------------------------------------------------------


def guest_invite(
    *, session: Session, name: str, email: str, topic: str = "", by: User | None = None
) -> Guest:
    """Invite an external contributor to one session: they are sent that session's invite and join link only."""
    if session.status != SessionStatus.SCHEDULED:
        raise ValidationError("Guests can only be invited to a session that is going ahead.")
    email = email.strip()
    try:
        # The guest and their invite are one: never one stored without the other.
        with transaction.atomic():
            guest = Guest.objects.create(
                session=session, name=name.strip(), email=email, topic=topic.strip(), invited_by=by
            )
            guest = Guest.objects.select_related("session__cohort__programme").get(pk=guest.pk)
            session = guest.session
            recipient = _guest_recipient(guest)
            day = local_text(session.starts_at, recipient.tz, DAY)
            session_email_queue(
                key=f"session-guest-invite:{guest.pk}",
                kind=EmailKind.SESSION_GUEST_INVITE,
                subject=f"Invitation: {session.cohort.programme.title}, {day}",
                session=session,
                recipient=recipient,
                method="REQUEST",
                context={"guest": guest},
            )
    except IntegrityError as error:
        raise ValidationError({"email": "This person is already invited to this session."}) from error
    return guest


def guest_remove(*, guest: Guest, by: User | None = None) -> None:
    """Withdraw a guest's invitation: their calendar gets a cancel, and they are no longer shown."""
    guest = Guest.objects.select_related("session__cohort__programme").get(pk=guest.pk)
    session = guest.session
    recipient = _guest_recipient(guest)
    day = local_text(session.starts_at, recipient.tz, DAY)
    with transaction.atomic():
        session_email_queue(
            key=f"session-guest-cancel:{guest.pk}",
            kind=EmailKind.SESSION_CANCEL,
            subject=f"Cancelled: {session.cohort.programme.title}, {day}",
            session=session,
            recipient=recipient,
            method="CANCEL",
            context={"guest_withdrawn": True},
        )
        guest.delete()


# --- Offers to contribute, from members whose group has ended ------------------------------------------------


def guest_offer_make(*, user: User, note: str, now: datetime.datetime | None = None) -> GuestOffer:
    """An alumnus offers to be a guest contributor to a later group; offering again replaces the note."""
    now = now or timezone.now()
    if not is_alumnus(user, now=now):
        raise ValidationError("Only members whose group has ended can offer to contribute.")
    note = note.strip()
    if not note:
        raise ValidationError({"note": "Say in a sentence or two what you could talk about."})
    offer, _ = GuestOffer.objects.update_or_create(user=user, defaults={"note": note, "offered_at": now})
    return offer


def guest_offer_withdraw(*, user: User) -> None:
    """The offer goes (an invitation already sent stands: staff withdraw that from the session's page)."""
    GuestOffer.objects.filter(user=user).delete()


def guest_offer_invite(
    *, offer: GuestOffer, session: Session, by: User | None = None, now: datetime.datetime | None = None
) -> Guest:
    """Staff take up an offer: the person is invited as a guest to `session` (a later group's) with the usual
    guest invitation, and the offer records it."""
    now = now or timezone.now()
    if not guest_offer_sessions(offer, now=now).filter(pk=session.pk).exists():
        raise ValidationError({"session": "Choose a session still to come, of a group they were not in."})
    with transaction.atomic():
        offer = GuestOffer.objects.select_for_update().select_related("user").get(pk=offer.pk)
        guest = guest_invite(
            session=session,
            name=offer.user.name or offer.user.email,
            email=offer.user.email,
            topic=offer.note[: Guest._meta.get_field("topic").max_length],
            by=by,
        )
        offer.guest = guest
        offer.save(update_fields=["guest"])
    return guest


# --- Apologies and attendance --------------------------------------------------------------------------


def apologies_send(*, session: Session, member: Application, note: str = "", now=None) -> Attendance:
    """A member says they cannot come. Only before the session starts; sending again updates the note."""
    now = now or timezone.now()
    if session.status != SessionStatus.SCHEDULED or session.starts_at <= now:
        raise ValidationError("Apologies can be sent only before a session that is going ahead.")
    if member.cohort_id != session.cohort_id:
        raise ValidationError("You are not a member of this group.")
    with transaction.atomic():
        attendance, created = Attendance.objects.select_for_update().get_or_create(
            session=session,
            member=member,
            defaults={
                "status": AttendanceStatus.APOLOGIES,
                "note": note,
                "apologised_at": now,
                "recorded_at": now,
            },
        )
        if not created:
            attendance.status = AttendanceStatus.APOLOGIES
            attendance.note = note
            attendance.apologised_at = attendance.apologised_at or now
            attendance.recorded_at = now
            attendance.save(update_fields=["status", "note", "apologised_at", "recorded_at"])
        programme = session.cohort.programme
        email_queue(
            key=f"session-apologies:{session.pk}:{member.pk}",
            kind=EmailKind.SESSION_APOLOGIES,
            to=programme.contact_email,
            subject=f"Apologies from {member.name}: {session.title}",
            context={
                "session": session,
                "member": member,
                "note": note,
                "programme": programme,
                "tz": programme.timezone,
            },
            about=session,
            reply_to=member.user.email if member.user else member.email,
        )
    return attendance


def apologies_withdraw(*, session: Session, member: Application, now=None) -> None:
    """The member can come after all: their apologies are removed (before the session only)."""
    now = now or timezone.now()
    if session.starts_at <= now:
        raise ValidationError("The session has started; the manager records attendance now.")
    Attendance.objects.filter(session=session, member=member, status=AttendanceStatus.APOLOGIES).delete()


def attendance_record(
    *,
    session: Session,
    statuses: dict[int, str],
    notes: dict[int, str] | None = None,
    by: User | None = None,
    now=None,
) -> list[Attendance]:
    """The manager records, after the session has started, who attended. `statuses` maps application id to an
    AttendanceStatus. Recording again overwrites; apologies sent beforehand stay noted."""
    now = now or timezone.now()
    notes = notes or {}
    if session.status != SessionStatus.SCHEDULED or session.starts_at > now:
        raise ValidationError("Attendance is recorded once the session has started.")
    members = {member.pk: member for member in cohort_members(session.cohort)}
    unknown = set(statuses) - set(members)
    if unknown:
        raise ValidationError("Some of those people are not members of this group.")
    valid = set(AttendanceStatus.values)
    if set(statuses.values()) - valid:
        raise ValidationError("Unknown attendance status.")
    records = []
    with transaction.atomic():
        existing = {a.member_id: a for a in Attendance.objects.select_for_update().filter(session=session)}
        for member_id, status in statuses.items():
            attendance = existing.get(member_id)
            note = notes.get(member_id, attendance.note if attendance else "")
            if attendance is None:
                attendance = Attendance.objects.create(
                    session=session,
                    member_id=member_id,
                    status=status,
                    note=note,
                    recorded_at=now,
                    recorded_by=by,
                )
            elif (attendance.status, attendance.note) != (status, note):
                attendance.status, attendance.note = status, note
                attendance.recorded_at, attendance.recorded_by = now, by
                attendance.save(update_fields=["status", "note", "recorded_at", "recorded_by"])
            records.append(attendance)
    return records


def attendance_everyone_present(*, session: Session, by: User | None = None, now=None) -> list[Attendance]:
    """Every member of the group attended, except those who sent apologies beforehand (they stay so): one click
    for the usual session, then the manager changes whoever did not come. Pressing it twice changes nothing."""
    apologised = session_apologies(session)
    statuses: dict[int, str] = {
        member.pk: AttendanceStatus.APOLOGIES if member.pk in apologised else AttendanceStatus.ATTENDED
        for member in cohort_members(session.cohort)
    }
    return attendance_record(session=session, statuses=statuses, by=by, now=now)


def session_join_record(
    *, session: Session, member: Application, now: datetime.datetime | None = None
) -> SessionJoin:
    """A member opened their join link for the session: one record however many times they click, keeping
    the first time. Two clicks at once store one row (the unique constraint; the loser reads the winner's)."""
    now = now or timezone.now()
    if member.cohort_id != session.cohort_id:
        raise ValidationError("You are not a member of this group.")
    SessionJoin.objects.bulk_create(
        [SessionJoin(session=session, member=member, joined_at=now)], ignore_conflicts=True
    )
    return SessionJoin.objects.get(session=session, member=member)


# --- Calendar feed -------------------------------------------------------------------------------------


def calendar_token_reset(*, user) -> str:
    """Give the user a new private feed address; the old one stops working at once."""
    user.calendar_token = new_calendar_token()
    user.save(update_fields=["calendar_token"])
    return user.calendar_token
