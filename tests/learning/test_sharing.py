"""Consent: beyond the group needs every author's consent and the manager's approval; withdrawal takes it back."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from learning import services
from learning.enums import EntryKind, Visibility
from learning.models import Entry, SharingEvent
from tests.factories import EntryFactory, MemberFactory, SessionFactory, StaffFactory, UserFactory


@pytest.fixture
def two_authors(cohort):
    return MemberFactory(cohort=cohort, name="Ada").user, MemberFactory(cohort=cohort, name="Ben").user


@pytest.fixture
def manager(db):
    return StaffFactory(name="Zoë")


@pytest.fixture
def shared_entry(cohort, two_authors):
    """Written by two members and shared with the group."""
    ada, ben = two_authors
    entry = services.entry_create(
        cohort=cohort,
        created_by=ada,
        kind=EntryKind.BLOG,
        title="Walking groups",
        body="Start small.",
        authors=[ben],
    )
    return services.entry_publish(entry=entry, by=ada)


def test_new_entry_is_a_draft_with_the_writer_as_author(cohort, two_authors):
    ada, ben = two_authors

    entry = services.entry_create(
        cohort=cohort, created_by=ada, kind=EntryKind.STORY, title=" Tea ", body="Tea helps.", authors=[ben]
    )

    assert (entry.visibility, entry.title, entry.programme) == (Visibility.DRAFT, "Tea", cohort.programme)
    assert list(entry.authorships.values_list("user__name", flat=True)) == ["Ada", "Ben"]


def test_publish_moves_draft_to_group(shared_entry):
    assert shared_entry.visibility == Visibility.GROUP
    assert shared_entry.published_at is not None


def test_one_author_of_two_not_consenting_keeps_entry_in_group(shared_entry, two_authors, manager):
    ada, _ben = two_authors

    services.entry_sharing_request(entry=shared_entry, by=ada, audience=Visibility.PUBLIC)
    entry = services.entry_sharing_approve(entry=shared_entry, by=manager, audience=Visibility.PUBLIC)

    assert entry.visibility == Visibility.GROUP
    assert list(entry.authorships.values_list("user__name", "consent_audience")) == [
        ("Ada", "public"),
        ("Ben", ""),
    ]


def test_every_author_consenting_and_manager_approving_makes_it_public(shared_entry, two_authors, manager):
    ada, ben = two_authors
    services.entry_sharing_request(entry=shared_entry, by=ada, audience=Visibility.PUBLIC)
    services.entry_consent_give(entry=shared_entry, user=ben, audience=Visibility.PUBLIC)

    assert Entry.objects.get(pk=shared_entry.pk).visibility == Visibility.GROUP  # not yet approved
    entry = services.entry_sharing_approve(entry=shared_entry, by=manager, audience=Visibility.PUBLIC)

    assert entry.visibility == Visibility.PUBLIC
    assert entry.made_public_at is not None


def test_withdrawal_takes_it_back_to_group(shared_entry, two_authors, manager):
    ada, ben = two_authors
    services.entry_sharing_request(entry=shared_entry, by=ada, audience=Visibility.PUBLIC)
    services.entry_consent_give(entry=shared_entry, user=ben, audience=Visibility.PUBLIC)
    services.entry_sharing_approve(entry=shared_entry, by=manager, audience=Visibility.PUBLIC)

    entry = services.entry_consent_withdraw(entry=shared_entry, user=ben)

    assert entry.visibility == Visibility.GROUP
    assert Entry.objects.get(pk=entry.pk).visibility == Visibility.GROUP
    assert list(entry.sharing_events.values_list("action", "audience")) == [
        ("published", "group"),
        ("visibility", "group"),
        ("requested", "public"),
        ("consented", "public"),
        ("consented", "public"),
        ("approved", "public"),
        ("visibility", "public"),
        ("withdrawn", ""),
        ("visibility", "group"),
    ]


def test_narrowest_consent_wins(shared_entry, two_authors, manager):
    ada, ben = two_authors
    services.entry_sharing_request(entry=shared_entry, by=ada, audience=Visibility.PUBLIC)
    services.entry_consent_give(entry=shared_entry, user=ben, audience=Visibility.NETWORK)

    entry = services.entry_sharing_approve(entry=shared_entry, by=manager, audience=Visibility.PUBLIC)

    assert entry.visibility == Visibility.NETWORK


def test_manager_approval_is_needed(shared_entry, two_authors):
    ada, ben = two_authors
    services.entry_sharing_request(entry=shared_entry, by=ada, audience=Visibility.NETWORK)

    entry = services.entry_consent_give(entry=shared_entry, user=ben, audience=Visibility.NETWORK)

    assert entry.visibility == Visibility.GROUP


def test_manager_declining_takes_it_back_to_group(shared_entry, two_authors, manager):
    ada, ben = two_authors
    services.entry_sharing_request(entry=shared_entry, by=ada, audience=Visibility.NETWORK)
    services.entry_consent_give(entry=shared_entry, user=ben, audience=Visibility.NETWORK)
    services.entry_sharing_approve(entry=shared_entry, by=manager, audience=Visibility.NETWORK)

    entry = services.entry_sharing_decline(entry=shared_entry, by=manager)

    assert entry.visibility == Visibility.GROUP


def test_a_member_cannot_approve(shared_entry, two_authors):
    ada, _ = two_authors

    with pytest.raises(ValidationError, match="Only the manager"):
        services.entry_sharing_approve(entry=shared_entry, by=ada, audience=Visibility.PUBLIC)


def test_adding_an_author_without_consent_takes_it_back_to_group(shared_entry, two_authors, manager, cohort):
    ada, ben = two_authors
    services.entry_sharing_request(entry=shared_entry, by=ada, audience=Visibility.NETWORK)
    services.entry_consent_give(entry=shared_entry, user=ben, audience=Visibility.NETWORK)
    services.entry_sharing_approve(entry=shared_entry, by=manager, audience=Visibility.NETWORK)
    cleo = MemberFactory(cohort=cohort, name="Cleo").user

    entry = services.entry_update(
        entry=shared_entry, by=ada, title="Walking groups", body="Start small.", authors=[ada, ben, cleo]
    )

    assert entry.visibility == Visibility.GROUP


def test_editing_the_text_clears_consent(shared_entry, two_authors, manager):
    ada, ben = two_authors
    services.entry_sharing_request(entry=shared_entry, by=ada, audience=Visibility.PUBLIC)
    services.entry_consent_give(entry=shared_entry, user=ben, audience=Visibility.PUBLIC)
    services.entry_sharing_approve(entry=shared_entry, by=manager, audience=Visibility.PUBLIC)

    entry = services.entry_update(
        entry=shared_entry,
        by=ada,
        title="Walking groups",
        body="Start small. Names changed.",
        authors=[ada, ben],
    )

    assert entry.visibility == Visibility.GROUP
    assert list(entry.authorships.values_list("consent_audience", flat=True)) == ["", ""]
    assert entry.sharing_events.filter(action=SharingEvent.Action.RESET).count() == 1


def test_editing_only_topics_keeps_consent(shared_entry, two_authors, manager):
    ada, ben = two_authors
    services.entry_sharing_request(entry=shared_entry, by=ada, audience=Visibility.PUBLIC)
    services.entry_consent_give(entry=shared_entry, user=ben, audience=Visibility.PUBLIC)
    services.entry_sharing_approve(entry=shared_entry, by=manager, audience=Visibility.PUBLIC)

    entry = services.entry_update(
        entry=shared_entry,
        by=ada,
        title="Walking groups",
        body="Start small.",
        topic_names=["Walking", " walking ", "Volunteers"],
        authors=[ada, ben],
    )

    assert entry.visibility == Visibility.PUBLIC
    assert sorted(entry.topics.values_list("slug", flat=True)) == ["volunteers", "walking"]


def test_authors_must_belong_to_the_group(cohort, two_authors):
    ada, _ = two_authors
    stranger = UserFactory()

    with pytest.raises(ValidationError) as error:
        services.entry_create(
            cohort=cohort, created_by=ada, kind=EntryKind.STORY, title="T", body="B", authors=[stranger]
        )

    assert error.value.message_dict == {"authors": ["Authors must be members of the group or staff."]}


def test_one_set_of_notes_per_session(cohort, manager):
    session = SessionFactory(cohort=cohort, number=1)
    services.entry_create(
        cohort=cohort,
        created_by=manager,
        kind=EntryKind.SESSION_NOTES,
        title="Notes",
        body="B",
        session=session,
    )

    with pytest.raises(ValidationError) as error:
        services.entry_create(
            cohort=cohort,
            created_by=manager,
            kind=EntryKind.SESSION_NOTES,
            title="Again",
            body="B",
            session=session,
        )

    assert error.value.message_dict == {"session": ["This session has notes already; edit those instead."]}


def test_session_notes_are_the_managers(cohort, two_authors):
    ada, _ = two_authors
    session = SessionFactory(cohort=cohort, number=1)

    with pytest.raises(ValidationError) as error:
        services.entry_create(
            cohort=cohort, created_by=ada, kind=EntryKind.SESSION_NOTES, title="N", body="B", session=session
        )

    assert error.value.message_dict == {
        "authors": ["Session notes are the manager's: only staff can be their authors."]
    }


# --- Through the pages -----------------------------------------------------------------------------------


def share(client, entry, action, audience=""):
    data = {"action": action} | ({"audience": audience} if audience else {})
    return client.post(reverse("learning:share", kwargs={"pk": entry.pk}), data)


def test_sharing_through_the_pages(client, shared_entry, two_authors, manager):
    ada, ben = two_authors
    client.force_login(ada)
    assert share(client, shared_entry, "request", "public").status_code == 302
    client.force_login(ben)
    assert share(client, shared_entry, "consent", "public").status_code == 302
    client.force_login(manager)
    assert share(client, shared_entry, "approve", "public").status_code == 302

    assert Entry.objects.get(pk=shared_entry.pk).visibility == Visibility.PUBLIC
    client.logout()
    assert client.get(shared_entry.get_absolute_url()).status_code == 200

    client.force_login(ben)
    share(client, shared_entry, "withdraw")
    client.logout()
    assert client.get(shared_entry.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    ("role", "action"),
    [("same_cohort", "consent"), ("same_cohort", "approve"), ("author", "approve"), ("manager", "consent")],
)
def test_sharing_steps_refused_with_404(client, people, cohort, role, action):
    entry = EntryFactory(cohort=cohort, visibility=Visibility.GROUP, authors=[people["author"]])
    client.force_login(people[role])

    response = share(client, entry, action, "public")

    assert response.status_code == 404
    assert entry.sharing_events.count() == 0


def test_create_page_saves_a_draft(client, cohort, two_authors):
    ada, ben = two_authors
    client.force_login(ada)

    response = client.post(
        reverse("learning:create"),
        {
            "cohort": cohort.pk,
            "kind": EntryKind.RESOURCE,
            "title": "A guide to befriending",
            "body": "Read this.",
            "link": "https://example.org/guide",
            "topics": "befriending, volunteers",
            "authors": [ada.pk, ben.pk],
        },
    )

    entry = Entry.objects.get()
    assert (response.status_code, response["Location"]) == (302, entry.get_absolute_url())
    assert (
        entry.visibility,
        entry.link,
        list(entry.authors.order_by("name").values_list("name", flat=True)),
    ) == (
        Visibility.DRAFT,
        "https://example.org/guide",
        ["Ada", "Ben"],
    )


def test_create_page_keeps_what_was_typed_on_error(client, cohort, two_authors):
    ada, _ = two_authors
    client.force_login(ada)

    response = client.post(
        reverse("learning:create"),
        {"cohort": cohort.pk, "kind": EntryKind.RESOURCE, "title": "A guide", "body": "Long text kept."},
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "link": ["A resource needs a link to where people can find it."]
    }
    assert "Long text kept." in response.content.decode()
    assert Entry.objects.count() == 0


def test_create_page_refuses_a_megabyte_body_with_a_message(client, cohort, two_authors):
    ada, _ = two_authors
    client.force_login(ada)

    response = client.post(
        reverse("learning:create"),
        {"cohort": cohort.pk, "kind": EntryKind.STORY, "title": "A story", "body": "x" * 1_000_000},
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "body": ["Please shorten this to 20,000 characters or fewer (it has 1000000)."]
    }
    assert Entry.objects.count() == 0


@pytest.mark.parametrize("field", ["title", "body", "topics"])
def test_create_page_refuses_a_text_direction_override(client, cohort, two_authors, field):
    ada, _ = two_authors
    client.force_login(ada)
    data = {
        "cohort": cohort.pk,
        "kind": EntryKind.STORY,
        "title": "A story",
        "body": "Text.",
        "topics": "care",
    }

    response = client.post(reverse("learning:create"), {**data, field: "Ada\u2066evil\u2069"})

    assert response.context["form"].errors == {
        field: [
            "Please remove the hidden control or text-direction character (U+2066) from this text: it can "
            "disguise what is written."
        ]
    }
    assert Entry.objects.count() == 0


@pytest.mark.parametrize("link", ["javascript:alert(document.cookie)", "ftp://example.org/guide.pdf"])
def test_create_page_refuses_a_link_that_is_not_a_web_address(client, cohort, two_authors, link):
    ada, _ = two_authors
    client.force_login(ada)

    response = client.post(
        reverse("learning:create"),
        {"cohort": cohort.pk, "kind": EntryKind.RESOURCE, "title": "A guide", "body": "Read.", "link": link},
    )

    assert response.context["form"].errors == {
        "link": [
            "Enter the link as a web address, like https://example.org/guide (it must start with https:// or http://)."
        ]
    }
    assert Entry.objects.count() == 0


def test_a_stored_javascript_link_is_shown_inert(client, cohort, two_authors):
    """A link that reached the database another way (the admin, an older row) is never rendered as a link."""
    ada, _ = two_authors
    entry = EntryFactory(
        cohort=cohort, kind=EntryKind.RESOURCE, link="javascript:alert(document.cookie)", authors=[ada]
    )
    client.force_login(ada)

    page = client.get(entry.get_absolute_url()).content.decode()

    assert 'href="javascript:' not in page
    assert "Open the resource" not in page
    assert "Resource (not a web address, so not linked)" in page


def test_a_web_link_is_shown_as_a_button(client, cohort, two_authors):
    ada, _ = two_authors
    entry = EntryFactory(
        cohort=cohort, kind=EntryKind.RESOURCE, link="https://example.org/guide", authors=[ada]
    )
    client.force_login(ada)

    page = client.get(entry.get_absolute_url()).content.decode()

    assert 'href="https://example.org/guide"' in page


def test_members_cannot_choose_session_notes(client, cohort, two_authors):
    ada, _ = two_authors
    client.force_login(ada)

    response = client.get(reverse("learning:create"))

    assert [value for value, _ in response.context["form"].fields["kind"].choices] == [
        "blog",
        "resource",
        "question",
        "story",
    ]


def test_signed_in_non_member_cannot_write(client, db):
    client.force_login(UserFactory())

    assert client.get(reverse("learning:create")).status_code == 404
