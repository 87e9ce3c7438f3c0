import re
from html.parser import HTMLParser

OPTION = re.compile(r"_\d+$")


class FormOutline(HTMLParser):
    """The application form as a person meets it: each heading, each question's label (with its * when it needs an
    answer) and each hint, in the order of the page."""

    def __init__(self):
        super().__init__()
        self.items: list[tuple[str, str]] = []
        self.in_form = False
        self.open: list[str] | None = None
        self.depth = 0
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if tag == "form" and "public-form" in classes:
            self.in_form = True
        if not self.in_form:
            return
        if self.open is not None:
            if tag == self.open[0]:
                self.depth += 1
            return
        kind = None
        if tag == "legend":
            kind = "heading"
        elif tag == "label" and "visually-hidden" not in classes and not self._option(classes, attrs):
            kind = "label"
        elif tag == "div" and (attrs.get("id") or "").endswith("_helptext"):
            kind = "hint"
        elif tag == "p" and "form-text" in classes:
            kind = "introduction"
        elif tag == "th" and attrs.get("scope") == "row":
            kind = "time"
        if kind:
            self.open, self.depth, self.text = [tag, kind], 0, []

    @staticmethod
    def _option(classes, attrs) -> bool:
        """One answer of a radio group (the group's own label is its legend)."""
        return "form-check-label" in classes and bool(OPTION.search(attrs.get("for") or ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False
        if self.open is None or tag != self.open[0]:
            return
        if self.depth:
            self.depth -= 1
            return
        self.items.append((self.open[1], " ".join("".join(self.text).split())))
        self.open = None

    def handle_data(self, data):
        if self.open is not None:
            self.text.append(data)


def form_outline(html: str) -> list[tuple[str, str]]:
    parser = FormOutline()
    parser.feed(html)
    return parser.items
