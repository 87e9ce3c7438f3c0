"""The best-time finder alone: plain values in, plain values out, no database."""

import datetime
import zoneinfo

from applications.slot_finder import (
    IF_NEED_BE,
    NO,
    YES,
    BankHoliday,
    Candidate,
    SeriesDate,
    bank_holidays_on,
    rank_times,
    series_dates,
    starts_on,
    weekly_dates,
    weekly_starts,
)

MON_10 = Candidate("mon-10", 0, datetime.time(10, 0))
TUE_14 = Candidate("tue-14", 1, datetime.time(14, 0))
WED_10 = Candidate("wed-10", 2, datetime.time(10, 0))
THU_14 = Candidate("thu-14", 3, datetime.time(14, 0))
LONDON = zoneinfo.ZoneInfo("Europe/London")


def summary(ranking):
    return [(r.candidate.key, r.rank, r.yes, r.if_need_be, r.left_out) for r in ranking]


def test_rank_puts_most_who_can_come_first_and_names_who_is_left_out():
    answers = {
        "ada": {"mon-10": YES, "tue-14": YES, "wed-10": NO},
        "bo": {"mon-10": NO, "tue-14": IF_NEED_BE, "wed-10": YES},
        "cy": {"mon-10": YES, "tue-14": IF_NEED_BE},
    }

    ranking = rank_times([MON_10, TUE_14, WED_10], answers)

    assert summary(ranking) == [
        ("tue-14", 1, ("ada",), ("bo", "cy"), ()),
        ("mon-10", 2, ("ada", "cy"), (), ("bo",)),
        ("wed-10", 3, ("bo",), (), ("ada", "cy")),
    ]
    assert [r.can_come for r in ranking] == [3, 2, 1]


def test_rank_breaks_equal_numbers_by_yes_then_shares_rank_on_a_full_tie():
    answers = {
        "ada": {"mon-10": YES, "tue-14": IF_NEED_BE, "wed-10": YES, "thu-14": YES},
        "bo": {"mon-10": YES, "tue-14": YES, "wed-10": YES, "thu-14": NO},
    }

    ranking = rank_times([MON_10, TUE_14, WED_10, THU_14], answers)

    # Monday and Wednesday tie (2 can come, 2 yes): same rank, offered order kept; Tuesday has fewer yeses.
    assert summary(ranking) == [
        ("mon-10", 1, ("ada", "bo"), (), ()),
        ("wed-10", 1, ("ada", "bo"), (), ()),
        ("tue-14", 3, ("bo",), ("ada",), ()),
        ("thu-14", 4, ("ada",), (), ("bo",)),
    ]


def test_rank_when_nobody_is_available_leaves_everyone_out_and_all_tie():
    answers = {"ada": {"mon-10": NO, "tue-14": NO}, "bo": {}}

    ranking = rank_times([MON_10, TUE_14], answers)

    assert summary(ranking) == [
        ("mon-10", 1, (), (), ("ada", "bo")),
        ("tue-14", 1, (), (), ("ada", "bo")),
    ]


def test_rank_tells_a_missing_answer_from_a_no_and_leaves_both_out():
    answers = {"ada": {"mon-10": NO, "tue-14": YES}, "bo": {"tue-14": IF_NEED_BE}, "cy": {}}

    ranking = rank_times([MON_10, TUE_14], answers)

    assert [(r.candidate.key, r.left_out, r.unanswered, r.said_no) for r in ranking] == [
        ("tue-14", ("cy",), ("cy",), 0),
        ("mon-10", ("ada", "bo", "cy"), ("bo", "cy"), 1),
    ]


def test_rank_when_everyone_is_available_leaves_nobody_out():
    answers = {name: {"mon-10": YES, "tue-14": YES} for name in ("ada", "bo", "cy")}

    ranking = rank_times([MON_10, TUE_14], answers)

    assert summary(ranking) == [
        ("mon-10", 1, ("ada", "bo", "cy"), (), ()),
        ("tue-14", 1, ("ada", "bo", "cy"), (), ()),
    ]


def test_rank_with_no_members_or_no_candidates():
    assert summary(rank_times([MON_10], {})) == [("mon-10", 1, (), (), ())]
    assert rank_times([], {"ada": {"mon-10": YES}}) == []


def test_rank_flags_the_brief_summer_bank_holiday_on_mondays_only():
    # The brief: sessions in the weeks of 9 August to 13 September 2021; Monday 30 August is a bank holiday.
    answers = {"ada": {"mon-10": YES, "tue-14": YES}}

    ranking = rank_times([MON_10, TUE_14], answers, first_week=datetime.date(2021, 8, 9), weeks=6)

    by_key = {r.candidate.key: r for r in ranking}
    assert by_key["mon-10"].bank_holidays == (
        BankHoliday(datetime.date(2021, 8, 30), "Late Summer Bank Holiday"),
    )
    assert by_key["tue-14"].bank_holidays == ()
    assert by_key["mon-10"].dates == (
        datetime.date(2021, 8, 9),
        datetime.date(2021, 8, 16),
        datetime.date(2021, 8, 23),
        datetime.date(2021, 8, 30),
        datetime.date(2021, 9, 6),
        datetime.date(2021, 9, 13),
    )
    # Otherwise tied, the time without a bank holiday comes first, but they still share the rank.
    assert [(r.candidate.key, r.rank) for r in ranking] == [("tue-14", 1), ("mon-10", 1)]


