import xml.etree.ElementTree as ET

from cohort_site.core.charts import Bar, bars_svg, distribution_svg, network_svg, rating_distribution_svg

SVG = "{http://www.w3.org/2000/svg}"


def test_bars_scale_to_the_largest_count():
    svg = ET.fromstring(distribution_svg([("Yes", 4), ("No", 2), ("Maybe", 0)], title="Answers"))

    bars = [
        (rect.get("y"), rect.get("width"))
        for rect in svg.iter(f"{SVG}rect")
        if rect.get("class") == "chart-bar"
    ]
    assert bars == [("8", "260"), ("38", "130")]
    assert (svg.findtext(f"{SVG}title"), svg.findtext(f"{SVG}desc")) == ("Answers", "Yes: 4, No: 2, Maybe: 0")


def test_labels_are_escaped_and_nothing_is_inline():
    markup = distribution_svg([('<script>"x"</script>', 1)], title="A & B")

    assert "<script>" not in markup
    assert ("style=" in markup, "onload" in markup) == (False, False)
    assert ET.fromstring(markup).get("aria-label") == "A & B"


def test_rating_chart_lists_5_down_to_1_and_copes_with_no_answers():
    svg = ET.fromstring(rating_distribution_svg(dict.fromkeys(range(1, 6), 0), title="Ratings"))

    labels = [text.text for text in svg.iter(f"{SVG}text") if text.get("class") == "chart-label"]
    assert [label.split()[0] for label in labels] == ["5", "4", "3", "2", "1"]
    assert [r for r in svg.iter(f"{SVG}rect") if r.get("class") == "chart-bar"] == []


def test_bars_against_a_fixed_scale_show_their_own_figures():
    svg = ET.fromstring(
        bars_svg(
            [Bar("Session 1", 15, "15/20"), Bar("Session 2", 20, "20/20"), Bar("Session 3", 0, "–")],
            title="Attendance",
            scale=20,
        )
    )

    widths = [r.get("width") for r in svg.iter(f"{SVG}rect") if r.get("class") == "chart-bar"]
    counts = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "chart-count"]
    assert (widths, counts) == (["195", "260"], ["15/20", "20/20", "–"])
    assert svg.findtext(f"{SVG}desc") == "Session 1: 15/20, Session 2: 20/20, Session 3: –"


# The relationship map's picture: a line per tie, names escaped, the figures in words as its text alternative.
def test_a_line_per_tie_and_a_named_dot_per_person():
    svg = network_svg(
        ["Ada", "Ben <b>", "Cy"], [(0, 1), (1, 2)], title="Group 1 after", summary="2 of 3 connected"
    )

    assert (svg.count("<line "), svg.count("<circle "), svg.count("<text ")) == (2, 3, 3)
    assert "<title>Group 1 after</title><desc>2 of 3 connected</desc>" in svg
    assert "Ben &lt;b&gt;" in svg
    assert "<b>" not in svg
