"""The one builder of test worlds: every world the tests and benchmarks stand on is put together from these steps.

    site_world(size)       tests/security/world.py: two programmes, every page's objects (the permission matrix,
                           headers, query budgets, the browser walk)
    group_world(size)      tests/dashboards/conftest.py: one group half-way through its programme (the dashboards)
    person world           tests/members/test_personal_data_coverage.py: one person with a row in every model
    bench/world.py         the load benchmarks' seeded demo, a group of members signed in

Each world is a composition of the steps below (a group's members with their availability, its six sessions,
attendance, coffee rounds planned and published, an expense claim with its receipt), so a change to how, say, a
member or a claim comes to exist is made once. `size` is how many rows each list of the world has, so that a page's
query count can be compared at 1 and at 20.

Only tests and bench import this; it imports the site's services and the factories, never the other way round.
"""

import datetime
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from applications.enums import ApplicationStatus, AvailabilityAnswer, Notify
from applications.models import Application, CandidateTime, Cohort, Programme
from applications.services import applications_offer
from cohort_site.core.models import User
from cohort_site.mail.enums import EmailKind
from cohort_site.mail.models import OutgoingEmail
from cohort_site.mail.services import email_store
from cohort_site.members.models import Expense
from cohort_site.members.services import expense_submit
from learning.enums import Visibility
from learning.models import (
    DigestSubscriber,
    Entry,
    EventRegistration,
    NetworkEvent,
    ReadingItem,
    ReadingTick,
    Survey,
)
from learning.network.services import digest_confirm, digest_subscribe, event_register
from learning.services import survey_response_save, surveys_ensure_defaults
from pairings.models import PairMember, Round
from pairings.services import pairs_plan, round_publish, rounds_sync
from sessions_app.enums import AttendanceStatus
from sessions_app.models import GroupTopic, Session, TopicVote
from tests.factories import (
    ApplicationFactory,
    AttendanceFactory,
    AvailabilityFactory,
    CandidateTimeFactory,
    CohortFactory,
    CohortScheduleFactory,
    EntryFactory,
    MemberFactory,
    NetworkEventFactory,
    ProgrammeFactory,
    ReadingItemFactory,
    SessionFactory,
    SessionFeedbackFactory,
    StaffFactory,
    UserFactory,
    application_in,
)

UTC = datetime.UTC
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# --- The steps ------------------------------------------------------------------------------------------------


def receipt() -> SimpleUploadedFile:
    """A small, valid PDF, as a member's receipt upload."""
    return SimpleUploadedFile("receipt.pdf", PDF)


def member_with_times(
    cohort: Cohort,
    times: Sequence[CandidateTime] | Mapping[CandidateTime, str],
    **fields,
) -> Application:
    """A confirmed member of the group with an account, and their answers for the candidate times (a list: yes
    to each; a mapping: the answer given for each)."""
    member = MemberFactory(cohort=cohort, **fields)
    answers = times if isinstance(times, Mapping) else dict.fromkeys(times, AvailabilityAnswer.YES)
    for time, answer in answers.items():
        AvailabilityFactory(application=member, candidate_time=time, answer=answer)
    return member


def group_sessions(cohort: Cohort, *, count: int = 6, topics: bool = False) -> list[Session]:
    """The group's weekly sessions 1..count (with "Topic n" when `topics`)."""
    extra = (lambda n: {"topic": f"Topic {n}"}) if topics else (lambda n: {})
    return [SessionFactory(cohort=cohort, number=n, **extra(n)) for n in range(1, count + 1)]


def sessions_attended(
    sessions: Iterable[Session],
    members: Iterable[Application],
    status: str = AttendanceStatus.ATTENDED,
) -> None:
    """Attendance taken: each member at each session."""
    members = list(members)
    for session in sessions:
        for member in members:
            AttendanceFactory(session=session, member=member, status=status)


def coffee_published(cohort: Cohort, *, published: int, seed: int | None = None) -> list[Round]:
    """The group's coffee rounds (one per gap between sessions) planned and the first `published` of them
    announced; with nobody to pair, the rounds exist but none is planned."""
    rounds = rounds_sync(cohort=cohort)
    if cohort.applications.filter(status=ApplicationStatus.CONFIRMED).count() < 2:
        return rounds
    rounds = pairs_plan(cohort=cohort, seed=seed)
    for round_ in rounds[:published]:
        round_publish(round_=round_)
    return list(Round.objects.filter(cohort=cohort).order_by("number"))


def expense_claimed(
    *,
    claimant: User,
    programme: Programme,
    amount: Decimal,
    spent_on: datetime.date,
    description: str = "Train to the session",
    category: str = "travel",
) -> Expense:
    """A claim with its receipt, submitted as the member's form does (so its confirmation email is queued)."""
    expense, _ = expense_submit(
        claimant=claimant,
        programme=programme,
        category=category,
        amount=amount,
        spent_on=spent_on,
        description=description,
        receipt=receipt(),
        receipt_mimetype="application/pdf",
        submission_token=uuid.uuid4(),
    )
    return expense


# --- The site world: every page's objects ----------------------------------------------------------------------

# A Wednesday. The running programme's sessions are on Tuesdays from 25 February: three are over, three to come.
NOW = datetime.datetime(2031, 3, 12, 10, 0, tzinfo=UTC)


@dataclass
class SiteWorld:
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
    network_event: NetworkEvent
    registration: EventRegistration
    digest_subscriber: DigestSubscriber


