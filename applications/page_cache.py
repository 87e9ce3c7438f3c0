"""The public pages' rendered fragments, kept in the shared cache and never served stale.

The programme page and the application form are the same for every visitor until the programme, its sections,
drop-ins, candidate times or the member organisations change, or time passes one of the programme's boundaries
(applications open, applications close, a drop-in ends). So their expensive part (the sections' Markdown, the
forty form fields through crispy-forms) is rendered once and kept under a key naming all of that:

- a **version** in the shared cache, replaced by `public_pages_invalidate` whenever one of those rows changes
  (the signals below, so the admin's edits count too, and the services that write in bulk call it themselves).
  It is a fresh value each time, never a counter, so an evicted version cannot come back to an old one and
  every gunicorn process sees the new one at once;
- the programme, and the **window** of time it is in: how many of its boundaries have passed, so a page
  cached before the deadline is not the page after it, with no one having to remember to clear it;
- the language.

What differs per request stays outside the fragments: the CSRF token, the form's submission token, messages,
the navigation (who is signed in), the time left before the deadline. A bound form (with errors) is never cached.
With the cache unreachable, pages are rendered in full, as before.

For a visitor who is not signed in and has no message waiting, the whole page is kept too (under the fragment's
key, the address and the time left as the page words it), with its CSRF and submission tokens cut out and put
back fresh for each request: the visitor's own CSRF token (and cookie), a new submission token. Beside it is
a note of what its key needs (`PageFacts`), under the same version, so the next visitor's request finds the page
by its address without reading a row (`page_by_address`).
"""

import contextlib
import datetime
import hashlib
import logging
import re
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib import messages
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation
from django.utils.timesince import timeuntil
from redis import RedisError

from .models import Programme

logger = logging.getLogger(__name__)

VERSION_KEY = "public-pages:version"
# How long a fragment is kept when nothing changes: its key changes at every boundary anyway.
FRAGMENT_SECONDS = 24 * 60 * 60
CACHE_ERRORS = (RedisError, OSError)


def _new_version() -> str:
    return str(time.time_ns())


def public_pages_version() -> str | None:
    """The current version of the public pages, or None when the cache cannot be reached (render in full)."""
    try:
        version = cache.get(VERSION_KEY)
        if version is None:
            cache.add(VERSION_KEY, _new_version(), timeout=None)
            version = cache.get(VERSION_KEY)
    except CACHE_ERRORS:
        logger.warning("Public pages rendered uncached: the cache is unreachable", exc_info=True)
        return None
    return version


def _bump() -> None:
    try:
        cache.set(VERSION_KEY, _new_version(), timeout=None)
    except CACHE_ERRORS:
        logger.warning("Public pages not invalidated: the cache is unreachable", exc_info=True)


def public_pages_invalidate() -> None:
    """Forget every cached public fragment: now, and again when the current transaction commits, so a page
    rendered by another process from the rows before the commit is not kept under the new version."""
    _bump()
    transaction.on_commit(_bump)


@dataclass(frozen=True)
class PageFacts:
    """What a page's key needs to know of its programme, kept beside the page under the same version, so that
    a visitor's request finds the page by its address without reading a row (`page_by_address`)."""

    programme_pk: int
    opens: datetime.datetime
    closes: datetime.datetime
    moments: tuple[datetime.datetime, ...] = ()


def _fragment_key(version: str, page: str, facts: PageFacts, now: datetime.datetime) -> str:
    boundaries = [facts.opens, facts.closes, *facts.moments]
    window = sum(1 for moment in boundaries if moment <= now)
    language = translation.get_language() or ""
    return f"public-page:{page}:{version}:{facts.programme_pk}:{window}:{language}"


def page_facts(programme: Programme, moments: Iterable[datetime.datetime] = ()) -> PageFacts:
    return PageFacts(
        programme.pk, programme.applications_open_at, programme.applications_close_at, tuple(moments)
    )


def public_page_key(
    programme: Programme, *, page: str, now: datetime.datetime, moments: Iterable[datetime.datetime] = ()
) -> str | None:
    """The cache key of one page's fragment for `programme` at `now`, or None to render it uncached.

    `moments` are the times besides the programme's opening and closing at which the page changes (a drop-in
    ending): the key names how many of them have passed.
    """
    version = public_pages_version()
    if version is None:
        return None
    return _fragment_key(version, page, page_facts(programme, moments), now)


