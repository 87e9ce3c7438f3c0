"""A pilot group half-way through its six weeks, beside the open call, so that someone trying the demo sees the
dashboards, the schedule, coffee pairs and learning with something in them, and can sign in as a member.

Everything is made through the services a real programme goes through (offers accepted, time confirmed,
attendance recorded, pairs planned and published, feedback given, entries written), so the emails they send are
in the outbox too. Not published: the public pages keep showing the open call.
"""

import datetime
import zoneinfo
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from applications.enums import AvailabilityAnswer, Notify, QuestionKind, QuestionSection, Region
from applications.models import (
    Application,
    Availability,
    CandidateTime,
    Cohort,
    Programme,
    Question,
)
from applications.services import (
    applications_offer,
    builtin_questions_ensure,
    current_offer,
    offer_accept,
    question_answers_store,
    question_save,
)
from learning.enums import EntryKind, SurveyKind
from learning.services import (
    entry_create,
    entry_publish,
    outcome_items_set,
    session_feedback_save,
    survey_response_save,
)
from pairings.services import pair_mark_met, pairs_plan, round_publish, rounds_sync
from sessions_app.enums import AttendanceStatus
from sessions_app.services import attendance_record, schedule_confirm, session_update
from sessions_app.topics.services import topic_propose, topic_vote

from . import open_call

SLUG = "relationships-and-connections-pilot"
TITLE = "Pilot: relationships and connections at the heart of our work"
JOIN_URL = "https://meet.example.org/connection-coalition-pilot"
MEMBER_EMAIL = "member@example.org"
# (name, email, organisation, role, the challenge they bring, region, type of organisation): the report counts
# those who took part by region and by the answers to the programme's "Type of organisation".
MEMBERS = [
    (
        "Ada Okafor",
        MEMBER_EMAIL,
        "Leeds Befriending Network",
        "Volunteer coordinator",
        "Keeping volunteers after lockdown",
        Region.YORKSHIRE,
        "Charity or voluntary group",
    ),
    (
        "Ben Hughes",
        "ben@example.org",
        "Cardiff Men's Sheds",
        "Project lead",
        "Reaching men who won't ask for help",
        Region.WALES,
        "Charity or voluntary group",
    ),
    (
        "Chloe Baptiste",
        "chloe@example.org",
        "Bristol Good Neighbours",
        "Community connector",
        "Phone to face to face",
        Region.SOUTH_WEST,
        "Local authority",
    ),
    (
        "Dev Sharma",
        "dev@example.org",
        "Leicester Age Friendly",
        "Service designer",
        "Measuring connection, not contacts",
        Region.MIDLANDS,
        "Health (NHS)",
    ),
    (
        "Erin Walsh",
        "erin@example.org",
        "Belfast Youth Link",
        "Youth worker",
        "Young people lonely online",
        Region.NORTHERN_IRELAND,
        "Charity or voluntary group",
    ),
    (
        "Femi Adeyemi",
        "femi@example.org",
        "Hackney Food Circle",
        "Volunteer manager",
        "Meals as a way to meet",
        Region.LONDON,
        "Social enterprise",
    ),
]


def _local_9am(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(9), tzinfo=zoneinfo.ZoneInfo("Europe/London"))


def pilot_first_week(today: datetime.date) -> datetime.date:
    """The Monday two weeks back: sessions 1 and 2 are over, the group is half-way through."""
    return today - timedelta(days=today.weekday(), weeks=2)


