"""A visitor's public page straight from the cache, before the session, authentication and the rest of the stack.

The programme page and the blank application form are kept whole for visitors who are not signed in
(`page_cache.StoredPage`). A request that carries no session cookie and no message cookie is such a visitor
whatever the rest of the stack would find (no session: no one signed in, no message waiting), so the page it
asks for can be served here when the cache holds it for its address, still current (one round trip to the cache:
the version and the page). What the stack would have added to that page is added here the same way: the
visitor's CSRF token and cookie (Django's own CSRF middleware), X-Frame-Options (Django's), our security
headers and the length (`StoredPage.response` sets `Vary`, and the gzip encoding when the visitor accepts it). Anything else (a session or
message cookie, another method, an address not kept, the cache unreachable) goes down the stack as before; only
the addresses this process has seen kept are looked up, so other pages (/healthz) pay nothing for it.
`tests/applications/test_visitor_pages.py` holds it to the same headers as the full path.
"""

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest, HttpResponse
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.csrf import CsrfViewMiddleware

from cohort_site.core.middleware import security_headers

from .page_cache import address_may_be_kept, stored_by_address


class VisitorPageMiddleware:
    """Serves a kept public page to a visitor with no session or message cookie; placed after Django's security and
    compression middleware (which still apply) and before the sessions."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.csrf = CsrfViewMiddleware(get_response)
        self.frame_options = XFrameOptionsMiddleware(get_response)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.kept_page(request) if self.visitor_without_state(request) else None
        return self.get_response(request) if response is None else response

    @staticmethod
    def visitor_without_state(request: HttpRequest) -> bool:
        cookies = request.COOKIES
        return (
            request.method == "GET"
            and settings.SESSION_COOKIE_NAME not in cookies
            and CookieStorage.cookie_name not in cookies
            and address_may_be_kept(request)
        )

    def kept_page(self, request: HttpRequest) -> HttpResponse | None:
        stored = stored_by_address(request)
        if stored is None:
            return None
        request.get_host()  # the allowed hosts, as CommonMiddleware checks them (a wrong one: 400)
        self.csrf.process_request(request)  # the visitor's CSRF secret from their cookie, if any
        response = stored.response(request)
        response = self.csrf.process_response(request, response)  # the cookie, when new or rotated
        response = self.frame_options.process_response(request, response)
        security_headers(request, response)
        response.headers["Content-Length"] = str(len(response.content))
        return response
