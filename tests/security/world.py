"""A small, complete world of the site for tests that walk every page: the permission matrix, headers and the
query budgets. Built at a fixed moment (NOW) so what is past, current and future never depends on the day.

Programme P1 is running: cohort A (the member, their peers) and cohort B (another member), six sessions each,
the first three over; coffee rounds 1-3 published; a survey open; entries, an expense with its receipt, an
email, feedback. Programme P2 is open for applications: the applicant has applied there, with an account.
`build_world(size=n)` gives cohort A n peers and n of each list's rows, so query counts can be compared.
"""

import datetime
import uuid
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlsplit

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve

from applications.enums import ApplicationStatus, AvailabilityAnswer, Notify
from applications.links import application_token, offer_token
from applications.models import Application, Cohort, Programme
from applications.services import applications_offer, current_offer
from cohort_site.core.models import User
from cohort_site.mail.enums import EmailKind
from cohort_site.mail.models import OutgoingEmail
from cohort_site.mail.services import email_store, unsubscribe_token
from cohort_site.members.models import Expense
from cohort_site.members.services import expense_submit
from learning.enums import Visibility
from learning.models import Entry, ReadingItem, Survey
from learning.services import survey_response_save, surveys_ensure_defaults
from pairings.models import PairMember, Round
from pairings.services import pairs_plan, round_publish
from sessions_app.enums import AttendanceStatus
from sessions_app.models import Session
from tests.factories import (
    ApplicationFactory,
    AttendanceFactory,
    AvailabilityFactory,
    CandidateTimeFactory,
    CohortFactory,
    EntryFactory,
    MemberFactory,
    ProgrammeFactory,
    ReadingItemFactory,
    SessionFactory,
    SessionFeedbackFactory,
    StaffFactory,
    UserFactory,
    application_in,
)

