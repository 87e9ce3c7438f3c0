import datetime
import uuid
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from applications.departures import member_leave_handler
from applications.enums import ApplicationStatus, Notify
from applications.models import Application
from applications.services import application_set_status
from cohort_site.core.dates import zone_label
from cohort_site.core.models import User
from cohort_site.mail.enums import EmailKind
from cohort_site.mail.services import email_preferences_set, email_queue, emails_skip_for_leaver
from pairings.alumni import alumni_coffee_leave
from pairings.services import pairs_member_leave
from sessions_app.services import guest_offer_withdraw, member_sessions_cancellation

from .enums import ExpenseStatus
from .models import Expense

RECEIPT_NOT_SAVED = "We could not save your receipt. Nothing was sent: please try again in a few minutes."

E = ExpenseStatus

# The email each status of a claim sends its claimant (its kind names its template).
EXPENSE_EMAILS: dict[str, EmailKind] = {
    E.SUBMITTED: EmailKind.EXPENSE_SUBMITTED,
    E.APPROVED: EmailKind.EXPENSE_APPROVED,
    E.REJECTED: EmailKind.EXPENSE_REJECTED,
    E.PAID: EmailKind.EXPENSE_PAID,
}
EXPENSE_TRANSITIONS: dict[str, set[str]] = {
    E.SUBMITTED: {E.APPROVED, E.REJECTED},
    E.APPROVED: {E.PAID, E.REJECTED},
    E.REJECTED: set(),
    E.PAID: set(),
}


def expense_submit(
    *,
    claimant,
    programme,
    category: str,
    amount: Decimal,
    spent_on,
    description: str,
    receipt: UploadedFile,
    receipt_mimetype: str,
    submission_token: uuid.UUID,
) -> tuple[Expense, bool]:
    """Store a claim and tell the claimant it arrived. The same submission token twice stores one claim.

    Returns the claim and whether this call created it.
    """
    existing = Expense.objects.filter(submission_token=submission_token, claimant=claimant).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            expense = Expense.objects.create(
                claimant=claimant,
                programme=programme,
                category=category,
                amount=amount,
                spent_on=spent_on,
                description=description,
                receipt=receipt,
                receipt_mimetype=receipt_mimetype,
                submission_token=submission_token,
            )
            _email_claimant(expense)
    except IntegrityError:
        return Expense.objects.get(submission_token=submission_token, claimant=claimant), False
    except OSError as error:
        # The disk refused the receipt (full, or a quota): nothing was stored, and the storage left no file.
        raise ValidationError({"receipt": RECEIPT_NOT_SAVED}) from error
    return expense, True


@transaction.atomic
def expense_set_status(*, expense: Expense, status: str, by: User, reason: str = "") -> Expense:
    """The one place an expense's status changes; the claimant is emailed at each step."""
    locked = Expense.objects.select_for_update().get(pk=expense.pk)
    if status not in EXPENSE_TRANSITIONS[locked.status]:
        raise ValidationError(
            f"A claim that is {E(locked.status).label.lower()} cannot become {E(status).label.lower()}."
        )
    if status == E.REJECTED and not reason.strip():
        raise ValidationError("Say why the claim is rejected; the member will read it.")
    now = timezone.now()
    locked.status = status
    if status in (E.APPROVED, E.REJECTED):
        locked.decided_by, locked.decided_at = by, now
        locked.rejection_reason = reason.strip() if status == E.REJECTED else ""
    if status == E.PAID:
        locked.paid_at = now
    locked.save(update_fields=["status", "decided_by", "decided_at", "rejection_reason", "paid_at"])
    _email_claimant(locked)
    expense.status = locked.status
    return locked


def _email_claimant(expense: Expense) -> None:
    subjects: dict[str, str] = {
        E.SUBMITTED: "We have your expense claim",
        E.APPROVED: "Your expense claim is approved",
        E.REJECTED: "Your expense claim was not approved",
        E.PAID: "Your expense claim has been paid",
    }
    email_queue(
        key=f"expense-{expense.status}:{expense.pk}",
        kind=EXPENSE_EMAILS[expense.status],
        to=expense.claimant.email,
        user=expense.claimant,
        subject=subjects[expense.status],
        context={"expense": expense},
        about=expense,
        reply_to=expense.programme.contact_email,
    )


