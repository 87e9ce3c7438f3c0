"""bench/ceiling.py's arithmetic and report, on made-up runs: shares of the ceiling per round and their medians."""

from bench import ceiling
from bench.ceiling import Page, Run


def test_percentile_is_the_nearest_rank():
    values = [float(n) for n in range(1, 101)]

    assert [ceiling.percentile(values, 50), ceiling.percentile(values, 95), ceiling.percentile([], 50)] == [
        50.0,
        95.0,
        0.0,
    ]


def test_report_gives_each_round_its_share_and_the_median_over_rounds():
    pages = [Page("ceiling", "/", ceiling=True), Page("programme page", "/p/")]
    runs = []
    for n, (top, page) in enumerate([(1000, 500), (800, 480), (1000, 300)]):
        for c in ceiling.CONCURRENCY:
            runs.append(Run("ceiling", c, n, top, 0, 1.0, [1.0] * 4))
            runs.append(Run("programme page", c, n, page, 0, 1.0, [2.0, 2.0, 2.0, 9.0]))

    lines = ceiling.report(
        runs, pages, {"programme page": 2}, {"programme page": (20480, 5120)}, 3
    ).splitlines()

    assert lines[6] == "| programme page | 1 | 500 (0.50) | 480 (0.60) | 300 (0.30) |"
    assert lines[-2] == "| programme page | 1 | 0.50 | 480 | 2.0 | 9.0 | 0 | 2 | 20.0 | 5.0 |"