@transaction.atomic
def pilot_seed(*, manager, now: datetime.datetime | None = None) -> tuple[Programme, bool]:
    """The pilot programme and its group, once; returns it and whether it was made now. Everything after the
    programme is made through the real services (offers accepted, time confirmed, attendance, coffee, entries)."""
    existing = Programme.objects.filter(slug=SLUG).first()
    if existing is not None:
        return existing, False
    now = now or timezone.now()
    first_week = pilot_first_week(timezone.localdate(now))
    programme = Programme.objects.create(
        slug=SLUG,
        title=TITLE,
        summary=open_call.SUMMARY,
        who_it_is_for=open_call.WHO_IT_IS_FOR,
        what_to_expect=open_call.WHAT_TO_EXPECT,
        time_commitment=open_call.TIME_COMMITMENT,
        location=open_call.LOCATION,
        contact_name=open_call.CONTACT_NAME,
        contact_email=open_call.CONTACT_EMAIL,
        # As the brief's call: open on a Monday, close at 9am on the Wednesday three weeks later.
        applications_open_at=_local_9am(first_week - timedelta(weeks=6)),
        applications_close_at=_local_9am(first_week - timedelta(weeks=3) + timedelta(days=2)),
        confirmation_week=first_week - timedelta(weeks=2),
        first_session_week=first_week,
        is_published=False,
    )
    builtin_questions_ensure(programme=programme)  # as the admin does for a new programme
    organisation_type = organisation_type_question_add(programme)
    tuesday = CandidateTime.objects.create(programme=programme, weekday=1, start_time=datetime.time(14))
    thursday = CandidateTime.objects.create(programme=programme, weekday=3, start_time=datetime.time(10))
    cohort = Cohort.objects.create(
        programme=programme,
        number=1,
        name="Pilot group",
        size=programme.group_size,
        first_session_week=first_week,
    )
    applications = _pilot_applications(programme, tuesday, thursday, organisation_type)
    applications_offer(applications=applications, cohort=cohort, by=manager, notify=Notify.NONE)
    members = []
    for application in applications:
        application.refresh_from_db()
        members.append(offer_accept(application=application, offer_id=current_offer(application).pk, now=now))

    schedule_confirm(cohort=cohort, candidate_time=tuesday, by=manager, join_url=JOIN_URL)
    held = list(cohort.sessions.filter(ends_at__lte=now).order_by("number"))
    _record_sessions_held(held, members, manager)
    _run_coffee_rounds(cohort, programme, held, now)
    _write_entries(cohort, held, manager, ada=members[0].user, ben=members[1].user)
    _propose_topics(cohort, held, manager, members)
    _answer_baseline(programme, members)
    return programme, True


def organisation_type_question_add(programme: Programme) -> Question:
    """The programme's own "Type of organisation" question, asked after the organisation and counted in the
    programme's report (both demo programmes ask it)."""
    return question_save(
        question=Question(
            programme=programme,
            kind=QuestionKind.ONE_CHOICE,
            label=open_call.ORGANISATION_TYPE_LABEL,
            choices="\n".join(open_call.ORGANISATION_TYPES),
            section=QuestionSection.ABOUT_YOU,
            counted_in_report=True,
        )
    )


def _pilot_applications(
    programme: Programme, tuesday: CandidateTime, thursday: CandidateTime, organisation_type: Question
) -> list:
    """The six pilot members' applications: all can come on Tuesdays, half only if need be on Thursdays."""
    applications = []
    for index, (name, email, organisation, role, challenge, region, kind) in enumerate(MEMBERS):
        application = Application.objects.create(
            programme=programme,
            name=name,
            email=email,
            organisation=organisation,
            role=role,
            role_type="front_line",
            region=region,
            pandemic_work="Moved our groups online and onto the phone.",
            motivation="To learn from peers doing the same work.",
            hopes="Ideas to keep the connections we made during the pandemic.",
            learning_gained="Small, regular contact matters more than big events.",
            challenge=challenge,
            share_challenge_with_partners=True,
            organisation_support=True,
            team_open_to_ideas=True,
            commits_to_openness=True,
            commits_to_sharing=True,
            consented_at=programme.applications_open_at,
            submitted_at=programme.applications_open_at + timedelta(days=index),
        )
        question_answers_store(
            application=application, questions=[organisation_type], answers={organisation_type.pk: kind}
        )
        Availability.objects.create(
            application=application, candidate_time=tuesday, answer=AvailabilityAnswer.YES
        )
        answer = AvailabilityAnswer.YES if index % 2 else AvailabilityAnswer.IF_NEED_BE
        Availability.objects.create(application=application, candidate_time=thursday, answer=answer)
        applications.append(application)
    return applications


