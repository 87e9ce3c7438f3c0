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
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib import messages
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.timesince import timeuntil

from cohort_site.core.cache_version import CACHE_ERRORS, CacheVersion
from cohort_site.core.kept_page import KeptPage

from .models import Programme

VERSION_KEY = "public-pages:version"
# How long a fragment is kept when nothing changes: its key changes at every boundary anyway.
FRAGMENT_SECONDS = 24 * 60 * 60


PUBLIC_PAGES = CacheVersion(VERSION_KEY, "Public pages")
# The current version of the public pages, or None when the cache cannot be reached (render in full).
public_pages_version = PUBLIC_PAGES.current


def _bump() -> None:
    PUBLIC_PAGES.replace()


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


@dataclass(frozen=True)
class StoredPage(KeptPage):
    """A visitor's page as kept (`KeptPage`: its text cut at the per-request tokens, each piece also deflated
    ahead), and what it was made for, to check before serving it: the fragment's key (the version, the programme,
    the window in time, the language), the programme's dates (`facts`), the time left as it words it (None: it
    shows none) and whether it exists only while applications are open."""

    fragment_key: str
    facts: PageFacts
    time_left: str | None = None
    open_only: bool = False

    def serves(self, *, version: str, page: str, now: datetime.datetime) -> bool:
        """Whether this page is still the one to show at `now` under the current `version` and language."""
        facts = self.facts
        return (
            self.fragment_key == _fragment_key(version, page, facts, now)
            and (not self.open_only or facts.opens <= now < facts.closes)
            and (self.time_left is None or self.time_left == timeuntil(facts.closes, now))
        )


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
        stored = cache.get(key)
    except CACHE_ERRORS:
        return None
    # Anything else under the key (a page kept as text by the code before StoredPage) is rendered afresh.
    return stored.response(request) if isinstance(stored, StoredPage) else None


def page_to_cache(
    key: str,
    response: HttpResponse,
    *,
    fragment_key: str,
    facts: PageFacts,
    time_left: str | None = None,
    open_only: bool = False,
    request: HttpRequest | None = None,
) -> None:
    """Keep a rendered page under `key`, its per-request tokens replaced by slots that `StoredPage.response`
    fills; with `request`, also under its address (`page_by_address`), which a visitor's request finds without
    reading a row, in one round trip to the cache with the version."""
    if response.status_code != 200:
        return
    stored = StoredPage.of(
        response.content.decode(),
        fragment_key=fragment_key,
        facts=facts,
        time_left=time_left,
        open_only=open_only,
    )
    values = {key: stored}
    if request is not None:
        values[_address_key(request.get_full_path(), translation.get_language() or "")] = stored
    with contextlib.suppress(*CACHE_ERRORS):
        cache.set_many(values, FRAGMENT_SECONDS)
        if request is not None:
            _remember_kept(request.get_full_path())


# The addresses this process has seen a visitor's page kept for (stored here, or found by the view): only these
# are looked up before the stack runs, so every other request (/healthz, the sign-in page) costs no round trip
# to the cache. A bound, so addresses made up with query strings cannot grow it without limit.
KEPT_ADDRESSES: set[str] = set()
KEPT_ADDRESSES_MAX = 4096


def _remember_kept(full_path: str) -> None:
    if len(KEPT_ADDRESSES) >= KEPT_ADDRESSES_MAX:
        KEPT_ADDRESSES.clear()
    KEPT_ADDRESSES.add(full_path)


def address_may_be_kept(request: HttpRequest) -> bool:
    """Whether a visitor's page may be kept for this address: one this process has seen kept."""
    return request.get_full_path() in KEPT_ADDRESSES


def _address_key(full_path: str, language: str) -> str:
    return f"public-page-address:{language}:{hashlib.sha256(full_path.encode()).hexdigest()[:32]}"


def page_by_address(request: HttpRequest, *, page: str) -> HttpResponse | None:
    """The whole page for this address from the cache, without reading a row, or None (then render as usual)."""
    if not page_cacheable(request):
        return None
    stored = stored_by_address(request, page=page)
    return None if stored is None else stored.response(request)


def stored_by_address(request: HttpRequest, *, page: str | None = None) -> StoredPage | None:
    """The page kept under this request's address if it still serves (`StoredPage.serves`), or None; `page` names
    the page the caller renders (None: whichever the address holds).

    One round trip to the cache: the version and the page, which says what it was made for (the version among it:
    any change to what the pages show replaces the version, so a programme edited or unpublished is never served
    from here; and the window in time, the time left, the language).
    """
    full_path = request.get_full_path()
    address = _address_key(full_path, translation.get_language() or "")
    try:
        found = cache.get_many([VERSION_KEY, address])
    except CACHE_ERRORS:
        return None
    version, stored = found.get(VERSION_KEY), found.get(address)
    if version is None or not isinstance(stored, StoredPage):
        return None
    name = stored.fragment_key.split(":", 2)[1]
    if (page is not None and name != page) or not stored.serves(
        version=version, page=name, now=timezone.now()
    ):
        return None
    _remember_kept(full_path)
    return stored
