"""Every id on every page is unique, and every label points at a field of its own form.

Two forms on the selection page once shared the ids of their "Decision emails" radios: clicking the label "Send the
emails now" in one form ticked the radio of the other, so offers went out as drafts and nobody was emailed. This
walks every page each role of the permission-matrix world can open and parses it.
"""

from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest

from tests.security.test_headers import PAGES
from tests.security.test_permissions import client_as, url_of

# Pages that are files, not HTML: exports, feeds, receipts, health checks.
NOT_HTML = {
    "applications:data_export",
    "core:healthz",
    "dashboards:report_csv",
    "core:readyz",
    "learning:feed",
    "learning:results_csv",
    "learning:survey_csv",
    "members:expense_csv",
    "members:expense_receipt",
    "sessions:calendar_feed",
}
HTML_PAGES = [(name, role) for name, role in PAGES if name not in NOT_HTML]
LABELLED = {"input", "select", "textarea", "button", "meter", "output", "progress"}


@dataclass
class Element:
    tag: str
    form: int | None  # which <form> on the page it sits in (its index), None outside any form
    attrs: dict[str, str | None] = field(default_factory=dict)


class IdParser(HTMLParser):
    """The elements with an id, and the labels with a `for`, each with the form it sits in."""

    def __init__(self):
        super().__init__()
        self.forms_open: list[int] = []
        self.form_count = 0
        self.with_id: list[Element] = []
        self.labels: list[Element] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self.forms_open.append(self.form_count)
            self.form_count += 1
        form = self.forms_open[-1] if self.forms_open else None
        element = Element(tag, form, attributes)
        if attributes.get("id"):
            self.with_id.append(element)
        if tag == "label" and attributes.get("for"):
            self.labels.append(element)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag == "form":
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag == "form" and self.forms_open:
            self.forms_open.pop()


def id_problems(html: str) -> list[str]:
    """What is wrong with a page's ids: repeated ids, labels for no element, labels for another form's field."""
    parser = IdParser()
    parser.feed(html)
    seen: dict[str, Element] = {}
    problems = []
    for element in parser.with_id:
        id_ = element.attrs["id"]
        if id_ in seen:
            problems.append(f"id {id_!r} is used twice ({seen[id_].tag} and {element.tag})")
        else:
            seen[id_] = element
    for label in parser.labels:
        target = seen.get(label.attrs["for"])
        if target is None:
            problems.append(f"a label is for {label.attrs['for']!r}, which is not on the page")
        elif target.tag in LABELLED and label.form is not None and target.form != label.form:
            problems.append(f"a label in one form is for {label.attrs['for']!r}, a field of another form")
    return problems


def test_the_parser_finds_a_repeated_id_and_a_label_for_another_form():
    html = (
        '<form><input type="radio" id="id_notify_0"><label for="id_notify_0">Send</label></form>'
        '<form><input type="radio" id="id_notify_0"><label for="id_notify_0">Send</label></form>'
        '<form><label for="id_count">How many</label></form><input id="id_count"><label for="nowhere">x</label>'
    )

    assert id_problems(html) == [
        "id 'id_notify_0' is used twice (input and input)",
        "a label in one form is for 'id_notify_0', a field of another form",
        "a label in one form is for 'id_count', a field of another form",
        "a label is for 'nowhere', which is not on the page",
    ]


def test_the_parser_accepts_labels_of_their_own_form_and_outside_forms():
    html = (
        '<form id="a"><label for="id_a">A</label><input id="id_a"></form>'
        '<form id="b"><label for="b_x">B</label><input id="b_x"></form>'
        '<label for="search">Search</label><input id="search" form="a">'
    )

    assert id_problems(html) == []


@pytest.mark.parametrize(("name", "role"), HTML_PAGES)
def test_ids_are_unique_and_labels_belong_to_their_form(world, name, role):
    response = client_as(world, role).get(url_of(world, name))

    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert id_problems(response.content.decode()) == []
