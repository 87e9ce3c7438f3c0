"""Topics from the group: a member proposes their application's challenge only when they choose, votes are counted
once per member and capped (a double click, a retry or concurrent posts add nothing), the counts stay hidden from
members until the manager publishes them, a merge keeps one vote per member, and giving a topic to a session
updates everyone's calendar in place."""

import datetime

import icalendar
import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from cohort_site.mail.models import OutgoingEmail
from sessions_app.models import GroupTopic, TopicVote
from sessions_app.topics import selectors, services
from tests.applications.test_selection_cap import run_at_once
from tests.factories import CohortFactory, MemberFactory, SessionFactory, StaffFactory

UTC = datetime.UTC
NOW = datetime.datetime(2021, 10, 20, 9, 0, tzinfo=UTC)  # after session 1 (19 October), before session 2


@pytest.fixture
def group(autumn):
    traveller = time_machine.travel(NOW, tick=False)
    traveller.start()
    cohort = autumn["cohort"]
    sessions = [SessionFactory(cohort=cohort, number=n) for n in (1, 2, 3)]
    ada = autumn["ada"]
    topics = [
        services.topic_propose(cohort=cohort, member=ada, title=title)
        for title in ("Volunteers after the pandemic", "Digital inclusion", "Funding", "Loneliness at night")
    ]
    yield {**autumn, "sessions": sessions, "topics": topics, "staff": StaffFactory()}
    traveller.stop()


def votes() -> list[tuple[str, str]]:
    return sorted(TopicVote.objects.values_list("topic__title", "member__name"))


def post(client, cohort, **data):
    return client.post(reverse("sessions:topics", args=[cohort.pk]), data)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- Votes ---------------------------------------------------------------------------------------------------


def test_vote_twice_for_one_topic_is_one_vote(group):
    topic, ada = group["topics"][0], group["ada"]

    first = services.topic_vote(topic=topic, member=ada)
    second = services.topic_vote(topic=topic, member=ada)

    assert first.pk == second.pk
    assert votes() == [("Volunteers after the pandemic", "Ada Lovelace")]


def test_double_click_on_vote_adds_one_vote(group):
    client, topic = signed_in(group["ada"].user), group["topics"][1]

    responses = [post(client, group["cohort"], action="vote", topic=topic.pk) for _ in range(2)]

    assert [r.status_code for r in responses] == [302, 302]
    assert votes() == [("Digital inclusion", "Ada Lovelace")]


def test_a_fourth_vote_is_refused_until_one_is_taken_back(group):
    ada, topics = group["ada"], group["topics"]
    for topic in topics[:3]:
        services.topic_vote(topic=topic, member=ada)

    with pytest.raises(ValidationError) as refused:
        services.topic_vote(topic=topics[3], member=ada)
    services.topic_unvote(topic=topics[0], member=ada)
    services.topic_vote(topic=topics[3], member=ada)

    assert refused.value.messages == ["You have used your 3 votes: take one back to vote for this topic."]
    assert votes() == [
        ("Digital inclusion", "Ada Lovelace"),
        ("Funding", "Ada Lovelace"),
        ("Loneliness at night", "Ada Lovelace"),
    ]


def test_a_vote_for_another_groups_topic_is_refused(group):
    stranger = MemberFactory(cohort=CohortFactory(programme=group["programme"], number=2))

    with pytest.raises(ValidationError):
        services.topic_vote(topic=group["topics"][0], member=stranger)

    assert votes() == []


@pytest.mark.postgres
def test_concurrent_votes_never_pass_the_cap(transactional_db):
    cohort = CohortFactory()
    member = MemberFactory(cohort=cohort)
    topics = [GroupTopic.objects.create(cohort=cohort, title=f"Topic {n}") for n in range(6)]
    same = topics[0]

    def vote(topic):
        def run():
            return services.topic_vote(topic=topic, member=member).topic_id

        return run

    # Six different topics and the same one four more times, all at once.
    results = run_at_once([vote(topic) for topic in topics] + [vote(same) for _ in range(4)])

    # Every post either voted (one vote however often it was clicked) or was refused at the cap; nothing failed.
    assert [r for r in results if not isinstance(r, int | ValidationError)] == []
    assert len({r for r in results if isinstance(r, int)}) == 3
    assert TopicVote.objects.filter(member=member).count() == 3


# --- Hidden until published --------------------------------------------------------------------------------------


