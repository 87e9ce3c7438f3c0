"""Which emails belong to a programme: the outbox's and the dashboard's "Programme" filter.

Mail knows no programme (programmes live in `applications`, a higher layer). Each app that sends emails about
its rows says, in its `email_programmes.py`, which of those rows belong to a programme: for an application, its
programme; for a session, its group's. An email about anything else (a sign-in code, a sharing event of the wider
network, the digest) belongs to no programme: it is listed under "All programmes" only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Q, QuerySet

# "app_label.model" (the `about` of an email) -> the pks of that model's rows belonging to a programme.
_ROWS: dict[str, Callable[[Any], QuerySet]] = {}


def programme_rows(model_label: str):
    """Register, for emails about rows of `model_label` ("applications.application"), a function from a
    programme to a `values("pk")` queryset of that model's rows belonging to it."""

    def register(rows: Callable[[Any], QuerySet]) -> Callable[[Any], QuerySet]:
        _ROWS[model_label.lower()] = rows
        return rows

    return register


def emails_of_programme(programme: Any) -> Q:
    """For a query of `OutgoingEmail`: the emails about rows belonging to `programme` (subqueries, no query of
    its own: the content type is joined by name, not looked up)."""
    belongs = Q(pk__in=[])
    for label, rows in sorted(_ROWS.items()):
        app_label, model = label.split(".")
        belongs |= Q(about_type__app_label=app_label, about_type__model=model, about_id__in=rows(programme))
    return belongs
