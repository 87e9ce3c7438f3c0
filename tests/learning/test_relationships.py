"""The web of relationships, counted (learning.relationships), against figures worked out by hand."""

from learning.relationships import WebFigures, ties, web_figures


def test_ticks_either_way_make_one_tie_and_strangers_are_left_out():
    # 1 ticked 2 and 2 ticked 1: one tie. 3 ticked 9 (not in the group) and 4 ticked themself: nothing.
    assert ties([(1, 2), (2, 1), (3, 9), (4, 4), (3, 4)], [1, 2, 3, 4]) == {
        frozenset({1, 2}),
        frozenset({3, 4}),
    }


def test_web_figures_count_pairs_loners_and_ties_across_organisations():
    # Five people: 10 possible pairs. Ties 1-2 (same organisation, written differently), 2-3, 3-1: 3 connected,
    # 30%; 4 and 5 have none; 2-3 and 3-1 cross organisations.
    organisations = {1: "Age UK", 2: " age  uk", 3: "Men's Sheds", 4: "Men's Sheds", 5: "Befrienders"}
    web = {frozenset({1, 2}), frozenset({2, 3}), frozenset({3, 1})}

    figures = web_figures(organisations, web)

    assert figures == WebFigures(
        people=5, possible=10, connected=3, unconnected_people=2, across_organisations=2
    )
    assert figures.share == "30%"


def test_a_group_of_one_has_no_pairs():
    assert web_figures({1: "Age UK"}, set()).share == "–"
