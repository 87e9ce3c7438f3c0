from django.db import models


class EmailKind(models.TextChoices):
    """Every kind of message the site sends, with the words the manager sees for it in the outbox.

    The kinds of every app are listed here, in mail, so that mail can know them without importing the apps
    above it. A kind names its template: ``decision-offered`` is rendered from ``templates/emails/
    decision_offered.txt`` (and ``.html`` when there is one), so a caller cannot pair a kind with the wrong
    text. allauth's messages (``account-…``) are rendered by allauth from its own templates.
    """

    # Recruitment (applications)
    INTEREST_CONFIRMATION = "interest-confirmation", "Thanks for registering interest"
    INTEREST_AGAIN = "interest-again", "Interest registered again"
    DROP_IN_REMINDER = "drop-in-reminder", "Drop-in reminder"
    APPLY_REMINDER = "apply-reminder", "Reminder to apply"
    APPLICATION_RECEIVED = "application-received", "Application received"
    APPLICATION_UPDATED = "application-updated", "Application changed"
    APPLICATION_AGAIN = "application-again", "Applied again"
    # Selection (applications)
    DECISION_OFFERED = "decision-offered", "Offer of a place"
    DECISION_WAITLISTED = "decision-waitlisted", "On the waitlist"
    DECISION_DECLINED = "decision-declined", "No place this time"
    DECISION_CONFIRMED = "decision-confirmed", "Place confirmed"
    DECISION_WITHDRAWN = "decision-withdrawn", "Withdrawal confirmed"
    DECISION_OFFER_EXPIRED = "decision-offer-expired", "Offer lapsed"
    OFFER_REMINDER = "offer-reminder", "Reminder to answer an offer"
    PLACE_FREED = "place-freed", "A place came free (to the programme contact)"
    # The schedule (sessions_app)
    SESSION_INVITE = "session-invite", "Invitation to the group's sessions"
    SESSION_UPDATE = "session-update", "Session changed"
    SESSION_RETIME = "session-retime", "The group's weekly time changed"
    SESSION_CANCEL = "session-cancel", "Session cancelled"
    SESSION_GUEST_INVITE = "session-guest-invite", "Invitation to a guest"
    SESSION_REMINDER = "session-reminder", "Session reminder"
    SESSION_APOLOGIES = "session-apologies", "Apologies (to the programme contact)"
    # Coffee pairs (pairings)
    COFFEE_INTRODUCTION = "coffee-introduction", "Coffee pair introduction"
    COFFEE_NUDGE = "coffee-nudge", "Coffee pair nudge"
    COFFEE_CHANGE = "coffee-change", "Coffee pair changed (someone left)"
    ALUMNI_COFFEE_INTRODUCTION = "alumni-coffee-introduction", "Alumni coffee pair introduction (monthly)"
    # Learning
    LEARNING_SESSION_FEEDBACK = "learning-session-feedback", "Request for session feedback"
    LEARNING_SESSION_FEEDBACK_REMINDER = (
        "learning-session-feedback-reminder",
        "Reminder to give session feedback",
    )
    LEARNING_SURVEY = "learning-survey", "Check-in or evaluation invitation"
    LEARNING_SURVEY_REMINDER = "learning-survey-reminder", "Check-in or evaluation reminder"
    LEARNING_SHARING_CONSENT = (
        "learning-sharing-consent",
        "Request to consent to sharing an entry more widely",
    )
    LEARNING_SHARING_CONSENT_REMINDER = (
        "learning-sharing-consent-reminder",
        "Reminder to consent to sharing an entry more widely",
    )
    # Learning that reaches the network: sharing events and the monthly digest (learning/network)
    NETWORK_EVENT_PLACE = "network-event-place", "Sharing event: a place (with a calendar file)"
    NETWORK_EVENT_WAITLISTED = "network-event-waitlisted", "Sharing event: on the waitlist"
    NETWORK_EVENT_REMINDER = "network-event-reminder", "Sharing event reminder"
    NETWORK_EVENT_UPDATE = (
        "network-event-update",
        "Sharing event: a new time or link (with the calendar update)",
    )
    NETWORK_EVENT_LEFT = (
        "network-event-left",
        "Sharing event: your cancellation (with the calendar cancellation)",
    )
    NETWORK_EVENT_CANCELLED = "network-event-cancelled", "Sharing event: cancelled by us"
    NETWORK_DIGEST_CONFIRM = "network-digest-confirm", "Confirm a subscription to the network digest"
    NETWORK_DIGEST = "network-digest", "The monthly network digest"
    LEARNING_NUDGE = "learning-nudge", "Nudge about a step not taken yet (apply, confirm, come, answer)"
    # Expenses (members)
    EXPENSE_SUBMITTED = "expense-submitted", "Expense claim received"
    EXPENSE_APPROVED = "expense-approved", "Expense claim approved"
    EXPENSE_REJECTED = "expense-rejected", "Expense claim not approved"
    EXPENSE_PAID = "expense-paid", "Expense claim paid"
    # Leaving the group (members)
    MEMBER_LEFT = "member-left", "Leaving the group confirmed (with a calendar cancellation)"
    # Accounts (allauth's messages, through mail/account_adapter.py: "account-" and the template's name)
    ACCOUNT_LOGIN_CODE = "account-login-code", "Sign-in code"
    ACCOUNT_EMAIL_CONFIRMATION = "account-email-confirmation", "Confirm an email address"
    ACCOUNT_EMAIL_CONFIRMATION_SIGNUP = (
        "account-email-confirmation-signup",
        "Confirm the address of a new account",
    )
    ACCOUNT_EMAIL_CONFIRM = "account-email-confirm", "Confirm an email address (by code)"
    ACCOUNT_EMAIL_CHANGED = "account-email-changed", "Email address changed"
    ACCOUNT_EMAIL_DELETED = "account-email-deleted", "Email address removed"
    ACCOUNT_PASSWORD_RESET = "account-password-reset", "Password was reset"
    ACCOUNT_PASSWORD_RESET_KEY = "account-password-reset-key", "Password reset link"
    ACCOUNT_PASSWORD_RESET_CODE = "account-password-reset-code", "Password reset code"
    ACCOUNT_PASSWORD_CHANGED = "account-password-changed", "Password changed"
    ACCOUNT_PASSWORD_SET = "account-password-set", "Password set"
    ACCOUNT_ALREADY_EXISTS = "account-account-already-exists", "Sign-up for an address that has an account"
    ACCOUNT_UNKNOWN = "account-unknown-account", "Sign-in attempt for an unknown address"
    # The account owner's alert (mail/signin_alerts.py)
    SIGNIN_FAILURES = "signin-failures", "Repeated failed sign-ins on an account"

    @property
    def template(self) -> str:
        """The template's name under templates/emails/, without .txt or .html."""
        return self.value.replace("-", "_")

    @property
    def optional(self) -> bool:
        """Optional kinds carry an unsubscribe link and may be turned off; every other kind is essential."""
        return self.value in _OPTIONAL_VALUES


