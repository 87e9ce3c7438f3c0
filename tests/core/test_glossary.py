"""One plain name for each thing (STYLE.md, practice 15): the words people see, in every template (pages, emails,
the admin's) and in the models' names the admin shows, never use a retired word.

The templates are read as a person meets them: Django tags, variables and comments dropped, HTML tags dropped but
the attributes that are read out or shown (aria-label, title, alt, placeholder) kept. Code keeps its own names
(`cohort`, `claim`): only what is on screen is checked.
"""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

RETIRED = {
    r"\bcohorts?\b": "group",
    r"\bclaims\b": "expenses",
    r"\bcatch-ups?\b": "coffee pair",
    r"\bcoffee groups?\b": "coffee pairs",
    r"\bw/c\b": "in the week of",
}

DJANGO = re.compile(r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}|\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", re.S)
SPOKEN_ATTRIBUTE = re.compile(r"""\b(?:aria-label|title|alt|placeholder)\s*=\s*"([^"]*)\"""")
HTML = re.compile(r"<!--.*?-->|<script\b.*?</script>|<style\b.*?</style>|<[^>]*>", re.S)

TEMPLATES = sorted(
    path for path in (Path(settings.BASE_DIR) / "templates").rglob("*") if path.suffix in (".html", ".txt")
)


def seen_text(source: str) -> str:
    """What a person reads or hears of a template."""
    text = DJANGO.sub(" ", source)
    spoken = " ".join(SPOKEN_ATTRIBUTE.findall(text))
    return f"{HTML.sub(' ', text)} {spoken}"


def retired_words_in(text: str) -> list[str]:
    return [
        f"{match.group(0)!r} (say {word!r})"
        for pattern, word in RETIRED.items()
        for match in re.finditer(pattern, text, re.IGNORECASE)
    ]


def test_the_reader_finds_retired_words_in_text_and_spoken_attributes_only():
    source = (
        '{% comment %}a cohort{% endcomment %}<nav aria-label="Claims by status" class="cohort-list">'
        "{{ cohort.name }} Your catch-ups</nav>"
    )

    assert retired_words_in(seen_text(source)) == [
        "'Claims' (say 'expenses')",
        "'catch-ups' (say 'coffee pair')",
    ]


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(settings.BASE_DIR)))
def test_templates_use_the_plain_names(path):
    assert retired_words_in(seen_text(path.read_text())) == []


def test_the_admin_names_models_and_fields_plainly():
    ours = [
        model
        for model in apps.get_models()
        if model.__module__.startswith(
            ("applications.", "sessions_app.", "pairings.", "learning.", "cohort_site.")
        )
    ]
    names = {}
    for model in ours:
        names[model._meta.label] = str(model._meta.verbose_name)
        names[f"{model._meta.label} (plural)"] = str(model._meta.verbose_name_plural)
        for field in model._meta.get_fields():
            if hasattr(field, "verbose_name"):
                names[f"{model._meta.label}.{field.name}"] = str(field.verbose_name)

    assert len(ours) > 20
    assert {name: text for name, text in names.items() if retired_words_in(text)} == {}
    assert [
        names[n] for n in ("applications.Cohort", "applications.Cohort (plural)", "learning.Entry.cohort")
    ] == [
        "group",
        "groups",
        "group",
    ]