def test_members_see_no_counts_or_order_until_the_manager_publishes(group):
    ada, bo, topics = group["ada"], group["bo"], group["topics"]
    for member in (ada, bo):
        services.topic_vote(topic=topics[2], member=member)
    client = signed_in(bo.user)

    hidden = client.get(reverse("sessions:topics", args=[group["cohort"].pk]))
    services.topic_votes_publish(cohort=group["cohort"], published=True)
    shown = client.get(reverse("sessions:topics", args=[group["cohort"].pk]))

    assert [t.title for t in hidden.context["board"].topics] == [
        "Volunteers after the pandemic",
        "Digital inclusion",
        "Funding",
        "Loneliness at night",
    ]
    assert hidden.content.decode().count("<strong>2 votes</strong>") == 0
    assert hidden.content.decode().count("<strong>0 votes</strong>") == 0
    assert [(t.title, t.vote_count) for t in shown.context["board"].topics] == [
        ("Funding", 2),
        ("Volunteers after the pandemic", 0),
        ("Digital inclusion", 0),
        ("Loneliness at night", 0),
    ]
    assert shown.content.decode().count("<strong>2 votes</strong>") == 1
    assert shown.content.decode().count("<strong>0 votes</strong>") == 3
    assert (hidden.context["board"].votes_left, shown.context["board"].votes_left) == (2, 2)


def test_the_manager_sees_the_ranking_before_publishing(group):
    ada, bo, topics = group["ada"], group["bo"], group["topics"]
    services.topic_vote(topic=topics[3], member=ada)
    services.topic_vote(topic=topics[3], member=bo)
    services.topic_vote(topic=topics[1], member=bo)

    response = signed_in(group["staff"]).get(reverse("sessions:topics_manage", args=[group["cohort"].pk]))

    assert [(t.title, t.vote_count) for t in response.context["topics"]] == [
        ("Loneliness at night", 2),
        ("Digital inclusion", 1),
        ("Volunteers after the pandemic", 0),
        ("Funding", 0),
    ]
    assert response.context["published"] is False


# --- Merging -------------------------------------------------------------------------------------------------------


def test_merge_keeps_one_vote_per_member_and_gives_the_other_back(group):
    ada, bo, topics = group["ada"], group["bo"], group["topics"]
    volunteers, digital = topics[0], topics[1]
    services.topic_vote(topic=volunteers, member=ada)
    services.topic_vote(topic=digital, member=ada)  # Ada voted for both
    services.topic_vote(topic=volunteers, member=bo)  # Bo for the one merged away

    kept = services.topic_merge(topic=volunteers, into=digital, by=group["staff"])

    volunteers.refresh_from_db()
    assert (kept.pk, volunteers.merged_into_id) == (digital.pk, digital.pk)
    assert votes() == [("Digital inclusion", "Ada Lovelace"), ("Digital inclusion", "Bo Diddley")]
    assert [(t.title, t.vote_count) for t in selectors.open_topics(group["cohort"], ranked=True)] == [
        ("Digital inclusion", 2),
        ("Funding", 0),
        ("Loneliness at night", 0),
    ]
    assert selectors.open_votes_of(ada).count() == 1


def test_members_suggest_a_merge_and_the_manager_sees_it_once_per_pair(group):
    ada, bo, topics = group["ada"], group["bo"], group["topics"]
    for member in (ada, bo, bo):
        services.topic_merge_suggest(topic=topics[2], into=topics[0], member=member)

    assert list(selectors.merge_suggestions(group["cohort"])) == [
        {
            "topic_id": topics[2].pk,
            "topic__title": "Funding",
            "into_id": topics[0].pk,
            "into__title": "Volunteers after the pandemic",
            "count": 2,
        }
    ]


# --- Proposing -------------------------------------------------------------------------------------------------


def test_the_challenge_is_shown_to_its_member_first_and_proposed_once_they_choose(group):
    bo = group["bo"]
    bo.challenge = "How do we reach people who never leave home?"
    bo.save(update_fields=["challenge"])
    client = signed_in(bo.user)
    url = reverse("sessions:topics", args=[group["cohort"].pk])

    before = client.get(url)
    for _ in range(2):  # a double click
        client.post(url, {"action": "propose_challenge", "challenge-title": "Reaching people at home"})
    after = client.get(url)

    assert before.context["challenge"] == "How do we reach people who never leave home?"
    assert before.context["challenge_form"]["title"].initial == "How do we reach people who never leave home?"
    assert list(
        GroupTopic.objects.filter(from_application=True).values_list("title", "description", "proposed_by")
    ) == [("Reaching people at home", "How do we reach people who never leave home?", bo.pk)]
    assert after.context["challenge"] == ""