def test_bank_holidays_are_england_and_wales_by_default():
    # Scotland's summer bank holiday is the first Monday of August; England's the last.
    assert bank_holidays_on([datetime.date(2021, 8, 2), datetime.date(2021, 8, 30)]) == (
        BankHoliday(datetime.date(2021, 8, 30), "Late Summer Bank Holiday"),
    )
    assert bank_holidays_on([datetime.date(2021, 8, 2)], subdivision="SCT") == (
        BankHoliday(datetime.date(2021, 8, 2), "Summer Bank Holiday"),
    )
    assert bank_holidays_on([]) == ()


def test_weekly_dates_from_any_day_of_the_first_week():
    assert weekly_dates(datetime.date(2021, 8, 11), 1, 2) == (
        datetime.date(2021, 8, 10),
        datetime.date(2021, 8, 17),
    )


def test_weekly_starts_keep_local_time_across_the_october_clock_change():
    # Clocks go back on Sunday 31 October 2021.
    starts = weekly_starts(datetime.date(2021, 10, 18), 1, datetime.time(14, 0), 3, LONDON)

    assert [s.strftime("%Y-%m-%d %H:%M") for s in starts] == [
        "2021-10-19 14:00",
        "2021-10-26 14:00",
        "2021-11-02 14:00",
    ]
    assert [s.astimezone(datetime.UTC).strftime("%d %H:%M") for s in starts] == [
        "19 13:00",
        "26 13:00",
        "02 14:00",
    ]


# --- Planning a series around bank holidays --------------------------------------------------------------

MAY_DAY_2027 = BankHoliday(datetime.date(2027, 5, 3), "May Day")
SPRING_2027 = BankHoliday(datetime.date(2027, 5, 31), "Spring Bank Holiday")


def test_series_skips_each_bank_holiday_week_and_moves_on_a_week():
    # Mondays from the week of 26 April 2027: May Day (3 May) and the Spring bank holiday (31 May) are skipped.
    series = series_dates(datetime.date(2027, 4, 26), 0, 6)

    assert series == (
        SeriesDate(datetime.date(2027, 4, 26)),
        SeriesDate(datetime.date(2027, 5, 3), MAY_DAY_2027, skipped=True),
        SeriesDate(datetime.date(2027, 5, 10)),
        SeriesDate(datetime.date(2027, 5, 17)),
        SeriesDate(datetime.date(2027, 5, 24)),
        SeriesDate(datetime.date(2027, 5, 31), SPRING_2027, skipped=True),
        SeriesDate(datetime.date(2027, 6, 7)),
        SeriesDate(datetime.date(2027, 6, 14)),
    )


def test_series_holds_a_kept_bank_holiday_and_only_flags_it():
    series = series_dates(datetime.date(2027, 4, 26), 0, 6, keep={datetime.date(2027, 5, 3)})

    assert [(s.date.isoformat(), s.bank_holiday, s.skipped) for s in series] == [
        ("2027-04-26", None, False),
        ("2027-05-03", MAY_DAY_2027, False),
        ("2027-05-10", None, False),
        ("2027-05-17", None, False),
        ("2027-05-24", None, False),
        ("2027-05-31", SPRING_2027, True),
        ("2027-06-07", None, False),
    ]


def test_series_starts_on_the_first_such_weekday_on_or_after_the_given_day():
    # From Wednesday 28 July 2027, Thursdays: 29 July is the first; none is a holiday.
    assert [s.date.isoformat() for s in series_dates(datetime.date(2027, 7, 28), 3, 2)] == [
        "2027-07-29",
        "2027-08-05",
    ]


def test_series_follows_the_nation_scotland_keeps_the_first_monday_of_august():
    england = series_dates(datetime.date(2027, 8, 2), 0, 5)
    scotland = series_dates(datetime.date(2027, 8, 2), 0, 5, subdivision="SCT")

    assert [s.date.isoformat() for s in england if s.skipped] == ["2027-08-30"]
    assert [s.date.isoformat() for s in scotland if s.skipped] == ["2027-08-02"]


def test_series_across_new_year_skips_both_years_holidays():
    # Mondays from 20 December 2027: Christmas Day (a Saturday) is kept on Monday 27th, New Year's Day on the 3rd.
    series = series_dates(datetime.date(2027, 12, 20), 0, 2)

    assert [(s.date.isoformat(), s.bank_holiday and s.bank_holiday.name, s.skipped) for s in series] == [
        ("2027-12-20", None, False),
        ("2027-12-27", "Christmas Day (observed)", True),
        ("2028-01-03", "New Year's Day (observed)", True),
        ("2028-01-10", None, False),
    ]


def test_series_of_no_sessions_is_empty():
    assert series_dates(datetime.date(2027, 4, 26), 0, 0) == ()


def test_starts_on_keeps_the_local_time_across_the_clock_change():
    starts = starts_on([datetime.date(2027, 10, 25), datetime.date(2027, 11, 1)], datetime.time(10), LONDON)

    assert [s.astimezone(datetime.UTC).strftime("%d %b %H:%M") for s in starts] == [
        "25 Oct 09:00",
        "01 Nov 10:00",
    ]