def site_world(size: int = 1) -> SiteWorld:
    """Programme "running" is running: Group A (the member, Ada, and `size` peers) and Group B (another member),
    six sessions each, the first three over; coffee rounds 1-3 published; a survey open; entries, an expense with
    its receipt, an email, feedback. Programme "open" is open for applications: the applicant has applied there,
    with an account. Group A has `size` peers and each list `size` more rows.

    Call inside `time_machine.travel(NOW, tick=False)`."""
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

    member = member_with_times(cohort_a, times, name="Ada Owner", email="ada@example.org")
    peers = [
        member_with_times(cohort_a, times, name=f"Peer {n:02d}", email=f"peer{n}@example.org")
        for n in range(size)
    ]
    other_member = member_with_times(cohort_b, times, name="Olu Other", email="olu@example.org")

    sessions_a = group_sessions(cohort_a)
    CohortScheduleFactory(
        cohort=cohort_a, candidate_time=times[0], weekday=times[0].weekday, start_time=times[0].start_time
    )
    group_sessions(cohort_b)
    past_session, future_session = sessions_a[0], sessions_a[4]
    sessions_attended([past_session], [member, *peers])
    for person in peers:
        SessionFeedbackFactory(session=past_session, member=person, what_worked="Hearing others.")

    # Session notes on the past session; topics proposed by the member and each peer, one vote each.
    Session.objects.filter(pk=past_session.pk).update(notes="We talked about **volunteers**.")
    past_session.notes = "We talked about **volunteers**."
    for person in [member, *peers]:
        topic = GroupTopic.objects.create(
            cohort=cohort_a, title=f"{person.name}'s topic", description="Why it matters.", proposed_by=person
        )
        TopicVote.objects.create(topic=topic, member=person)

    rounds = coffee_published(cohort_a, published=3)
    round_ = rounds[2]
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

    claims = [
        expense_claimed(
            claimant=person.user,
            programme=running,
            amount=Decimal("12.50") + n,
            spent_on=datetime.date(2031, 2, 25),
        )
        for n, person in enumerate([member, *peers])
    ]
    for n in range(size):
        expense_claimed(
            claimant=member.user,
            programme=running,
            category="other",
            amount=Decimal("3.20"),
            spent_on=datetime.date(2031, 3, 4),
            description=f"Printing {n:02d}",
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

    # The network: sharing events (the first with `size` + 1 registrations, one on the waitlist), a subscriber.
    network_event = NetworkEventFactory(title="Befriending at a distance", capacity=size)
    registration = event_register(
        event=network_event, name="Rhian Jones", organisation="Cardiff Connects", email="rhian@example.org"
    )
    for n in range(size):
        event_register(
            event=network_event,
            name=f"Guest {n:02d}",
            organisation="A charity",
            email=f"guest{n}@example.org",
        )
        NetworkEventFactory(title=f"Sharing event {n:02d}")
    digest_subscriber = digest_confirm(subscriber=digest_subscribe(email="reader@example.org"))

    return SiteWorld(
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
        expense=claims[0],
        email=email,
        survey=survey,
        reading_item=reading_item,
        network_event=network_event,
        registration=registration,
        digest_subscriber=digest_subscriber,
    )


# --- The group world: one group half-way through --------------------------------------------------------------


@dataclass
class GroupWorld:
    programme: Programme
    cohort: Cohort
    me: Application
    others: list[Application]
    sessions: list[Session]
    rounds: list[Round]
    tuesday: CandidateTime
    entries: list[Entry]
    expense: Expense
    now: datetime.datetime


def group_world(size: int) -> GroupWorld:
    """`size` confirmed members (Morgan Reed first); sessions 1 and 2 attended by all; coffee rounds 1 and 2
    published (when there is anyone to pair); Morgan gave feedback on session 1 only, read one of two items,
    has a claim waiting, and wrote one group entry; each of up to three others wrote one too. `now` is the day
    after session 2 (the world is built at the real time: its dates come from the factories)."""
    programme = ProgrammeFactory(title="Relationships at the heart of our work")
    cohort = CohortFactory(programme=programme, name="Group 1")
    tuesday = CandidateTimeFactory(programme=programme, weekday=1, start_time=datetime.time(10))
    thursday = CandidateTimeFactory(programme=programme, weekday=3, start_time=datetime.time(15))
    yes, no = AvailabilityAnswer.YES, AvailabilityAnswer.NO
    me = member_with_times(
        cohort, {tuesday: yes, thursday: yes}, name="Morgan Reed", email="morgan@example.org"
    )
    others = [
        member_with_times(cohort, {tuesday: yes, thursday: no}, name=f"Member {n:02d}")
        for n in range(1, size)
    ]
    sessions = group_sessions(cohort, topics=True)
    rounds = coffee_published(cohort, published=2, seed=3)
    sessions_attended(sessions[:2], [me, *others])
    SessionFeedbackFactory(session=sessions[0], member=me, rating=4)
    for member in others:
        SessionFeedbackFactory(session=sessions[0], member=member, rating=5)
    entries = [EntryFactory(cohort=cohort, authors=[me.user], title="Morgan's notes from session 1")]
    entries += [EntryFactory(cohort=cohort, authors=[m.user], title=f"Notes by {m.name}") for m in others[:3]]
    EntryFactory(cohort=cohort, authors=[me.user], title="Morgan's draft", visibility=Visibility.DRAFT)
    ReadingTick.objects.create(item=ReadingItemFactory(programme=programme), user=me.user)
    ReadingItemFactory(programme=programme)  # not read yet
    expense = expense_claimed(
        claimant=me.user, programme=programme, amount=Decimal("12.50"), spent_on=datetime.date(2026, 11, 20)
    )
    return GroupWorld(
        programme=programme,
        cohort=cohort,
        me=me,
        others=others,
        sessions=sessions,
        rounds=rounds,
        tuesday=tuesday,
        entries=entries,
        expense=expense,
        now=sessions[1].ends_at + datetime.timedelta(days=1),
    )