def test_proposing_a_title_twice_keeps_one_and_someone_elses_is_explained(group):
    ada, bo, cohort = group["ada"], group["bo"], group["cohort"]

    again = services.topic_propose(cohort=cohort, member=ada, title="  funding ")
    response = post(signed_in(bo.user), cohort, action="propose", title="FUNDING", description="Where from?")

    assert again.pk == group["topics"][2].pk
    assert response.status_code == 400
    assert response.context["propose_form"].errors == {
        "title": ["“Funding” is proposed already: vote for it instead."]
    }
    assert response.context["propose_form"]["description"].value() == "Where from?"
    assert GroupTopic.objects.count() == 4


# --- Giving a topic to a session -------------------------------------------------------------------------------


def test_assigning_the_top_topic_updates_the_session_in_place_and_tells_everyone(
    group, django_capture_on_commit_callbacks
):
    ada, bo, topics, second = group["ada"], group["bo"], group["topics"], group["sessions"][1]
    services.topic_vote(topic=topics[1], member=ada)
    services.topic_vote(topic=topics[2], member=bo)
    before = second.sequence

    with django_capture_on_commit_callbacks(execute=True):
        services.topic_assign(topic=topics[1], session=second, by=group["staff"])
        services.topic_assign(topic=topics[2], session=second, by=group["staff"])

    second.refresh_from_db()
    assert (second.topic, second.sequence) == ("Funding", before + 2)
    assert sorted(GroupTopic.objects.filter(session=second).values_list("title", flat=True)) == ["Funding"]
    # The topic given first goes back to the list; the votes for a chosen topic come back to the member.
    assert [t.title for t in selectors.open_topics(group["cohort"], ranked=True)][:1] == ["Digital inclusion"]
    assert selectors.open_votes_of(bo).count() == 0
    assert sorted(OutgoingEmail.objects.filter(kind="session-update").values_list("to", "subject")) == [
        ("ada@example.org", "Updated: Session 2: Digital inclusion, Tuesday 26 October"),
        ("ada@example.org", "Updated: Session 2: Funding, Tuesday 26 October"),
        ("bo@example.org", "Updated: Session 2: Digital inclusion, Tuesday 26 October"),
        ("bo@example.org", "Updated: Session 2: Funding, Tuesday 26 October"),
    ]
    # The calendar file replaces the same event (same UID, higher SEQUENCE) and names the topic.
    latest = OutgoingEmail.objects.get(to="ada@example.org", subject__contains="Funding")
    event = icalendar.Calendar.from_ical(bytes(latest.attachments.get().content)).walk("VEVENT")[0]
    first = OutgoingEmail.objects.get(to="ada@example.org", subject__contains="Digital inclusion")
    earlier = icalendar.Calendar.from_ical(bytes(first.attachments.get().content)).walk("VEVENT")[0]
    assert (str(event["UID"]), event["SEQUENCE"], str(event["SUMMARY"]).split(" · ")[0]) == (
        str(earlier["UID"]),
        earlier["SEQUENCE"] + 1,
        "Session 2: Funding",
    )
    assert latest.body_text.count("Topic: Funding") == 1


def test_a_session_that_has_started_cannot_be_given_a_topic(group):
    with pytest.raises(ValidationError) as refused:
        services.topic_assign(topic=group["topics"][0], session=group["sessions"][0])

    assert refused.value.message_dict == {"session": ["Choose a session that is still to come."]}


# --- Who sees them -------------------------------------------------------------------------------------------------


def test_another_groups_member_gets_404_for_the_page_and_for_posts(group):
    stranger = MemberFactory(cohort=CohortFactory(programme=group["programme"], number=2))
    client = signed_in(stranger.user)

    page = client.get(reverse("sessions:topics", args=[group["cohort"].pk]))
    vote = post(client, group["cohort"], action="vote", topic=group["topics"][0].pk)

    assert (page.status_code, vote.status_code) == (404, 404)
    assert votes() == []


