"""The member's dashboard, kept for the rest of the minute in the shared cache, per member and process.

The dashboard is the page members come back to most, and the heaviest they see (a dozen queries, every section of
the programme). What it shows is a function of the rows it reads, the member, the minute (it is rendered with the
time at the start of the minute: the next session, what is due, the join link) and the language. So a rendered
page is kept under the member and served again while none of that has changed:

- the **data version** (`cohort_site.core.data_version`): any write by any process to a table a page may show
  replaces it (the shared value when the write commits, this process's own token at once), so a change (a session
  moved, feedback given, a pair published, an offer sent by the worker, a place given up) is on the next page;
- the **minute**: a kept page is served only within the minute it was rendered for;
- the address, the host and the language, which the page names.

Each process keeps its own copy (its key names the process), since the token of its own writes is its own. A page
with a message waiting (shown once) is rendered and not kept; so is every page when the cache is unreachable.
The CSRF tokens of the page's forms are cut out when it is kept and this request's are put back (`KeptPage`).
On by default with a shared cache (Redis: `MEMBER_PAGE_CACHE`); with the local memory cache of `make run`, the
worker's writes would not reach the web process's version, so it is off there.
"""

import contextlib
import datetime
import hashlib
import os
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from cohort_site.core.cache_version import CACHE_ERRORS
from cohort_site.core.data_version import VERSION_KEY, process_token, shared_version
from cohort_site.core.kept_page import KeptPage

# Past its minute a kept page is never served; the cache may forget it soon after.
PAGE_SECONDS = 120
# Names this process in the keys (the pid alone could be reused by a later process on the same machine).
PROCESS = f"{os.getpid()}-{secrets.token_hex(4)}"


def minute_of(moment: datetime.datetime) -> datetime.datetime:
    """The start of `moment`'s minute: the time the dashboard is rendered for."""
    return moment.replace(second=0, microsecond=0)


@dataclass(frozen=True)
class MemberPage(KeptPage):
    """A member's dashboard as kept (`KeptPage`) and what it was rendered from: the shared data version, this
    process's token and the minute."""

    shared: str
    token: str
    minute: datetime.datetime


@dataclass(frozen=True)
class Lookup:
    """Where a page rendered now would be kept, and what it would be rendered from (read before any row)."""

    key: str
    shared: str
    token: str
    minute: datetime.datetime


def _key(request: HttpRequest) -> str:
    where = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()[:16]
    language = translation.get_language() or ""
    return f"member-page:{PROCESS}:{request.user.pk}:{language}:{where}"


def member_page_lookup(
    request: HttpRequest, *, minute: datetime.datetime
) -> tuple[HttpResponse | None, Lookup | None]:
    """The kept page for this member, address and minute, with this request's CSRF token, if nothing it shows has
    changed since it was rendered (one round trip to the cache); else None and where to keep the page about to be
    rendered (None: render it and keep nothing)."""
    if not settings.MEMBER_PAGE_CACHE or request.method != "GET" or len(messages.get_messages(request)) > 0:
        return None, None
    token = process_token()  # before the version: a write between the two is then seen as a change
    key = _key(request)
    try:
        found = cache.get_many([VERSION_KEY, key])
    except CACHE_ERRORS:
        return None, None
    shared = found.get(VERSION_KEY) or shared_version()
    if shared is None:
        return None, None
    kept = found.get(key)
    if isinstance(kept, MemberPage) and (kept.shared, kept.token, kept.minute) == (shared, token, minute):
        return kept.response(request), None
    return None, Lookup(key=key, shared=shared, token=token, minute=minute)


def member_page_keep(lookup: Lookup, response: HttpResponse) -> None:
    """Keep the page just rendered, unless it is not a plain page (a redirect, an error)."""
    if response.status_code != 200 or response.has_header("Content-Encoding"):
        return
    page = MemberPage.of(
        response.content.decode(), shared=lookup.shared, token=lookup.token, minute=lookup.minute
    )
    with contextlib.suppress(*CACHE_ERRORS):
        cache.set(lookup.key, page, PAGE_SECONDS)