UTC = datetime.UTC
# A Wednesday. P1's sessions are on Tuesdays from 25 February: three are over, three to come.
NOW = datetime.datetime(2031, 3, 12, 10, 0, tzinfo=UTC)
ROLES = ("anonymous", "applicant", "other_member", "member", "staff")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class World:
    running: Programme
    open: Programme
    cohort_a: Cohort
    cohort_b: Cohort
    member: Application
    other_member: Application
    applicant: Application
    offeree: Application
    staff: User
    past_session: Session
    future_session: Session
    round: Round
    pairing: PairMember
    entry: Entry
    public_entry: Entry
    expense: Expense
    email: OutgoingEmail
    survey: Survey
    reading_item: ReadingItem

    def user(self, role: str) -> User | None:
        return {
            "anonymous": None,
            "applicant": self.applicant.user,
            "other_member": self.other_member.user,
            "member": self.member.user,
            "staff": self.staff,
        }[role]

    def kwargs(self) -> dict[str, dict]:
        """The kwargs of every URL that takes any: the objects each page is about, owned by the member."""
        member = self.member
        running = {"slug": self.running.slug}
        return {
            "applications:programme": {"slug": self.open.slug},
            "applications:interest": {"slug": self.open.slug},
            "applications:interest_thanks": {"slug": self.open.slug},
            "applications:apply": {"slug": self.open.slug},
            "applications:apply_thanks": {"slug": self.open.slug},
            "applications:privacy": {"slug": self.open.slug},
            "applications:private": {"token": application_token(self.applicant)},
            "applications:edit": {"token": application_token(self.applicant)},
            "applications:withdraw": {"token": application_token(self.applicant)},
            "applications:data_export": {"token": application_token(self.applicant)},
            "applications:erase": {"token": application_token(self.applicant)},
            "applications:selection_programme": running,
            "applications:selection_next": running,
            "applications:selection_emails": running,
            "applications:selection_cohort": {"pk": self.cohort_a.pk},
            "applications:selection_promote": {"pk": self.cohort_a.pk},
            "applications:selection_from_waitlist": {"pk": self.cohort_a.pk},
            "applications:selection_decide": {"action": "offer"},
            "applications:selection_waitlist_move": {"pk": self.applicant.pk},
            "applications:offer_respond": {
                "token": offer_token(application=self.offeree, offer=current_offer(self.offeree))
            },
            "applications:next_group": {"token": _next_group_token(self.applicant)},
            "mail:unsubscribe": {"token": unsubscribe_token(email=member.email, kind="coffee-reminder")},
            "mail:outbox_email": {"pk": self.email.pk},
            "mail:outbox_email_html": {"pk": self.email.pk},
            "members:expense_receipt": {"pk": self.expense.pk},
            "members:withdraw": {"pk": member.pk},
            "members:expense_decide": {"pk": self.expense.pk},
            "sessions:apologies": {"pk": self.future_session.pk},
            "sessions:calendar_feed": {"user_id": member.user.pk, "token": member.user.calendar_token},
            "sessions:cohort_schedule": {"pk": self.cohort_a.pk},
            "sessions:cohort_invites": {"pk": self.cohort_a.pk},
            "sessions:session_add": {"pk": self.cohort_a.pk},
            "sessions:session": {"pk": self.past_session.pk},
            "learning:detail": {"pk": self.entry.pk},
            "learning:edit": {"pk": self.entry.pk},
            "learning:share": {"pk": self.entry.pk},
            "learning:reading_tick": {"pk": self.reading_item.pk},
            "learning:session_feedback": {"session_id": self.past_session.pk},
            "learning:survey": {"pk": self.survey.pk},
            "learning:results": running,
            "learning:results_csv": running,
            "learning:session_results": {"session_id": self.past_session.pk},
            "learning:survey_results": {"pk": self.survey.pk},
            "learning:survey_edit": {"pk": self.survey.pk},
            "learning:survey_csv": {"pk": self.survey.pk},
            "pairings:mark_met": {"pk": self.pairing.pk},
            "pairings:cohort_plan": {"pk": self.cohort_a.pk},
            "pairings:plan": {"pk": self.cohort_a.pk},
            "pairings:swap": {"pk": self.round.pk},
            "pairings:publish": {"pk": self.round.pk},
            # allauth's links carry keys it made; a made-up key is what a stranger would have.
            "account_confirm_email": {"key": "not-a-real-key"},
            "account_reset_password_from_key": {"uidb36": "1", "key": "not-a-real-key"},
        }

    def query(self) -> dict[str, str]:
        """Query strings a page needs to show anything (the admin passes the chosen ids)."""
        return {"applications:selection_decide": f"?ids={self.offeree.pk}"}

    def post_data(self) -> dict[str, dict]:
        """For each URL that takes a POST: a payload that changes something when the role is allowed to."""
        draft = {"notify": Notify.DRAFT}
        return {
            "sessions:apologies": {"note": "Sorry, a funeral."},
            "sessions:calendar_reset": {},
            "sessions:cohort_invites": {},
            "sessions:session": {"action": "cancel", "cancel-reason": "Snow.", "cancel-confirm": "on"},
            "pairings:mark_met": {},
            "pairings:skip_next": {},
            "pairings:plan": {},
            "pairings:publish": {},
            "pairings:swap": {
                f"round-{self.round.pk}-first": self.member.pk,
                f"round-{self.round.pk}-second": self.member.pk,
            },
            "members:expense_decide": {"status": "approved"},
            "members:staff_erasure": {"email": self.member.email, "confirm": "on"},
            "members:leave": {"reason": "Moving job."},
            "members:withdraw": {"reason": "Asked by phone."},
            "mail:outbox": {"action": "send_drafts", "emails": [self.email.pk]},
            "applications:selection_next": {},
            "applications:selection_promote": draft,
            "applications:selection_from_waitlist": {"count": 1, **draft},
            "applications:selection_waitlist_move": {"direction": "up"},
            "applications:selection_emails": {"email": [self.email.pk]},
            "learning:share": {"action": "request", "audience": Visibility.NETWORK},
            "learning:reading_tick": {"done": "1"},
            "learning:reading": {
                "programme": self.running.pk,
                "title": "New",
                "url": "https://example.org/n",
            },
            "learning:edit": {"title": "Changed", "body": "Changed.", "kind": self.entry.kind},
            "learning:manage": {"programme": self.running.pk},
            "learning:survey_edit": {
                "title": "Renamed",
                "opens_after_session": 3,
                "questions-TOTAL_FORMS": 0,
                "questions-INITIAL_FORMS": 0,
            },
        }