@pytest.mark.parametrize(("count", "queries"), [(1, 8), (3, 8)])
def test_member_page_queries_do_not_grow_with_topics(autumn, count, queries, django_assert_num_queries):
    cohort, ada = autumn["cohort"], autumn["ada"]
    for n in range(count):
        topic = services.topic_propose(cohort=cohort, member=autumn["bo"], title=f"Topic {n}")
        services.topic_vote(topic=topic, member=ada)
    client = signed_in(ada.user)
    url = reverse("sessions:topics", args=[cohort.pk])
    client.get(url)

    with django_assert_num_queries(queries):
        response = client.get(url)

    assert len(response.context["board"].topics) == count


@pytest.mark.parametrize(("count", "queries"), [(1, 9), (3, 9)])
def test_manager_page_queries_do_not_grow_with_topics(autumn, count, queries, django_assert_num_queries):
    cohort = autumn["cohort"]
    SessionFactory(cohort=cohort, number=1)
    for n in range(count):
        topic = services.topic_propose(cohort=cohort, member=autumn["bo"], title=f"Topic {n}")
        services.topic_vote(topic=topic, member=autumn["ada"])
    client = signed_in(StaffFactory())
    url = reverse("sessions:topics_manage", args=[cohort.pk])
    client.get(url)

    with django_assert_num_queries(queries):
        response = client.get(url)

    assert len(response.context["topics"]) == count


# --- The manager's page --------------------------------------------------------------------------------------------


def manage(client, cohort, **data):
    return client.post(reverse("sessions:topics_manage", args=[cohort.pk]), data)


def test_the_manager_merges_from_the_page(group):
    topics, cohort = group["topics"], group["cohort"]
    services.topic_vote(topic=topics[0], member=group["ada"])
    client = signed_in(group["staff"])

    page = client.get(reverse("sessions:topics_manage", args=[cohort.pk]))
    response = manage(client, cohort, action="merge", topic=topics[0].pk, into=topics[3].pk)

    assert [label for _, label in page.context["merge_form"].fields["into"].choices] == [
        "Choose the topic to keep",
        "Volunteers after the pandemic",
        "Digital inclusion",
        "Funding",
        "Loneliness at night",
    ]
    assert response.status_code == 302
    assert votes() == [("Loneliness at night", "Ada Lovelace")]


def test_merging_a_topic_into_itself_is_explained(group):
    topic = group["topics"][1]

    response = manage(
        signed_in(group["staff"]), group["cohort"], action="merge", topic=topic.pk, into=topic.pk
    )

    assert response.status_code == 400
    assert response.context["merge_form"].errors == {
        "into": ["Choose another topic to keep than the one you merge."]
    }


def test_the_manager_gives_a_topic_to_a_session_from_the_page(group):
    topic, third = group["topics"][2], group["sessions"][2]

    response = manage(
        signed_in(group["staff"]), group["cohort"], action="assign", topic=topic.pk, session=third.pk
    )

    third.refresh_from_db()
    assert response.status_code == 302
    assert (third.topic, third.sequence) == ("Funding", 1)


def test_a_session_of_another_group_cannot_be_chosen(group):
    elsewhere = SessionFactory(cohort=CohortFactory(programme=group["programme"], number=2), number=4)

    response = manage(
        signed_in(group["staff"]),
        group["cohort"],
        action="assign",
        topic=group["topics"][0].pk,
        session=elsewhere.pk,
    )

    assert response.status_code == 400
    assert response.context["assign_form"].errors == {
        "session": ["Choose one of the group's sessions still to come."]
    }
    assert GroupTopic.objects.filter(session__isnull=False).count() == 0


def test_publishing_and_hiding_the_votes(group):
    client, cohort = signed_in(group["staff"]), group["cohort"]

    manage(client, cohort, action="publish")
    published = selectors.votes_published(cohort)
    manage(client, cohort, action="hide")

    assert (published, selectors.votes_published(cohort)) == (True, False)


def test_a_member_who_keeps_their_challenge_to_themselves_is_not_asked_again(group):
    bo = group["bo"]
    bo.challenge = "Reaching farmers"
    bo.save(update_fields=["challenge"])
    client = signed_in(bo.user)
    url = reverse("sessions:topics", args=[group["cohort"].pk])

    for _ in range(2):
        client.post(url, {"action": "keep_challenge"})
    page = client.get(url)

    assert page.context["challenge"] == ""
    assert page.content.decode().count("Reaching farmers") == 0
    assert GroupTopic.objects.filter(from_application=True).count() == 0