def _changed(sender, **kwargs) -> None:
    public_pages_invalidate()


def connect_invalidation() -> None:
    """Any saved or deleted row the public pages show replaces the version (the admin's edits included)."""
    from django.db.models.signals import post_delete, post_save

    from .models import CandidateTime, DropIn, MemberOrganisation, ProgrammeSection, Question

    for model in (Programme, ProgrammeSection, DropIn, CandidateTime, MemberOrganisation, Question):
        post_save.connect(_changed, sender=model, dispatch_uid=f"public-pages-{model.__name__}-saved")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"public-pages-{model.__name__}-deleted")


# --- Whole pages, for visitors who are not signed in ----------------------------------------------------------------

CSRF_VALUE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SUBMISSION_VALUE = re.compile(r'name="submission_token" value="([^"]+)"')
CSRF_SLOT = "\x00csrf\x00"
SUBMISSION_SLOT = "\x00submission\x00"


def page_cacheable(request: HttpRequest) -> bool:
    """Whether the whole page may come from the cache: a GET by someone not signed in with no message waiting.
    Anyone signed in sees their own navigation, and a message is shown once, so those pages are rendered."""
    return (
        request.method == "GET"
        and not request.user.is_authenticated
        and len(messages.get_messages(request)) == 0
    )


def whole_page_key(fragment_key: str, request: HttpRequest, *varying: str) -> str:
    """The whole page's key: its fragment's (the version, the programme, the window in time, the language), the
    address (the navigation marks the current page) and whatever else it shows that moves (the time left)."""
    extra = hashlib.sha256("\n".join([request.get_full_path(), *varying]).encode()).hexdigest()[:32]
    return f"{fragment_key}:page:{extra}"


def page_from_cache(key: str, request: HttpRequest) -> HttpResponse | None:
    """The stored page with this request's own CSRF token and a fresh submission token, or None."""
    try:
        html = cache.get(key)
    except CACHE_ERRORS:
        return None
    if html is None:
        return None
    if CSRF_SLOT in html:
        html = html.replace(
            CSRF_SLOT, get_token(request)
        )  # a new mask of the visitor's secret, and its cookie
    html = html.replace(SUBMISSION_SLOT, str(uuid.uuid4()))
    return HttpResponse(html)


def page_to_cache(key: str, response: HttpResponse) -> None:
    """Keep a rendered page, its per-request tokens replaced by slots that `page_from_cache` fills."""
    if response.status_code != 200:
        return
    html = response.content.decode()
    for pattern, slot in ((CSRF_VALUE, CSRF_SLOT), (SUBMISSION_VALUE, SUBMISSION_SLOT)):
        for value in set(pattern.findall(html)):
            html = html.replace(value, slot)
    with contextlib.suppress(*CACHE_ERRORS):
        cache.set(key, html, FRAGMENT_SECONDS)


def _address_key(version: str, request: HttpRequest) -> str:
    return (
        f"public-page-address:{version}:{hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]}"
    )


def page_facts_keep(request: HttpRequest, facts: PageFacts) -> None:
    """Note which programme the page at this address shows, under the current version (any change to what the
    pages show replaces the version, and with it every note: a programme unpublished is never found here)."""
    version = public_pages_version()
    if version is not None:
        with contextlib.suppress(*CACHE_ERRORS):
            cache.set(_address_key(version, request), facts, FRAGMENT_SECONDS)


def page_by_address(
    request: HttpRequest, *, page: str, time_left: bool = False, open_only: bool = False
) -> HttpResponse | None:
    """The whole page for this address from the cache, without reading a row, or None (then render as usual).

    `time_left`: the page words the time left (its key names it); `open_only`: the page exists only while
    applications are open (the form), so outside that window it is left to the view.
    """
    if not page_cacheable(request):
        return None
    version = public_pages_version()
    if version is None:
        return None
    try:
        facts = cache.get(_address_key(version, request))
    except CACHE_ERRORS:
        return None
    if facts is None:
        return None
    now = timezone.now()
    if open_only and not facts.opens <= now < facts.closes:
        return None
    varying = [timeuntil(facts.closes, now)] if time_left else []
    return page_from_cache(
        whole_page_key(_fragment_key(version, page, facts, now), request, *varying), request
    )
