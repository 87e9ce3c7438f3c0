"""Choosing one programme on the staff pages (`?programme=<slug>`): the one form, and where its programmes come from.

Several programmes run at once; the manager's dashboard and the staff list pages each show one of them, or all.
Every such page asks `programme_filter(request)` and renders `templates/includes/programme_filter.html`. Core
cannot read programmes itself (they live in `applications`, a higher layer), so recruitment plugs its list in
(`programmes_source`, from `applications/apps.py`), the way it plugs in `STAFF_LIMITS`."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from django import forms

PARAMETER = "programme"
UNKNOWN_PROGRAMME = (
    "There is no programme at that address: it may have been renamed or removed. Showing all programmes."
)

# The programmes to choose from, newest first (one query). Set by `applications` when Django starts.
_SOURCES: list[Callable[[], Iterable[Any]]] = []


def programmes_source(source: Callable[[], Iterable[Any]]) -> Callable[[], Iterable[Any]]:
    """Register where the programmes come from (`applications/apps.py`); the last registered wins."""
    _SOURCES[:] = [source]
    return source


def programmes_newest_first() -> list[Any]:
    if not _SOURCES:
        return []
    return list(_SOURCES[0]())


class ProgrammeFilterForm(forms.Form):
    """One select, "All programmes" or one of them by name; its value is the programme's slug."""

    programme = forms.ChoiceField(label="Programme", required=False)

    def __init__(self, data=None, *, programmes: list[Any]):
        super().__init__(data, auto_id="programme-filter-%s")
        self.by_slug = {programme.slug: programme for programme in programmes}
        field = self.fields["programme"]
        field.choices = [("", "All programmes"), *((p.slug, p.title) for p in programmes)]
        field.error_messages["invalid_choice"] = UNKNOWN_PROGRAMME

    @property
    def chosen(self) -> Any | None:
        """The programme chosen, or None for all (also when the address names no programme: the form says so)."""
        if not self.is_valid():
            return None
        return self.by_slug.get(self.cleaned_data["programme"])


@dataclass(frozen=True)
class ProgrammeFilter:
    form: ProgrammeFilterForm
    # Every programme, newest first: a page that lists programmes uses these, no new query.
    programmes: list[Any]
    programme: Any | None  # the one chosen, or None for all

    @property
    def query(self) -> str:
        """`programme=<slug>` for the links of a page that keep the choice ("" for all programmes)."""
        return programme_query(self.programme.slug) if self.programme is not None else ""


def programme_query(slug: str) -> str:
    return f"{PARAMETER}={quote(slug)}" if slug else ""


def programme_filter(request) -> ProgrammeFilter:
    """The programme a staff page is asked to show (one query: the list of programmes, for the select too)."""
    programmes = programmes_newest_first()
    slug = request.GET.get(PARAMETER)
    form = ProgrammeFilterForm({PARAMETER: slug} if slug else None, programmes=programmes)
    return ProgrammeFilter(form, programmes, form.chosen)


def with_programme(url: str, programme: Any | None) -> str:
    """`url` keeping the chosen programme (`?programme=<slug>` or `&programme=<slug>`), unchanged for all."""
    if programme is None:
        return url
    return f"{url}{'&' if '?' in url else '?'}{programme_query(programme.slug)}"