def _record_sessions_held(held: list, members: list, manager) -> None:
    """Everyone attended every session held but the last member missed session 2; the four in between rate each."""
    for session in held:
        statuses = {m.pk: AttendanceStatus.ATTENDED for m in members}
        statuses[members[-1].pk] = (
            AttendanceStatus.ABSENT if session.number == 2 else AttendanceStatus.ATTENDED
        )
        attendance_record(session=session, statuses=statuses, by=manager, now=session.ends_at)
        for rating, member in zip([5, 4, 4, 5, 3], members[1:-1], strict=False):
            session_feedback_save(
                session=session, member=member, rating=rating, what_worked="Hearing how others adapted."
            )


def _run_coffee_rounds(cohort: Cohort, programme: Programme, held: list, now: datetime.datetime) -> None:
    """Rounds planned and published up to the current one; in those already over every pair but one met."""
    rounds = rounds_sync(cohort=cohort)
    pairs_plan(cohort=cohort, seed=1, now=programme.applications_close_at)
    for round_ in rounds[: len(held) + 1]:
        round_publish(round_=round_, now=now)
    # In the rounds already over, every pair but one said they met.
    for round_ in rounds[: len(held) - 1]:
        for pair in list(round_.pairs.order_by("pk"))[:-1]:
            pair_mark_met(membership=pair.memberships.first(), now=round_.closes_at - timedelta(days=1))


def _write_entries(cohort: Cohort, held: list, manager, *, ada, ben) -> None:
    """The manager's notes of session 1 and a story two members wrote together, both published."""
    notes = entry_create(
        cohort=cohort,
        created_by=manager,
        kind=EntryKind.SESSION_NOTES,
        title="Session 1 notes: where everyone is at",
        body="We shared what changed in our work since 2020 and the questions we want to bring to the group.",
        session=held[0],
        topic_names=["Volunteering"],
    )
    entry_publish(entry=notes, by=manager)
    story = entry_create(
        cohort=cohort,
        created_by=ben,
        kind=EntryKind.STORY,
        title="What a shed taught us about asking for help",
        body="Men came for the tools and stayed for the tea. **Nobody** signed up for a loneliness group.",
        authors=[ada],
        topic_names=["Reaching people"],
    )
    entry_publish(entry=story, by=ben)


def _propose_topics(cohort: Cohort, held: list, manager, members: list) -> None:
    """Every member but the demo member (who is asked first, on their topics page) proposed the challenge from
    their application and voted; the manager wrote notes of the sessions held (the group reads them now)."""
    topics = [
        topic_propose(cohort=cohort, member=member, title=member.challenge, from_application=True)
        for member in members[1:]
        if member.challenge
    ]
    for index, member in enumerate(members[1:]):
        for topic in topics[index % 2 :: 2][:3]:
            topic_vote(topic=topic, member=member)
    for session in held:
        session_update(
            session=session,
            by=manager,
            notes=(
                f"## Session {session.number}\n\nWe shared what changed in our work since 2020.\n\n"
                "- Small, regular contact matters more than big events.\n- Ask people what they would like to give."
            ),
        )


# The outcome items the manager chose for the pilot (from the bank in learning/outcomes.py).
OUTCOME_ITEMS = ["knowledge", "skills", "confidence", "motivation", "connection"]
# Each member's baseline ratings, in OUTCOME_ITEMS' order; the demo member (first) has not answered yet.
BASELINE_RATINGS = [
    (2, 3, 2, 4, 2),
    (3, 3, 3, 4, 1),
    (2, 2, 3, 5, 2),
    (3, 4, 2, 4, 3),
    (2, 3, 3, 3, 2),
]


def _answer_baseline(programme: Programme, members: list) -> None:
    """The manager chose the brief's four outcomes and connection; five of the six members answered the baseline
    (enough for the results to show), each naming a couple of people they would ask for advice."""
    surveys = {survey.kind: survey for survey in outcome_items_set(programme=programme, items=OUTCOME_ITEMS)}
    baseline = surveys[SurveyKind.BASELINE]
    questions = {q.item: q.pk for q in baseline.questions.filter(is_active=True).exclude(item="")}
    for index, (member, ratings) in enumerate(zip(members[1:], BASELINE_RATINGS, strict=True)):
        others = [m.pk for m in members if m.pk != member.pk]
        survey_response_save(
            survey=baseline,
            member=member,
            answers={questions[item]: rating for item, rating in zip(OUTCOME_ITEMS, ratings, strict=True)},
            may_quote=False,
            contacts=others[index % 3 : index % 3 + 2],
        )
