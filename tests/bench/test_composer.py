"""bench/composer.py at a small scale, through the same code, so the script cannot rot: 120 applicants, two groups,
today's flow, first-come and the composer compared in one run."""

from applications.composer import OPTIMAL
from bench import composer


def test_realistic_data_is_the_same_for_a_seed_and_shaped_as_described():
    people = composer.realistic(120, seed=1)

    assert people == composer.realistic(120, seed=1)
    assert [a.id for a in people] == list(range(120))
    assert len(composer.candidate_times()) == 40
    assert composer.candidate_times()[0].label == "Monday 09:00"
    assert composer.candidate_times()[-1].label == "Friday 16:00"
    assert {answer for a in people for answer in a.availability.values()} == {"yes", "if_need_be", "no"}
    assert all(0 <= a.score <= 10 for a in people)


def test_small_run_compares_the_three_ways_of_forming_groups():
    result = composer.run(applicants=120, groups=2, seconds=10, seed=1)

    assert [(o.name, o.at_yes, o.can_make, o.cannot_make) for o in result.outcomes] == [
        ("today's flow (top 20 by score, then the best time)", 23, 27, 13),
        ("first-come fill, then the best time", 21, 27, 13),
        ("composer, one per organisation, 8 front-line", 40, 40, 0),
        ("composer, no rules", 40, 40, 0),
    ]
    assert [
        (p.status, p.objective, p.bound, len(p.groups), len(p.waitlist)) for p in result.proposals.values()
    ] == [
        (OPTIMAL, 2936, 2936.0, 2, 80),
        (OPTIMAL, 2940, 2940.0, 2, 80),
    ]
    report = composer.report(result).splitlines()
    assert report[0].split() == ["at", "yes", "can", "make", "cannot", "score", "at", "yes", "vs", "today"]
    assert report[1].endswith("+0%")
    assert report[3].endswith("+74%")
    assert len(report) == 7
