import pytest
from icalendar import Calendar

from pairings.models import PairMember, Round
from pairings.services import pairs_plan, round_publish
from sessions_app.calendar import member_calendar

pytestmark = pytest.mark.django_db


def test_feed_holds_the_coffee_window_of_a_published_round_with_partner_names(cohort_with_sessions, members):
    pairs_plan(cohort=cohort_with_sessions)
    published = round_publish(round_=Round.objects.get(cohort=cohort_with_sessions, number=1))
    member = members[0]
    own_pair = PairMember.objects.get(round=published, member=member).pair
    partners = sorted(m.member.name for m in own_pair.memberships.exclude(member=member))

    feed = Calendar.from_ical(member_calendar(member.user))

    coffee = [event for event in feed.walk("VEVENT") if str(event["UID"]).startswith("coffee-round-")]
    assert [str(event["SUMMARY"]) for event in coffee] == [f"Coffee pair: meet {', '.join(partners)}"]
    assert (coffee[0].decoded("DTSTART"), coffee[0].decoded("DTEND")) == (
        published.opens_at,
        published.closes_at,
    )


def test_feed_holds_no_window_for_rounds_not_yet_published(cohort_with_sessions, members):
    pairs_plan(cohort=cohort_with_sessions)

    feed = Calendar.from_ical(member_calendar(members[0].user))

    assert [e for e in feed.walk("VEVENT") if str(e["UID"]).startswith("coffee-round-")] == []
