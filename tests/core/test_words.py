import pytest
from django.template import Context, Template

from cohort_site.core.words import counted, label_with_colon, plural


@pytest.mark.parametrize(
    ("count", "words", "said"),
    [
        (0, ("place",), "0 places"),
        (1, ("place",), "1 place"),
        (2, ("place",), "2 places"),
        (1, ("entry", "entries"), "1 entry"),
        (3, ("entry", "entries"), "3 entries"),
        (1, ("try", "tries"), "1 try"),
        (5, ("try", "tries"), "5 tries"),
        (1.0, ("hour",), "1 hour"),
        (2.0, ("hour",), "2 hours"),
        (0.5, ("hour",), "0.5 hours"),
        (1, ("failed message",), "1 failed message"),
    ],
)
def test_counted_says_the_count_and_the_word_that_fits_it(count, words, said):
    assert counted(count, *words) == said


def test_plural_is_the_word_alone():
    assert (plural(1, "person", "people"), plural(4, "person", "people"), plural(4, "group")) == (
        "person",
        "people",
        "groups",
    )


@pytest.mark.parametrize(("count", "said"), [(1, "1 entry · 1 place"), (2, "2 entries · 2 places")])
def test_the_counted_filter_says_the_same_in_a_template(count, said):
    template = Template('{% load site_tags %}{{ n|counted:"entry,entries" }} · {{ n|counted:"place" }}')

    assert template.render(Context({"n": count})) == said


def test_a_label_before_its_answer_takes_a_colon_unless_it_ends_in_a_stop_of_its_own():
    assert [
        label_with_colon(label)
        for label in ("Your name", "Where are you based?", "Note:", "Tick one.", "Yes!")
    ] == ["Your name:", "Where are you based?", "Note:", "Tick one.", "Yes!"]