def _next_group_token(application: Application) -> str:
    from django.core import signing

    from applications.links import NEXT_GROUP_LINK_SALT

    return signing.dumps({"a": application.pk}, salt=NEXT_GROUP_LINK_SALT)


def _member(cohort: Cohort, times, **fields) -> Application:
    member = MemberFactory(cohort=cohort, **fields)
    for time in times:
        AvailabilityFactory(application=member, candidate_time=time, answer=AvailabilityAnswer.YES)
    return member


def _sessions(cohort: Cohort) -> list[Session]:
    return [SessionFactory(cohort=cohort, number=number) for number in range(1, 7)]


def build_world(size: int = 1) -> World:
    """Call inside `time_machine.travel(NOW, tick=False)` (the `world` fixtures do)."""
    running = ProgrammeFactory(
        title="Relationships at the heart of our work",
        slug="running",
        applications_open_at=datetime.datetime(2030, 12, 1, 9, tzinfo=UTC),
        applications_close_at=datetime.datetime(2031, 1, 20, 9, tzinfo=UTC),
        confirmation_week=datetime.date(2031, 2, 3),
        first_session_week=datetime.date(2031, 2, 24),
    )
    open_programme = ProgrammeFactory(
        title="Connecting through creativity",
        slug="open",
        applications_open_at=datetime.datetime(2031, 3, 1, 9, tzinfo=UTC),
        applications_close_at=datetime.datetime(2031, 4, 1, 9, tzinfo=UTC),
        confirmation_week=datetime.date(2031, 4, 7),
        first_session_week=datetime.date(2031, 4, 28),
    )
    times = [
        CandidateTimeFactory(programme=running, weekday=1, start_time=datetime.time(14)),
        CandidateTimeFactory(programme=running, weekday=3, start_time=datetime.time(10)),
    ]
    CandidateTimeFactory(programme=open_programme, weekday=1, start_time=datetime.time(14))
    cohort_a = CohortFactory(programme=running, number=1, name="Group A", size=20 + size)
    cohort_b = CohortFactory(programme=running, number=2, name="Group B")
    staff = StaffFactory(name="Zoë Manager", is_superuser=True)

    member = _member(cohort_a, times, name="Ada Owner", email="ada@example.org")
    peers = [
        _member(cohort_a, times, name=f"Peer {n:02d}", email=f"peer{n}@example.org") for n in range(size)
    ]
    other_member = _member(cohort_b, times, name="Olu Other", email="olu@example.org")

    sessions_a = _sessions(cohort_a)
    _sessions(cohort_b)
    past_session, future_session = sessions_a[0], sessions_a[4]
    for person in [member, *peers]:
        AttendanceFactory(session=past_session, member=person, status=AttendanceStatus.ATTENDED)
    for person in peers:
        SessionFeedbackFactory(session=past_session, member=person, what_worked="Hearing others.")

    pairs_plan(cohort=cohort_a)
    for number in (1, 2, 3):
        round_publish(round_=Round.objects.get(cohort=cohort_a, number=number))
    round_ = Round.objects.get(cohort=cohort_a, number=3)
    pairing = PairMember.objects.get(round=round_, member=member)

    entry = EntryFactory(
        cohort=cohort_a, title="What we learned", visibility=Visibility.GROUP, authors=[member.user]
    )
    public_entry = EntryFactory(
        cohort=cohort_a, title="Shared with everyone", visibility=Visibility.PUBLIC, authors=[member.user]
    )
    for n in range(size):
        EntryFactory(
            cohort=cohort_a,
            title=f"Peer entry {n:02d}",
            visibility=Visibility.PUBLIC if n % 2 else Visibility.GROUP,
            authors=[peers[n].user],
        )
    reading_item = ReadingItemFactory(programme=running, title="A good read")
    for n in range(size):
        ReadingItemFactory(programme=running, title=f"Further reading {n:02d}")

    surveys_ensure_defaults(programme=running)
    survey = Survey.objects.get(programme=running, opens_after_session=3)
    questions = list(survey.questions.all())
    for person in peers:
        survey_response_save(
            survey=survey,
            member=person,
            answers={q.pk: (4 if q.kind == "rating" else "Useful.") for q in questions},
        )

    expense = None
    for n, person in enumerate([member, *peers]):
        claim, _ = expense_submit(
            claimant=person.user,
            programme=running,
            category="travel",
            amount=Decimal("12.50") + n,
            spent_on=datetime.date(2031, 2, 25),
            description="Train to the session",
            receipt=SimpleUploadedFile("receipt.pdf", PDF),
            receipt_mimetype="application/pdf",
            submission_token=uuid.uuid4(),
        )
        expense = expense or claim

    for n in range(size):
        expense_submit(
            claimant=member.user,
            programme=running,
            category="other",
            amount=Decimal("3.20"),
            spent_on=datetime.date(2031, 3, 4),
            description=f"Printing {n:02d}",
            receipt=SimpleUploadedFile("receipt.pdf", PDF),
            receipt_mimetype="application/pdf",
            submission_token=uuid.uuid4(),
        )

    email = email_store(
        key="world:hello",
        kind=EmailKind.SESSION_REMINDER,
        to=member.email,
        subject="Hello",
        body_text="Hi.",
        body_html="<p>Hi.</p>",
    )
    for n in range(size):
        email_store(
            key=f"world:peer:{n}",
            kind=EmailKind.SESSION_REMINDER,
            to=peers[n].email,
            subject="Hello",
            body_text="Hi.",
        )

    applicant = ApplicationFactory(
        programme=open_programme,
        name="Ama Applicant",
        email="ama@example.org",
        user=UserFactory(email="ama@example.org", name="Ama Applicant"),
    )
    offeree = ApplicationFactory(programme=running, name="Oni Offered", email="oni@example.org")
    applications_offer(applications=[offeree], cohort=cohort_a, by=staff, notify=Notify.DRAFT)
    offeree.refresh_from_db()
    for n in range(size):
        application_in(ApplicationStatus.WAITLISTED, programme=running, name=f"Waiting {n:02d}")

    return World(
        running=running,
        open=open_programme,
        cohort_a=cohort_a,
        cohort_b=cohort_b,
        member=member,
        other_member=other_member,
        applicant=applicant,
        offeree=offeree,
        staff=staff,
        past_session=past_session,
        future_session=future_session,
        round=round_,
        pairing=pairing,
        entry=entry,
        public_entry=public_entry,
        expense=expense,
        email=email,
        survey=survey,
        reading_item=reading_item,
    )


