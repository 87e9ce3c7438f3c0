"""Every model that can hold data about a person is covered by a personal-data source, and a person with a row in
every one of them gets all of it in their export and none of it left after erasure."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from allauth.account.models import EmailAddress, EmailConfirmation
from axes.models import AccessAttempt, AccessAttemptExpiration, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models

from applications.models import Application, ApplicationStatusChange, ExpressionOfInterest, QuestionAnswer
from cohort_site.core.data_subjects import (
    DataSubject,
    personal_data_erase,
    personal_data_export,
    personal_data_sources,
)
from cohort_site.mail.enums import EmailKind
from cohort_site.mail.models import EmailAttachment, OutgoingEmail
from cohort_site.mail.services import email_queue, emails_queue_many, opt_out_record
from cohort_site.members.models import Expense
from learning.models import (
    AdviceContact,
    DigestSubscriber,
    EventRegistration,
    SessionFeedback,
    SharingEvent,
    SurveyAnswer,
)
from learning.services import (
    outcome_items_set,
    reading_item_tick,
    session_feedback_save,
    survey_response_save,
    surveys_ensure_defaults,
)
from pairings.enums import RoundStatus
from pairings.models import (
    AlumniOptIn,
    AlumniPair,
    AlumniPairMember,
    AlumniRound,
    Pair,
    PairMember,
    SkipRequest,
)
from pairings.reminders import coffee_introductions
from pairings.services import round_skip
from sessions_app.enums import AttendanceStatus
from sessions_app.models import Attendance, GuestOffer, SessionJoin
from sessions_app.services import apologies_send, guest_invite, session_join_record
from sessions_app.topics.services import (
    challenge_keep_private,
    topic_merge_suggest,
    topic_propose,
    topic_vote,
)
from tests.factories import (
    AttendanceFactory,
    CandidateTimeFactory,
    CohortFactory,
    EntryFactory,
    ExpressionOfInterestFactory,
    MemberFactory,
    NetworkEventFactory,
    QuestionFactory,
    ReadingItemFactory,
    RoundFactory,
    StaffFactory,
)
from tests.members.test_personal_data import rows_mentioning
from tests.world import expense_claimed, group_sessions, member_with_times

# Which source exports and erases each model that can hold data about a person. Reviewed by hand: a new model
# that points at a person (or at one of these rows), or has an email or name field, fails the guard test below
# until it is added here, with its source, or to NOT_PERSONAL with the reason.
COVERED = {
    "account.EmailAddress": "account",
    "account.EmailConfirmation": "account",  # deleted with its address
    "admin.LogEntry": "admin_history",
    "applications.Application": "applications",
    "applications.ApplicationStatusChange": "applications",
    "applications.Availability": "applications",
    "applications.ExpressionOfInterest": "applications",
    "applications.QuestionAnswer": "applications",
    "axes.AccessAttempt": "account",
    "axes.AccessAttemptExpiration": "account",  # deleted with its attempt
    "axes.AccessFailureLog": "account",
    "axes.AccessLog": "account",
    "core.User": "account",
    "learning.AdviceContact": "learning",
    "learning.Authorship": "learning",
    "learning.DigestSubscriber": "network",
    "learning.EventRegistration": "network",
    "learning.Entry": "learning",
    "learning.ReadingTick": "learning",
    "learning.SessionFeedback": "learning",
    "learning.SharingEvent": "learning",
    "learning.SurveyAnswer": "learning",
    "learning.SurveyResponse": "learning",
    "mail.EmailAttachment": "emails",
    "mail.EmailOptOut": "emails",
    "mail.OutgoingEmail": "emails",
    "members.Expense": "expenses",
    "pairings.AlumniOptIn": "coffee",
    "pairings.AlumniPairMember": "coffee",
    "pairings.PairMember": "coffee",
    "pairings.SkipRequest": "coffee",
    "sessions.Session": "account",  # not found by the walk (the user id is inside encoded data): signed out
    "sessions_app.Attendance": "schedule",
    "sessions_app.SessionJoin": "schedule",
    "sessions_app.Guest": "schedule",
    "sessions_app.GroupTopic": "schedule",
    "sessions_app.TopicVote": "schedule",
    "sessions_app.TopicMergeSuggestion": "schedule",
    "sessions_app.ChallengeKeptPrivate": "schedule",
    "sessions_app.GuestOffer": "schedule",
}

NOT_PERSONAL = {
    "applications.Cohort": "a group's name (Group 1), not a person's",
    "applications.DropIn": "the staff host named on the public programme page, in their role",
    "applications.MemberOrganisation": "names of member organisations, not of people",
    "applications.Programme": "the programme's published contact (staff, in their role), part of the call",
    "applications.ProgrammeReviewer": "which staff account may review which programme's applications: staff's "
    "access in their role, not about anyone",
    "applications.QuestionLabelChange": "which staff account reworded a question; the wording, not about anyone",
    "auth.Group": "names of permission groups",
    "auth.Permission": "names of permissions",
    "core.Heartbeat": "a worker heartbeat's name",
    "learning.Topic": "tag names",
    "learning.NetworkEvent": "a public sharing event; created_by and proposed_by say which account published or "
    "proposed it (proposals are in the network source's export)",
    "learning.DigestIssue": "which entries and events a month's digest listed; sent_by says which staff account",
    "sessions_app.CohortSchedule": "confirmed_by says which staff account set a time; no text about anyone",
}

PERSON_MODELS = ("core.User", "applications.Application")


def _points_at(model, labels) -> bool:
    for field in [*model._meta.concrete_fields, *model._meta.many_to_many]:
        if (
            field.is_relation
            and field.related_model is not None
            and field.related_model._meta.label in labels
        ):
            return True
    return False


def _names_a_person(model) -> bool:
    for field in model._meta.concrete_fields:
        if isinstance(field, models.EmailField) or field.name in ("name", "username"):
            return True
        if field.name.endswith("_name") or field.name.endswith("_email"):
            return True
    return False


def models_that_can_hold_personal_data() -> set[str]:
    """Models pointing at a User or Application, with an email or name field, or belonging to such a row."""
    found = {
        model._meta.label
        for model in apps.get_models()
        if _points_at(model, PERSON_MODELS) or _names_a_person(model)
    }
    while True:
        personal = found - set(NOT_PERSONAL)
        more = {model._meta.label for model in apps.get_models() if _points_at(model, personal)} - found
        if not more:
            return found
        found |= more


def test_every_model_that_can_hold_personal_data_has_a_source():
    found = models_that_can_hold_personal_data()

    uncovered = sorted(found - set(COVERED) - set(NOT_PERSONAL))
    assert uncovered == [], f"add a personal-data source (and a COVERED entry) for {uncovered}"
    assert sorted(set(COVERED) & set(NOT_PERSONAL)) == []
    # No stale entries: each names a real model, and each source named exists (and every source is used).
    labels = {model._meta.label for model in apps.get_models()}
    assert sorted(set(COVERED) - labels) == []
    assert sorted(set(NOT_PERSONAL) - labels) == []
    assert sorted(set(NOT_PERSONAL) - found) == []
    assert sorted(set(COVERED.values())) == sorted(personal_data_sources())


NOW = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)
EMAIL = "morwenna@example.org"
NAME = "Morwenna Trelawney"


@pytest.fixture
def world(client, db, django_capture_on_commit_callbacks):
    """A person with a row in every covered model, and a partner and a manager around them (the group, its
    sessions, the person and their claim made by tests/world.py's steps; the rest is what only this world needs)."""
    traveller = time_machine.travel(NOW, tick=False)
    traveller.start()
    staff = StaffFactory(name="Zoe Manager", email="zoe@example.org")
    cohort = CohortFactory()
    programme = cohort.programme
    first, second = group_sessions(cohort, count=2)
    person = member_with_times(
        cohort,
        [CandidateTimeFactory(programme=programme)],
        name=NAME,
        email=EMAIL,
        organisation="Kernow Befriending",
        hopes="Morwenna hopes to learn about befriending",
        challenge="Reaching farmers in West Cornwall",
        share_challenge_with_partners=True,
        manager_notes="Strong on rural outreach",
        score=8,
    )
    partner = MemberFactory(cohort=cohort, name="Pip Partner", email="pip@example.org", hopes="Pip's hopes")
    user = person.user
    question = QuestionFactory(programme=programme, label="What is your favourite walk?")
    QuestionAnswer.objects.create(application=person, question=question, text="Morwenna's cliff path")
    QuestionAnswer.objects.create(application=partner, question=question, text="Pip's park")
    ExpressionOfInterestFactory(programme=programme, name=NAME, email="Morwenna@Example.org")
    ApplicationStatusChange.objects.create(
        application=person,
        from_status="offered",
        to_status="confirmed",
        cohort=cohort,
        changed_by=staff,
        note="Morwenna confirmed on the phone",
    )
    # Someone else's record that quotes the person by name.
    ApplicationStatusChange.objects.create(
        application=partner,
        from_status="waitlisted",
        to_status="offered",
        cohort=cohort,
        note=f"Offered automatically: {NAME}'s place came free (withdrawn).",
    )
    AttendanceFactory(
        session=first, member=person, status=AttendanceStatus.ATTENDED, note="Morwenna left early"
    )
    AttendanceFactory(session=first, member=partner, status=AttendanceStatus.ATTENDED)
    # Both opened their join links for the first session.
    session_join_record(session=first, member=person, now=first.starts_at)
    session_join_record(session=first, member=partner, now=first.starts_at)
    # Topics: the person's challenge proposed as a topic, a vote, a merge suggestion.
    own_topic = topic_propose(cohort=cohort, member=person, title="Rural reach", from_application=True)
    partner_topic = topic_propose(cohort=cohort, member=partner, title="Reaching the countryside")
    topic_vote(topic=own_topic, member=person)
    topic_merge_suggest(topic=partner_topic, into=own_topic, member=person)
    challenge_keep_private(member=person)  # asked again later (a second place), they said no
    with django_capture_on_commit_callbacks(execute=True):
        apologies_send(session=second, member=person, note="At Morwenna's aunt's funeral")
        guest_invite(session=second, name=NAME, email=EMAIL, topic="Rural isolation, by Morwenna", by=staff)

    # Coffee: announced pair (both met), the partner's introduction email names the person; a skipped round.
    published = RoundFactory(
        cohort=cohort,
        number=1,
        status=RoundStatus.PUBLISHED,
        opens_at=NOW - datetime.timedelta(days=1),
        closes_at=NOW + datetime.timedelta(days=6),
    )
    pair = Pair.objects.create(round=published)
    PairMember.objects.create(pair=pair, round=published, member=person, met_at=NOW)
    PairMember.objects.create(pair=pair, round=published, member=partner, met_at=NOW)
    later = RoundFactory(
        cohort=cohort,
        number=2,
        opens_at=NOW + datetime.timedelta(days=7),
        closes_at=NOW + datetime.timedelta(days=14),
    )
    round_skip(member=person, round_=later)
    with django_capture_on_commit_callbacks(execute=True):
        emails_queue_many(coffee_introductions(NOW))
    # Alumni: in the monthly pairs, with an earlier month's pair (rows made directly: the group is still on),
    # and an offer to contribute to a later group.
    AlumniOptIn.objects.create(user=user, opted_in_at=NOW)
    alumni_round = AlumniRound.objects.create(month=datetime.date(2026, 2, 1), formed_at=NOW)
    alumni_pair = AlumniPair.objects.create(round=alumni_round)
    AlumniPairMember.objects.create(pair=alumni_pair, round=alumni_round, user=user)
    AlumniPairMember.objects.create(pair=alumni_pair, round=alumni_round, user=partner.user)
    GuestOffer.objects.create(user=user, note="Morwenna on rural isolation", offered_at=NOW)

    # Learning: an entry written alone, one written with the partner, a consent, feedback, a survey, a tick.
    EntryFactory(cohort=cohort, title="Morwenna's notes", body="Written alone.", authors=[user])
    shared = EntryFactory(
        cohort=cohort, title="Our joint story", body="Written together.", authors=[user, partner.user]
    )
    SharingEvent.objects.create(
        entry=shared, user=user, action=SharingEvent.Action.CONSENTED, audience="network"
    )
    session_feedback_save(session=first, member=person, rating=5, what_worked="Morwenna liked the pairs")
    session_feedback_save(session=first, member=partner, rating=3, what_worked="Pip liked it")
    survey = surveys_ensure_defaults(programme=programme)[0]
    questions = list(survey.questions.order_by("order"))
    rating_question = next(q for q in questions if q.kind == "rating")
    text_question = next(q for q in questions if q.kind == "text")
    survey_response_save(
        survey=survey,
        member=person,
        answers={rating_question.pk: 4, text_question.pk: "Morwenna found it useful"},
    )
    # Whom she would ask for advice (the baseline asks; the partner ticked her too).
    outcome_items_set(programme=programme, items=["confidence"])
    baseline = programme.surveys.get(kind="baseline")
    survey_response_save(survey=baseline, member=person, answers={}, contacts=[partner.pk])
    survey_response_save(survey=baseline, member=partner, answers={}, contacts=[person.pk])
    reading_item_tick(item=ReadingItemFactory(programme=programme, title="A good read"), user=user, done=True)

    # The network: a sharing event registration (with their name and organisation), the digest subscription.
    # Stored directly: their emails would change the list of emails below.
    event = NetworkEventFactory(title="Rural befriending stories", proposed_by=user)
    EventRegistration.objects.create(
        event=event, name=NAME, organisation="Kernow Befriending", email=EMAIL, status="confirmed"
    )
    DigestSubscriber.objects.create(email=EMAIL, status="confirmed", confirmed_at=NOW)

    # Expenses, emails, an opt-out.
    client.force_login(user)  # a signed-in session (sessions.Session)
    with django_capture_on_commit_callbacks(execute=True):
        expense_claimed(
            claimant=user,
            programme=programme,
            amount=Decimal("23.40"),
            spent_on=datetime.date(2026, 2, 20),
            description="Train for Morwenna Trelawney",
        )
        email_queue(
            key="welcome:1",
            kind=EmailKind.LEARNING_SURVEY,
            to=EMAIL,
            subject="Welcome, Morwenna Trelawney",
            context={"name": "Morwenna Trelawney"},
            user=user,
        )
    opt_out_record(email=EMAIL, kind="coffee-nudge")

    # The account's addresses, sign-in logs, the admin's history.
    address, _ = EmailAddress.objects.update_or_create(
        user=user, email=EMAIL, defaults={"verified": True, "primary": True}
    )
    EmailConfirmation.objects.create(email_address=address, key="confirm-key", sent=NOW)
    log = {
        "ip_address": "192.0.2.7",
        "user_agent": "Firefox",
        "http_accept": "*/*",
        "path_info": "/accounts/login/",
    }
    AccessLog.objects.create(username=EMAIL, attempt_time=NOW, **log)
    AccessFailureLog.objects.create(username=EMAIL, attempt_time=NOW, locked_out=False, **log)
    attempt = AccessAttempt.objects.create(
        username=EMAIL, attempt_time=NOW, failures_since_start=2, get_data="", post_data="", **log
    )
    AccessAttemptExpiration.objects.create(
        access_attempt=attempt, expires_at=NOW + datetime.timedelta(minutes=15)
    )
    for obj in (person, user):
        LogEntry.objects.create(
            user=staff,
            content_type=ContentType.objects.get_for_model(obj),
            object_id=str(obj.pk),
            object_repr=str(obj),
            action_flag=CHANGE,
            change_message='[{"changed": {"fields": ["Organisation"]}}]',
        )
    yield {"person": person, "partner": partner, "user": user, "staff": staff, "cohort": cohort}
    traveller.stop()


def test_full_person_has_a_row_in_every_covered_model(world):
    empty = sorted(label for label in COVERED if not apps.get_model(label).objects.exists())

    assert empty == []


def test_export_has_every_section_with_the_exact_rows(world):
    user, person = world["user"], world["person"]

    data = personal_data_export(DataSubject.for_user(user))["data"]

    assert {name: sorted(sections) for name, sections in data.items()} == {
        "account": ["account", "email_addresses", "failed_sign_ins", "sign_in_lockouts", "sign_ins"],
        "admin_history": ["admin_changes_about_you", "your_admin_actions"],
        "applications": [
            "answers_to_programme_questions",
            "application_status_changes",
            "applications",
            "availability",
            "expressions_of_interest",
        ],
        "coffee": ["alumni_coffee_opt_in", "alumni_coffee_pairs", "coffee_pairs", "coffee_rounds_skipped"],
        "emails": ["email_opt_outs", "emails_sent_to_you"],
        "expenses": ["expense_claims"],
        "learning": [
            "entries_you_wrote",
            "people_you_would_ask_for_advice",
            "reading_list_ticks",
            "session_feedback",
            "sharing_steps_you_took",
            "survey_answers",
            "survey_responses",
            "your_authorship_and_consent",
        ],
        "network": [
            "network_digest_subscription",
            "sharing_event_registrations",
            "sharing_events_you_proposed",
        ],
        "schedule": [
            "attendance",
            "challenge_kept_to_yourself",
            "guest_invitations",
            "joined_through_link",
            "offers_to_contribute",
            "topic_merges_suggested",
            "topic_votes",
            "topics_proposed",
        ],
    }
    network = data["network"]
    assert [
        (row["event__title"], row["name"], row["organisation"], row["status"])
        for row in network["sharing_event_registrations"]
    ] == [("Rural befriending stories", NAME, "Kernow Befriending", "confirmed")]
    assert [(row["email"], row["status"]) for row in network["network_digest_subscription"]] == [
        (EMAIL, "confirmed")
    ]
    assert [row["title"] for row in network["sharing_events_you_proposed"]] == ["Rural befriending stories"]
    account = data["account"]
    assert [(row["email"], row["name"], row["organisation"]) for row in account["account"]] == [
        (EMAIL, NAME, "Kernow Befriending")
    ]
    assert account["email_addresses"] == [{"email": EMAIL, "verified": True, "primary": True}]
    assert [(row["ip_address"], row["user_agent"]) for row in account["sign_ins"]] == [
        ("192.0.2.7", "Firefox")
    ]
    assert [row["locked_out"] for row in account["failed_sign_ins"]] == [False]
    assert [row["failures_since_start"] for row in account["sign_in_lockouts"]] == [2]

    admin = data["admin_history"]
    assert [(row["action"], row["record"], row["change"]) for row in admin["admin_changes_about_you"]] == [
        ("Change", f"{NAME} (Kernow Befriending)", "Changed Organisation."),
        ("Change", NAME, "Changed Organisation."),
    ]
    assert admin["your_admin_actions"] == []

    applications = data["applications"]
    assert [
        (row["pk"], row["name"], row["hopes"], row["status"], row["manager_notes"], row["score"])
        for row in applications["applications"]
    ] == [
        (
            person.pk,
            NAME,
            "Morwenna hopes to learn about befriending",
            "confirmed",
            "Strong on rural outreach",
            8,
        )
    ]
    assert [(row["application_id"], row["answer"]) for row in applications["availability"]] == [
        (person.pk, "yes")
    ]
    assert [
        (row["application_id"], row["question__label"], row["text"])
        for row in applications["answers_to_programme_questions"]
    ] == [(person.pk, "What is your favourite walk?", "Morwenna's cliff path")]
    assert [(row["to_status"], row["note"]) for row in applications["application_status_changes"]] == [
        ("confirmed", "Morwenna confirmed on the phone")
    ]
    assert [(row["name"], row["email"]) for row in applications["expressions_of_interest"]] == [
        (NAME, "Morwenna@Example.org")
    ]

    coffee = data["coffee"]
    assert [
        (row["round"], row["announced"], row["partners"], row["met_at"]) for row in coffee["coffee_pairs"]
    ] == [(1, True, ["Pip Partner"], NOW)]
    assert [row["round__number"] for row in coffee["coffee_rounds_skipped"]] == [2]
    assert coffee["alumni_coffee_opt_in"] == [{"opted_in_at": NOW}]
    assert coffee["alumni_coffee_pairs"] == [
        {"month": datetime.date(2026, 2, 1), "partners": ["Pip Partner"]}
    ]

    emails = data["emails"]
    assert sorted(row["subject"] for row in emails["emails_sent_to_you"]) == [
        f"Invitation: {world['cohort'].programme.title}, Tuesday 14 April",
        "We have your expense claim",
        "Welcome, Morwenna Trelawney",
        "Your coffee pair: meet Pip Partner",
    ]
    assert [row["kind"] for row in emails["email_opt_outs"]] == ["coffee-nudge"]

    assert [(row["amount"], row["description"]) for row in data["expenses"]["expense_claims"]] == [
        (Decimal("23.40"), "Train for Morwenna Trelawney")
    ]

    learning = data["learning"]
    assert sorted(row["title"] for row in learning["entries_you_wrote"]) == [
        "Morwenna's notes",
        "Our joint story",
    ]
    assert sorted(row["entry__title"] for row in learning["your_authorship_and_consent"]) == [
        "Morwenna's notes",
        "Our joint story",
    ]
    assert [(row["entry__title"], row["action"]) for row in learning["sharing_steps_you_took"]] == [
        ("Our joint story", "consented")
    ]
    assert [(row["rating"], row["what_worked"]) for row in learning["session_feedback"]] == [
        (5, "Morwenna liked the pairs")
    ]
    assert len(learning["survey_responses"]) == 2
    assert learning["people_you_would_ask_for_advice"] == [
        {"response__survey__title": "Before we start", "contact__name": "Pip Partner"}
    ]
    assert sorted((row["text"], row["rating"]) for row in learning["survey_answers"]) == [
        ("", 4),
        ("Morwenna found it useful", None),
    ]
    assert learning["reading_list_ticks"] == [{"item__title": "A good read"}]

    schedule = data["schedule"]
    assert [(row["session__number"], row["status"], row["note"]) for row in schedule["attendance"]] == [
        (1, "attended", "Morwenna left early"),
        (2, "apologies", "At Morwenna's aunt's funeral"),
    ]
    assert [(row["name"], row["topic"]) for row in schedule["guest_invitations"]] == [
        (NAME, "Rural isolation, by Morwenna")
    ]
    assert [
        (row["title"], row["description"], row["from_application"]) for row in schedule["topics_proposed"]
    ] == [("Rural reach", "Reaching farmers in West Cornwall", True)]
    assert [(row["topic__title"], row["voted_at"]) for row in schedule["topic_votes"]] == [
        ("Rural reach", NOW)
    ]
    assert schedule["challenge_kept_to_yourself"] == [{"decided_at": NOW}]
    assert [(row["topic__title"], row["into__title"]) for row in schedule["topic_merges_suggested"]] == [
        ("Reaching the countryside", "Rural reach")
    ]
    assert schedule["offers_to_contribute"] == [
        {"note": "Morwenna on rural isolation", "offered_at": NOW, "guest__session__number": None}
    ]
    first = world["cohort"].sessions.get(number=1)
    assert schedule["joined_through_link"] == [
        {"session__number": 1, "session__starts_at": first.starts_at, "joined_at": first.starts_at}
    ]


def test_export_shows_partners_names_only_not_their_details(world):
    data = personal_data_export(DataSubject.for_user(world["user"]))["data"]

    assert "pip@example.org" not in str(data["coffee"])
    assert "Pip's hopes" not in str(data)


def test_after_erasure_nothing_names_the_person_and_counts_remain(world):
    partner, person, user = world["partner"], world["person"], world["user"]
    assert rows_mentioning(EMAIL) != [] and rows_mentioning("Trelawney") != []

    personal_data_erase(DataSubject.for_user(user))

    assert rows_mentioning(EMAIL) == []
    assert rows_mentioning(NAME) == []
    assert rows_mentioning("Morwenna") == []
    assert rows_mentioning("Trelawney") == []
    assert rows_mentioning("farmers") == []
    # Whom she would ask for advice, and the partner's tick of her: nothing links her to anyone.
    assert list(AdviceContact.objects.all()) == []
    # Anonymous counts stay.
    person.refresh_from_db()
    assert (person.status, person.cohort, person.name) == ("confirmed", world["cohort"], "Erased person")
    assert sorted(SessionFeedback.objects.values_list("rating", flat=True)) == [3, 5]
    assert sorted(SurveyAnswer.objects.values_list("rating", flat=True), key=str) == [4, None]
    assert sorted(Attendance.objects.filter(member=person).values_list("status", flat=True)) == [
        "apologies",
        "attended",
    ]
    # When they clicked their join link is theirs and goes; the partner's join stays.
    assert list(SessionJoin.objects.values_list("member", flat=True)) == [partner.pk]
    assert PairMember.objects.filter(met_at__isnull=False).count() == 2
    assert SkipRequest.objects.filter(member=person).count() == 1
    # Out of the alumni coffee pairs and their offer withdrawn; the partner's earlier month stays theirs.
    assert (AlumniOptIn.objects.count(), GuestOffer.objects.count()) == (0, 0)
    assert list(AlumniPairMember.objects.values_list("user", flat=True)) == [partner.user.pk]
    assert list(Expense.objects.values_list("amount", "description", "receipt")) == [
        (Decimal("23.40"), "", "")
    ]
    assert ExpressionOfInterest.objects.count() == 1
    assert (
        ApplicationStatusChange.objects.filter(application=person).values_list("note", flat=True).get() == ""
    )
    # Other people are untouched.
    intro = OutgoingEmail.objects.get(to="pip@example.org", kind="coffee-introduction")
    assert rows_mentioning("Pip Partner") == [
        f"applications.Application.name#{partner.pk}",
        f"core.User.name#{partner.user.pk}",
        f"mail.OutgoingEmail.body_text#{intro.pk}",
    ]
    partner.refresh_from_db()
    assert (partner.name, partner.email, partner.hopes) == ("Pip Partner", "pip@example.org", "Pip's hopes")
    assert list(partner.user.learning_entries.values_list("title", flat=True)) == ["Our joint story"]
    assert list(SessionFeedback.objects.filter(member=partner).values_list("what_worked", flat=True)) == [
        "Pip liked it"
    ]
    assert intro.subject == "Your coffee pair: meet Erased person"
    assert intro.body_text.startswith("Hello Pip Partner,")
    # The account is closed; the manager's account is not.
    user.refresh_from_db()
    assert (user.is_active, user.has_usable_password()) == (False, False)
    assert get_user_model().objects.get(pk=world["staff"].pk).email == "zoe@example.org"
    assert sorted(EmailAddress.objects.values_list("email", flat=True)) == [
        "pip@example.org",
        "zoe@example.org",
    ]
    assert (AccessLog.objects.count(), AccessAttempt.objects.count(), AccessFailureLog.objects.count()) == (
        0,
        0,
        0,
    )
    assert EmailAttachment.objects.filter(email__to__endswith="@erased.invalid").count() == 0
    assert Application.objects.count() == 2


def test_erasure_twice_changes_nothing_more(world):
    subject = DataSubject.for_user(world["user"])
    personal_data_erase(subject)
    first = rows_mentioning("Erased person")

    personal_data_erase(subject)

    assert rows_mentioning("Erased person") == first