class OptionalEmail(models.TextChoices):
    """The kinds of email a person may turn off (each carries an unsubscribe link); the rest are essential.
    The labels are what people read on their profile, where they choose."""

    DROP_IN_REMINDER = (
        EmailKind.DROP_IN_REMINDER.value,
        "A reminder shortly before a drop-in you registered for",
    )
    APPLY_REMINDER = EmailKind.APPLY_REMINDER.value, "A reminder to apply before the deadline"
    COFFEE_NUDGE = (
        EmailKind.COFFEE_NUDGE.value,
        "A nudge half-way through a coffee round when nobody has said “we met”",
    )
    FEEDBACK_REMINDER = (
        EmailKind.LEARNING_SESSION_FEEDBACK_REMINDER.value,
        "A reminder to give feedback on a session",
    )
    SURVEY_REMINDER = (
        EmailKind.LEARNING_SURVEY_REMINDER.value,
        "A reminder to answer the mid-point check-in or evaluation",
    )
    NETWORK_DIGEST = (
        EmailKind.NETWORK_DIGEST.value,
        "The monthly network digest of shared learning and sharing events, if you subscribed to it",
    )
    NUDGE = (
        EmailKind.LEARNING_NUDGE.value,
        "A nudge from the manager about a step you have not taken yet (applying, coming, answering a survey)",
    )


_OPTIONAL_VALUES = frozenset(OptionalEmail.values)


class EmailStatus(models.TextChoices):
    DRAFT = "draft", "Draft (waiting for the manager)"
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    # The server had the whole message and did not say whether it took it: not re-sent without the manager.
    UNKNOWN = "unknown", "May have been sent: check or resend"
    SKIPPED = "skipped", "Not sent"


class SkipReason(models.TextChoices):
    """Why a message was not sent (a skipped email says which)."""

    UNSUBSCRIBED = "unsubscribed", "Not sent: unsubscribed"
    ERASED = "erased", "Not sent: the address was erased"
    LEFT_GROUP = "left_group", "Not sent: the member left the group"
    OUT_OF_DATE = "out_of_date", "Not sent: out of date (what it said changed before it was sent)"


# Waits between attempts after a temporary SMTP failure: 1, 5, 15 and 60 minutes, then the email fails.
RETRY_DELAYS_MINUTES = (1, 5, 15, 60)
