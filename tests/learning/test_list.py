import pytest
from django.urls import reverse

from learning.enums import EntryKind, Visibility
from tests.factories import EntryFactory, SessionFactory, TopicFactory

HOSTILE = (
    "Hello <script>alert('x')</script>\n\n"
    '<img src="x" onerror="alert(1)">\n\n'
    "[click me](javascript:alert(2)) and [fine](https://example.org/ok)"
)


def make_entries(cohort, count, author):
    topics = [TopicFactory(name="Volunteers"), TopicFactory(name="Digital")]
    session = SessionFactory(cohort=cohort, number=1)
    for _ in range(count):
        entry = EntryFactory(cohort=cohort, visibility=Visibility.GROUP, session=session, authors=[author])
        entry.topics.set(topics)


@pytest.mark.parametrize("count", [1, 20])
def test_list_queries_do_not_grow_with_entries(client, cohort, people, django_assert_num_queries, count):
    make_entries(cohort, count, people["author"])
    client.force_login(people["same_cohort"])

    # session, user, "may write?", count, entries, authorships, topics, and the filter's topics, groups, sessions
    with django_assert_num_queries(10):
        response = client.get(reverse("learning:list"))

    assert len(response.context["entries"]) == count


@pytest.mark.parametrize("count", [1, 20])
def test_public_library_queries_do_not_grow(client, cohort, people, django_assert_num_queries, count):
    for _ in range(count):
        EntryFactory(cohort=cohort, visibility=Visibility.PUBLIC, authors=[people["author"]])

    with django_assert_num_queries(7):
        response = client.get(reverse("learning:list"))

    assert len(response.context["entries"]) == count


@pytest.mark.parametrize("count", [1, 20])
def test_feed_queries_do_not_grow(client, cohort, people, django_assert_num_queries, count):
    for _ in range(count):
        EntryFactory(cohort=cohort, visibility=Visibility.PUBLIC, authors=[people["author"]])

    with django_assert_num_queries(3):
        response = client.get(reverse("learning:feed"))

    assert response.content.decode().count("<entry>") == count


def titles(response):
    return [entry.title for entry in response.context["entries"]]


def test_browse_by_kind_topic_cohort_and_session(client, cohort, people):
    client.force_login(people["manager"])
    other = people["other_cohort"].applications.get().cohort
    session = SessionFactory(cohort=cohort, number=2)
    walking = TopicFactory(name="Walking")
    a = EntryFactory(cohort=cohort, title="A", kind=EntryKind.BLOG, session=session)
    a.topics.add(walking)
    EntryFactory(cohort=cohort, title="B", kind=EntryKind.QUESTION)
    EntryFactory(cohort=other, title="C", kind=EntryKind.BLOG)
    url = reverse("learning:list")

    assert titles(client.get(url, {"kind": "blog"})) == ["C", "A"]
    assert titles(client.get(url, {"topic": "walking"})) == ["A"]
    assert titles(client.get(url, {"cohort": other.pk})) == ["C"]
    assert titles(client.get(url, {"session": session.pk})) == ["A"]


def test_search_over_title_and_body(client, cohort, people):
    client.force_login(people["same_cohort"])
    EntryFactory(cohort=cohort, title="Befriending by phone", body="Calls twice a week.")
    EntryFactory(cohort=cohort, title="Garden club", body="We befriended neighbours over the fence.")
    EntryFactory(cohort=cohort, title="Digital inclusion", body="Tablets.")
    url = reverse("learning:list")

    assert titles(client.get(url, {"q": "befriend"})) == ["Garden club", "Befriending by phone"]
    assert titles(client.get(url, {"q": "befriend fence"})) == ["Garden club"]
    assert titles(client.get(url, {"q": "nothing"})) == []


def test_search_never_reaches_beyond_visibility(client, cohort, people):
    EntryFactory(cohort=cohort, title="Secret plans", visibility=Visibility.GROUP)

    response = client.get(reverse("learning:list"), {"q": "secret"})

    assert titles(response) == []


def test_unknown_filter_values_are_ignored_safely(client, cohort, people):
    EntryFactory(cohort=cohort, title="Open", visibility=Visibility.PUBLIC)

    response = client.get(reverse("learning:list"), {"topic": "no-such-topic", "cohort": "abc"})

    assert (response.status_code, titles(response)) == (200, ["Open"])
    assert sorted(response.context["filter_form"].errors) == ["cohort", "topic"]


def test_hostile_body_renders_inert_on_the_page(client, cohort, people):
    entry = EntryFactory(cohort=cohort, visibility=Visibility.PUBLIC, body=HOSTILE)

    html = client.get(entry.get_absolute_url()).content.decode()
    body = html.split('<div class="learning-body">')[1].split("</div>")[0].strip()

    assert body == (
        "<p>Hello </p>\n"
        "<p></p>\n"
        '<p><a rel="noopener noreferrer nofollow">click me</a> and '
        '<a href="https://example.org/ok" rel="noopener noreferrer nofollow">fine</a></p>'
    )


def test_hostile_body_renders_inert_in_the_feed_and_the_list(client, cohort, people):
    EntryFactory(cohort=cohort, visibility=Visibility.PUBLIC, body=HOSTILE)

    feed = client.get(reverse("learning:feed")).content.decode()
    listing = client.get(reverse("learning:list")).content.decode()

    # In the feed the HTML is escaped, so look for the words themselves.
    assert ("script" in feed, "onerror" in feed, "javascript" in feed, "alert" in feed) == (False,) * 4
    excerpt = listing.split('<p class="card-text">')[1].split("</p>")[0]
    assert excerpt == "Hello click me and fine"


@pytest.mark.parametrize(("count", "said"), [(1, "1 entry"), (3, "3 entries")])
def test_the_list_counts_its_entries_in_words(client, cohort, people, count, said):
    make_entries(cohort, count, people["author"])
    client.force_login(people["same_cohort"])

    response = client.get(reverse("learning:list"))

    assert f'<p class="visually-hidden" aria-live="polite">{said}</p>' in response.content.decode()