# --- The URL configuration, walked ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str  # namespaced, e.g. "learning:detail"
    pattern: str
    kwargs: tuple[str, ...]


def routes() -> list[Route]:
    """Every named URL of the site, from the resolver itself (admin, allauth and ours)."""

    def walk(resolver, prefix: str, namespaces: tuple[str, ...]):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = (*namespaces, pattern.namespace) if pattern.namespace else namespaces
                yield from walk(pattern, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield Route(
                    name=":".join((*namespaces, pattern.name)),
                    pattern=prefix + str(pattern.pattern),
                    kwargs=tuple(pattern.pattern.regex.groupindex),
                )

    seen: dict[str, Route] = {}
    for route in walk(get_resolver(), "", ()):
        seen.setdefault(route.name, route)  # reverse() uses the first pattern of a name
    return sorted(seen.values(), key=lambda r: r.name)


def outcome(response) -> int | str:
    """What a request came to: the status, or for a redirect "→" and the name of the page it sends to."""
    if response.status_code in (301, 302, 303, 307, 308):
        path = urlsplit(response["Location"]).path
        try:
            return "→" + resolve(path).view_name
        except Resolver404:
            return "→" + path
    return response.status_code


def admin_routes() -> list[Route]:
    return [route for route in routes() if route.name.startswith("admin:")]


def own_routes() -> list[Route]:
    return [route for route in routes() if not route.name.startswith("admin:")]
