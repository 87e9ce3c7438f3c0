import datetime

from cohort_site.demo import open_call


def test_demo_timeline_keeps_the_briefs_intervals():
    timeline = open_call.demo_timeline(datetime.date(2026, 11, 23))

    assert timeline == open_call.DemoTimeline(
        opens=datetime.date(2026, 11, 16),
        drop_in=datetime.date(2026, 12, 2),
        closes=datetime.date(2026, 12, 9),
        confirmation_week=datetime.date(2026, 12, 14),
        first_session_week=datetime.date(2026, 12, 28),
    )
