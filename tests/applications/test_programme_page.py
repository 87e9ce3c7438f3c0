import datetime

import pytest
import time_machine
from django.urls import reverse

from tests.factories import DropInFactory, ProgrammeFactory, ProgrammeSectionFactory

from .conftest import DEADLINE, DURING, OPENS, london


def page(client, programme, moment):
    with time_machine.travel(moment, tick=False):
        return client.get(reverse("applications:programme", kwargs={"slug": programme.slug}))


def test_call_to_action_before_opening_is_register_interest(client, programme):
    content = page(client, programme, OPENS - datetime.timedelta(minutes=1)).content.decode()

    assert "Applications open at <strong>9:00 on Monday 28 June 2021</strong>" in content
    assert 'href="/programmes/relationships/interest/">Register interest</a>' in content
    assert "/programmes/relationships/apply/" not in content


def test_call_to_action_while_open_is_apply_with_time_left(client, programme):
    content = page(client, programme, london(2021, 7, 18, 9)).content.decode()

    assert "Applications are open until <strong>9:00 UK time on Wednesday 21 July 2021</strong>" in content
    assert "(3\xa0days left)" in content
    assert 'href="/programmes/relationships/apply/">Apply now</a>' in content
    assert 'href="/programmes/relationships/interest/">Register interest and join a drop-in</a>' in content


def test_call_to_action_after_closing_is_interest_in_next_group(client, programme):
    content = page(client, programme, DEADLINE).content.decode()

    assert "<strong>Applications closed</strong> at 9:00 UK time on Wednesday 21 July 2021." in content
    assert 'href="/programmes/relationships/interest/">Register interest in the next group</a>' in content
    assert "/programmes/relationships/apply/" not in content


def test_drop_ins_are_shown_in_the_programmes_local_time_without_the_join_link(client, programme, drop_in):
    DropInFactory(
        programme=programme,
        starts_at=london(2021, 11, 3, 15),
        ends_at=london(2021, 11, 3, 16),
        host_name="Sam Host",
    )

    content = page(client, programme, DURING).content.decode()

    assert "<strong>Wednesday 14 July 2021, " in content
    assert '<time datetime="2021-07-14T15:00:00+01:00">15:00</time>' in content
    assert "(UK time), online with Zoë Cumberland" in content
    # After the clock change: still 15:00 local (the offset changes; the words "UK time" do not).
    assert '<time datetime="2021-11-03T15:00:00+00:00">15:00</time>' in content
    assert "(UK time), online with Sam Host" in content
    assert "https://meet.example.org/drop-in" not in content


def test_past_drop_ins_leave_the_list(client, programme, drop_in):
    content = page(client, programme, london(2021, 7, 14, 16)).content.decode()

    assert 'id="drop-ins-heading"' not in content


def test_timeline_has_every_key_date(client, programme, drop_in):
    content = page(client, programme, DURING).content.decode()

    for text in [
        "<strong>Monday 28 June</strong>: applications open",
        "<strong>Wednesday 14 July, 15:00–16:00</strong>: drop-in Q&amp;A with Zoë Cumberland",
        "<strong>Wednesday 21 July, 9:00</strong>: applications close",
        "<strong>Week of 26 July</strong>: group members confirmed, dates finalised",
        "<strong>Week of 9 August</strong>: session 1",
        "<strong>Week of 13 September</strong>: session 6",
    ]:
        assert text in content


def test_page_is_rendered_from_the_programme(client, db):
    programme = ProgrammeFactory(
        who_it_is_for="People building kinder towns.",
        what_to_expect="Tea and talk.",
        time_commitment="One afternoon a week.",
        location="Leeds Central Library.",
    )
    ProgrammeSectionFactory(
        programme=programme, heading="What will your organisation gain?", body="- **Links**"
    )

    content = client.get(programme.get_absolute_url()).content.decode()

    for text in [
        "People building kinder towns.",
        "Tea and talk.",
        "One afternoon a week.",
        "Leeds Central Library.",
        '<h2 id="section-gains">What will your organisation gain?</h2>',
        "<strong>Links</strong>",
    ]:
        assert text in content


@pytest.mark.parametrize("count", [1, 3])
def test_programme_page_queries_do_not_grow_with_drop_ins(
    client, programme, django_assert_num_queries, count
):
    for day in range(count):
        DropInFactory(
            programme=programme, starts_at=london(2021, 7, 5 + day, 15), ends_at=london(2021, 7, 5 + day, 16)
        )

    with time_machine.travel(DURING, tick=False), django_assert_num_queries(3):
        response = client.get(programme.get_absolute_url())

    assert len(response.context["drop_ins"]) == count


def test_privacy_notice_names_contact_and_retention(client, programme, settings):

    settings.RECRUITMENT_RETENTION = datetime.timedelta(days=90)

    content = client.get(reverse("applications:privacy", kwargs={"slug": programme.slug})).content.decode()

    assert "<h1>How we use your information</h1>" in content
    assert "deleted 90 days after the application deadline" in content
    assert 'href="mailto:zoe@example.org"' in content
