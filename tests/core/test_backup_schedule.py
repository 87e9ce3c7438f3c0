"""Which archives pruning keeps, what that promises the privacy page, and when the nightly backup runs: pure
functions (cohort_site/core/backups/schedule.py), tested on names and moments alone."""

import datetime
import zoneinfo

from cohort_site.core.backups.schedule import (
    archive_moment,
    archive_name,
    archives_to_keep,
    archives_to_prune,
    is_due,
    longest_kept_days,
    next_nightly_run,
)

UK = zoneinfo.ZoneInfo("Europe/London")


def nightly(first: datetime.date, last: datetime.date) -> list[str]:
    """The names of archives made at 02:30 UK time every night from `first` to `last`."""
    names = []
    day = first
    while day <= last:
        names.append(archive_name(datetime.datetime.combine(day, datetime.time(2, 30), tzinfo=UK)))
        day += datetime.timedelta(days=1)
    return names


def test_archive_name_is_the_utc_moment_and_reads_back():
    made = datetime.datetime(2026, 7, 1, 2, 30, 5, tzinfo=UK)

    assert archive_name(made) == "cohort-20260701T013005Z.tar.gz"
    assert archive_moment("cohort-20260701T013005Z.tar.gz") == made
    assert [archive_moment(name) for name in ("notes.txt", "cohort-20260701T013005Z.tar.gz.partial")] == [
        None,
        None,
    ]


def test_prune_keeps_the_newest_of_each_of_14_days_and_8_weeks():
    # Every night from 1 September to Sunday 29 November 2026 (the clocks go back on 25 October), a manual backup
    # on the afternoon of the 29th and one on the morning of the 20th, a backup still being written, and a file
    # someone left there.
    archives = [
        *nightly(datetime.date(2026, 9, 1), datetime.date(2026, 11, 29)),
        "cohort-20261129T140000Z.tar.gz",
        "cohort-20261120T101500Z.tar.gz",
    ]
    names = [*archives, "cohort-20261130T023000Z.tar.gz.partial", "notes.txt"]

    kept = archives_to_keep(names, keep_daily=14, keep_weekly=8)
    pruned = archives_to_prune(names, keep_daily=14, keep_weekly=8)

    assert sorted(kept) == [
        # weekly: the newest of ISO weeks 41 to 46 (47 and 48 are among the daily ones)
        "cohort-20261011T013000Z.tar.gz",
        "cohort-20261018T013000Z.tar.gz",
        "cohort-20261025T023000Z.tar.gz",
        "cohort-20261101T023000Z.tar.gz",
        "cohort-20261108T023000Z.tar.gz",
        "cohort-20261115T023000Z.tar.gz",
        # daily: the newest of each of the last 14 days
        "cohort-20261116T023000Z.tar.gz",
        "cohort-20261117T023000Z.tar.gz",
        "cohort-20261118T023000Z.tar.gz",
        "cohort-20261119T023000Z.tar.gz",
        "cohort-20261120T101500Z.tar.gz",
        "cohort-20261121T023000Z.tar.gz",
        "cohort-20261122T023000Z.tar.gz",
        "cohort-20261123T023000Z.tar.gz",
        "cohort-20261124T023000Z.tar.gz",
        "cohort-20261125T023000Z.tar.gz",
        "cohort-20261126T023000Z.tar.gz",
        "cohort-20261127T023000Z.tar.gz",
        "cohort-20261128T023000Z.tar.gz",
        "cohort-20261129T140000Z.tar.gz",
    ]
    assert len(pruned) == 90 + 2 - 20  # 90 nights and 2 manual backups, less the 20 kept
    assert pruned[:2] == ["cohort-20260901T013000Z.tar.gz", "cohort-20260902T013000Z.tar.gz"]
    # The newest pruned: the nightly ones of the 20th and 29th (a later one those days is kept), and the 14th's.
    assert pruned[-3:] == [
        "cohort-20261114T023000Z.tar.gz",
        "cohort-20261120T023000Z.tar.gz",
        "cohort-20261129T023000Z.tar.gz",
    ]
    assert sorted(kept | set(pruned)) == sorted(archives)


def test_prune_counts_days_that_have_an_archive_so_a_long_gap_loses_nothing_recent():
    # Backups stopped on 1 October and started again on 29 November.
    names = [
        *nightly(datetime.date(2026, 9, 12), datetime.date(2026, 10, 1)),
        "cohort-20261129T023000Z.tar.gz",
    ]

    assert sorted(archives_to_keep(names, keep_daily=3, keep_weekly=2)) == [
        "cohort-20260930T013000Z.tar.gz",
        "cohort-20261001T013000Z.tar.gz",
        "cohort-20261129T023000Z.tar.gz",
    ]


def test_nothing_is_pruned_while_there_are_fewer_archives_than_kept():
    names = nightly(datetime.date(2026, 11, 20), datetime.date(2026, 11, 29))

    assert archives_to_prune(names, keep_daily=14, keep_weekly=8) == []


def test_no_archive_outlives_the_period_the_privacy_page_states():
    """Two years of nightly backups, each followed by pruning: the oldest archive there, at its oldest (just
    before a night's prune), is 50 days old; the privacy page promises at most 56 (8 weeks)."""
    names: list[str] = []
    oldest_ages = []
    for name in nightly(datetime.date(2026, 1, 1), datetime.date(2027, 12, 31)):
        names.append(name)
        oldest_ages.append(archive_moment(name) - min(map(archive_moment, names)))
        names = sorted(archives_to_keep(names, keep_daily=14, keep_weekly=8))

    assert longest_kept_days(keep_daily=14, keep_weekly=8) == 56
    assert max(oldest_ages).days == 50
    assert max(oldest_ages) < datetime.timedelta(days=56)
    assert longest_kept_days(keep_daily=30, keep_weekly=2) == 30


def test_next_nightly_run_is_the_same_uk_time_across_the_clock_changes():
    at = datetime.time(2, 30)

    def next_after(moment: str) -> str:
        return next_nightly_run(datetime.datetime.fromisoformat(moment), at=at, tz=UK).isoformat()

    assert next_after("2026-11-29T12:00:00+00:00") == "2026-11-30T02:30:00+00:00"
    assert next_after("2026-11-29T02:29:59+00:00") == "2026-11-29T02:30:00+00:00"
    assert next_after("2026-11-29T02:30:00+00:00") == "2026-11-30T02:30:00+00:00"
    # The clocks go back on 25 October 2026 and forward on 28 March 2027: still 02:30 on the wall.
    assert next_after("2026-10-24T12:00:00+00:00") == "2026-10-25T02:30:00+00:00"
    assert next_after("2027-03-27T12:00:00+00:00") == "2027-03-28T02:30:00+01:00"


def test_next_nightly_run_at_a_time_the_clocks_skip_runs_an_hour_later():
    run = next_nightly_run(
        datetime.datetime(2027, 3, 27, 12, tzinfo=datetime.UTC), at=datetime.time(1, 30), tz=UK
    )

    assert run.isoformat() == "2027-03-28T02:30:00+01:00"


def test_nightly_service_backs_up_at_start_when_the_newest_archive_is_a_day_old():
    now = datetime.datetime(2026, 11, 29, 12, tzinfo=datetime.UTC)

    assert is_due(None, now) is True
    assert is_due(now - datetime.timedelta(hours=24), now) is True
    assert is_due(now - datetime.timedelta(hours=23, minutes=59), now) is False