@transaction.atomic
def user_profile_update(*, user, data: dict) -> None:
    """Save the profile and the choice of optional emails (kept by address, so unsubscribe links agree)."""
    fields = ["name", "pronouns", "organisation", "role", "timezone", "accessibility_needs"]
    for field in fields:
        setattr(user, field, data[field])
    user.full_clean(validate_unique=False, exclude=["password"])
    user.save(update_fields=fields)
    email_preferences_set(email=user.email, wanted=data["emails_wanted"])


# --- Leaving the group ------------------------------------------------------------------------------------

# What a member who has left is sent no more of: the group's sessions, coffee pairs, feedback and surveys.
GROUP_EMAILS = (
    EmailKind.SESSION_INVITE,
    EmailKind.SESSION_UPDATE,
    EmailKind.SESSION_CANCEL,
    EmailKind.SESSION_REMINDER,
    EmailKind.COFFEE_INTRODUCTION,
    EmailKind.COFFEE_NUDGE,
    EmailKind.COFFEE_CHANGE,
    EmailKind.LEARNING_SESSION_FEEDBACK,
    EmailKind.LEARNING_SESSION_FEEDBACK_REMINDER,
    EmailKind.LEARNING_SURVEY,
    EmailKind.LEARNING_SURVEY_REMINDER,
)


@member_leave_handler
def member_leave(
    *,
    application: Application,
    by: User | None,
    reason: str = "",
    now: datetime.datetime | None = None,
    tell_member: bool = True,
) -> Application:
    """A member leaves their group, of their own accord (`by` is the member) or withdrawn by staff.

    In one transaction: the place is withdrawn through the application state machine (audited with who and
    why; the freed place goes to the waitlist if the group is before its cut-off session); messages about the
    group still waiting for them are skipped; coffee rounds not announced are re-planned and, in announced
    ones, whoever was paired with them is re-paired and told; they are out of the alumni coffee pairs and their
    offer to contribute is withdrawn; and they get one email confirming it, whose
    calendar file cancels the sessions still to come.
    """
    now = now or timezone.now()
    with transaction.atomic():
        # Read again, not locked: application_set_status takes the locks in its order (group, then application)
        # and refuses the move if someone changed the place meanwhile; then all of this rolls back.
        application = Application.objects.select_related("cohort__programme", "user").get(pk=application.pk)
        cohort = application.cohort
        if application.status != ApplicationStatus.CONFIRMED or cohort is None:
            raise ValidationError(f"{application.name} is not a member of a group.")
        by_staff = by is not None and by.pk != application.user_id
        sessions, calendar_file = member_sessions_cancellation(member=application, cohort=cohort, now=now)
        emails_skip_for_leaver(to=application.email, user=application.user, kinds=GROUP_EMAILS, now=now)
        who = "Withdrawn by staff" if by_staff else "Left the group"
        application_set_status(
            application=application,
            status=ApplicationStatus.WITHDRAWN,
            by=by,
            note=f"{who}: {reason}" if reason else f"{who}.",
            notify=Notify.NONE,
            now=now,
        )
        pairs_member_leave(member=application, cohort=cohort, now=now)
        if application.user is not None:
            # Out of the alumni coffee pairs (this month's pair too) and no standing offer to contribute.
            alumni_coffee_leave(user=application.user, now=now)
            guest_offer_withdraw(user=application.user)
        if not tell_member:  # they asked for everything about them to be erased: nothing more goes to them
            return application
        programme = cohort.programme
        email_queue(
            key=f"member-left:{application.pk}:{cohort.pk}",
            kind=EmailKind.MEMBER_LEFT,
            to=application.user.email if application.user else application.email,
            user=application.user,
            subject=f"You are no longer in {cohort.name} of {programme.title}",
            context={
                "application": application,
                "cohort": cohort,
                "programme": programme,
                "by_staff": by_staff,
                "sessions": sessions if calendar_file else [],
                "tz": programme.timezone,
                "zone": zone_label(programme.timezone),
            },
            about=application,
            reply_to=programme.contact_email,
            attachments=[calendar_file] if calendar_file else [],
        )
    return application
