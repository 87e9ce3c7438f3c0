"""Bootstrap's CSS is trimmed at build time (tools/trim_bootstrap.py, `make css`): the committed file is what the
script makes, and no class our templates, scripts or rendered pages use has been trimmed away."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import CandidateTimeFactory, ProgrammeFactory, ProgrammeSectionFactory
from tools import trim_bootstrap
from tools.trim_bootstrap import OUTPUT, SELECTOR_CLASS, SOURCE, Trimmer, trimmed

ROOT = Path(settings.BASE_DIR)
CLASS_ATTRIBUTE = re.compile(r'class="([^"]*)"')
# classList.add("show"), .toggle("collapsed", …), "class": "form-control" in a widget's attrs
SCRIPT_OR_CODE_CLASS = re.compile(r"""(?:classList\.\w+\(|["']class["']\s*:\s*)["']([^"']+)["']""")


def classes_in(css: str) -> set[str]:
    return set(SELECTOR_CLASS.findall(css))


BOOTSTRAP = classes_in(SOURCE.read_text(encoding="utf-8"))
TRIMMED = classes_in(OUTPUT.read_text(encoding="utf-8"))


def written_classes(text: str) -> set[str]:
    found = set()
    for value in CLASS_ATTRIBUTE.findall(text) + SCRIPT_OR_CODE_CLASS.findall(text):
        # Drop the template's own syntax; what is left between it are the literal classes.
        literal = re.sub(r"\{[{%].*?[%}]\}", " ", value)
        found.update(token for token in literal.split() if re.fullmatch(r"[\w-]+", token))
    return found


def test_the_committed_css_is_what_make_css_makes():
    assert OUTPUT.read_text(encoding="utf-8") == trim_bootstrap.build()


def test_the_trimmed_css_is_under_a_third_of_bootstraps():
    assert OUTPUT.stat().st_size < SOURCE.stat().st_size / 3


@pytest.mark.parametrize("folder", ["templates", "static/js", "cohort_site", "applications", "sessions_app"])
def test_every_bootstrap_class_written_in_our_files_is_kept(folder):
    paths = [p for p in (ROOT / folder).rglob("*") if p.suffix in {".html", ".js", ".py"} and p.is_file()]
    written = set().union(*(written_classes(p.read_text(encoding="utf-8")) for p in paths))

    assert sorted((written & BOOTSTRAP) - TRIMMED) == []


def test_every_bootstrap_class_on_the_rendered_public_pages_is_kept(client, db):
    programme = ProgrammeFactory(slug="relationships")
    ProgrammeSectionFactory(programme=programme, key="aims", heading="Aims", body="- one\n- **two**")
    CandidateTimeFactory(programme=programme)
    pages = [
        programme.get_absolute_url(),
        reverse("applications:apply", kwargs={"slug": programme.slug}),
        reverse("applications:interest", kwargs={"slug": programme.slug}),
        reverse("account_login"),
    ]
    rendered = set()
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        rendered |= written_classes(response.content.decode())
    # A posted form with errors: crispy's error classes.
    response = client.post(reverse("applications:apply", kwargs={"slug": programme.slug}), {})
    rendered |= written_classes(response.content.decode())

    assert {"is-invalid", "invalid-feedback", "form-control", "navbar-toggler"} <= rendered
    assert sorted((rendered & BOOTSTRAP) - TRIMMED) == []


def test_trimmer_keeps_used_classes_and_drops_the_rest():
    css = (
        '@charset "UTF-8";/*! licence */:root{--x:1}body{margin:0}.btn,.dropdown{color:red}'
        ".input-group:not(.has-validation)>.form-control{border:0}.modal{display:none}"
        "@media (min-width:768px){.modal{top:0}.btn{top:1px}}"
        ".progress{animation:stripes 1s}@keyframes stripes{0%{left:0}}@keyframes spin{0%{left:0}}"
        ".alert-success{color:green}"
    )

    result = trimmed(css, words={"btn", "input-group", "form-control"}, prefixes={"alert-"})

    assert result == (
        '@charset "UTF-8";/*! licence */:root{--x:1}body{margin:0}.btn{color:red}'
        ".input-group:not(.has-validation)>.form-control{border:0}"
        "@media (min-width:768px){.btn{top:1px}}"
        ".alert-success{color:green}\n"
    )


def test_a_class_made_from_a_prefix_keeps_every_class_with_it():
    trimmer = Trimmer(words=set(), prefixes={"alert-"})

    assert [trimmer.class_used("alert-warning"), trimmer.class_used("alert"), trimmer.class_used("btn")] == [
        True,
        False,
        False,
    ]
