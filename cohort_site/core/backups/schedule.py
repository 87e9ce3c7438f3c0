"""When backups are made and which archives are kept: pure, no Django, so it can be tested on names alone.

An archive is named by the moment it was made, in UTC: `cohort-20261129T023000Z.tar.gz`. Pruning keeps the newest
archive of each of the last `keep_daily` days that have one, and the newest of each of the last `keep_weekly` ISO
weeks (Monday to Sunday) that have one; the two overlap, so 14 daily and 8 weekly archives are at most 20 files.
Counting days and weeks that *have* an archive, not calendar days, means a server that was off for a month keeps
its last archives instead of pruning them all. A file whose name is not an archive's is never touched.
"""

import datetime
import re
from collections.abc import Iterable

PREFIX = "cohort-"
SUFFIX = ".tar.gz"
PARTIAL_SUFFIX = ".partial"
_NAME = re.compile(r"^cohort-(\d{8}T\d{6}Z)\.tar\.gz$")
_STAMP = "%Y%m%dT%H%M%SZ"


def archive_name(moment: datetime.datetime) -> str:
    """The archive's file name for a backup made at this (aware) moment."""
    return f"{PREFIX}{moment.astimezone(datetime.UTC):{_STAMP}}{SUFFIX}"


def archive_moment(name: str) -> datetime.datetime | None:
    """When the archive of this name was made; None for a name that is not an archive's."""
    match = _NAME.match(name)
    if match is None:
        return None
    return datetime.datetime.strptime(match.group(1), _STAMP).replace(tzinfo=datetime.UTC)


def archives_to_keep(names: Iterable[str], *, keep_daily: int, keep_weekly: int) -> set[str]:
    """The archives the daily and weekly rules keep, among these names (others are ignored)."""
    dated = sorted(
        ((moment, name) for name in names if (moment := archive_moment(name)) is not None), reverse=True
    )
    kept: set[str] = set()
    for period_of, limit in (
        (lambda moment: moment.date(), keep_daily),
        (lambda moment: moment.isocalendar()[:2], keep_weekly),
    ):
        periods: set = set()
        for moment, name in dated:
            period = period_of(moment)
            if period in periods:
                continue  # an older archive of a day (or week) whose newest is already counted
            if len(periods) == limit:
                break
            periods.add(period)
            kept.add(name)
    return kept


def archives_to_prune(names: Iterable[str], *, keep_daily: int, keep_weekly: int) -> list[str]:
    """The archives to delete, oldest first: every archive the rules do not keep."""
    names = list(names)
    kept = archives_to_keep(names, keep_daily=keep_daily, keep_weekly=keep_weekly)
    doomed = [name for name in names if archive_moment(name) is not None and name not in kept]
    return sorted(doomed, key=archive_moment)


def longest_kept_days(*, keep_daily: int, keep_weekly: int) -> int:
    """The most days an archive made nightly and pruned nightly is kept: what the privacy page promises.

    The oldest weekly archive is the newest of a week `keep_weekly - 1` weeks back (at most 49 days old for 8) and
    goes on the night it becomes the ninth; the oldest daily one goes on its fifteenth day. Stated as whole weeks
    (or days), the bound holds with a day to spare for the night between a backup and the next prune.
    """
    return max(keep_daily, 7 * keep_weekly)


def next_nightly_run(now: datetime.datetime, *, at: datetime.time, tz: datetime.tzinfo) -> datetime.datetime:
    """The next moment after `now` that is `at` o'clock in `tz` (UK time for us): the same wall-clock time every
    night across the clock change. A time the change skips (01:30 on the spring night) runs an hour later."""
    local = now.astimezone(tz)
    day = local.date()
    while True:
        candidate = datetime.datetime.combine(day, at, tzinfo=tz)
        # Round trip through UTC: a skipped wall-clock time lands on the real instant after the gap.
        candidate = candidate.astimezone(datetime.UTC).astimezone(tz)
        if candidate > now:
            return candidate
        day += datetime.timedelta(days=1)


def is_due(newest: datetime.datetime | None, now: datetime.datetime) -> bool:
    """Whether the nightly service should back up at once when it starts: no archive, or none in the last day."""
    return newest is None or now - newest >= datetime.timedelta(days=1)
