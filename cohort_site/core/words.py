"""Counts in words, one way everywhere (STYLE.md 15: counts pluralise): "1 place", "3 places", "1 entry",
"2 entries", "1 try", "5 tries". Python code calls `counted`; templates use the `counted` filter (site_tags).

English plurals are not all "+s", so a word that changes otherwise is given its plural: counted(n, "entry",
"entries"). A count that is a float (hours of a timeout) is written without a needless ".0".
"""


def plural(count: float, singular: str, plural_form: str | None = None) -> str:
    """The word for `count` of a thing: plural(1, "entry", "entries") -> "entry"; plural(0, "place") -> "places"."""
    if count == 1:
        return singular
    return plural_form if plural_form is not None else f"{singular}s"


def counted(count: float, singular: str, plural_form: str | None = None) -> str:
    """`count` and the word for it: counted(1, "place") -> "1 place"; counted(2.5, "hour") -> "2.5 hours"."""
    number = f"{count:g}" if isinstance(count, float) else str(count)
    return f"{number} {plural(count, singular, plural_form)}"


def label_with_colon(label: str) -> str:
    """A label before its answer, as Django's forms write one: "Your name:"; a label that already ends in a stop
    keeps its own ("Where are you based?", not "Where are you based?:")."""
    return label if label.endswith((":", "?", ".", "!")) else f"{label}:"
