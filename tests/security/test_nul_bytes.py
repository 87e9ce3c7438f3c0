"""A NUL character in a query string or a form answers 400 on every page, never 500 (NulByteMiddleware).

PostgreSQL refuses NUL in a query parameter with a ValueError, so before the middleware a staff member's
`/admin/applications/application/?status=%00` was a server error. Every URL of the permission matrix, and every
admin page, is asked as each role.
"""

import pytest
from django.urls import reverse

from cohort_site.core.middleware import CONTENT_SECURITY_POLICY
from tests.security.test_permissions import EXPECTED, admin_url, client_as, url_of
from tests.security.world import ROLES, admin_routes


def with_query(url: str, query: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}{query}"


def every_url(world) -> dict[str, str]:
    urls = {name: url_of(world, name) for name in EXPECTED}
    for route in admin_routes():
        url = admin_url(route, world)
        if url is not None:
            urls[route.name] = url
    return urls


@pytest.mark.parametrize("role", ROLES)
def test_nul_in_a_query_string_is_400_on_every_url(world, role):
    client = client_as(world, role)
    urls = every_url(world)

    seen = {name: client.get(with_query(url, "status=%00")).status_code for name, url in urls.items()}

    assert seen == dict.fromkeys(urls, 400)
    assert len(urls) > 150


def test_nul_in_a_query_parameter_name_is_400_on_every_url(world):
    client = client_as(world, "staff")
    urls = every_url(world)

    seen = {name: client.get(with_query(url, "%00=1")).status_code for name, url in urls.items()}

    assert seen == dict.fromkeys(urls, 400)


@pytest.mark.parametrize("role", ROLES)
def test_nul_in_a_form_is_400_on_every_url(world, role):
    client = client_as(world, role)
    urls = every_url(world)

    seen = {name: client.post(url, {"note": "Sorry\x00"}).status_code for name, url in urls.items()}

    assert seen == dict.fromkeys(urls, 400)


def test_the_admin_filter_that_raised_a_server_error_is_a_bad_request_page(world):
    client = client_as(world, "staff")

    response = client.get("/admin/applications/application/?status=%00")

    assert response.status_code == 400
    assert [t.name for t in response.templates][:2] == ["400.html", "base.html"]
    assert "it had a character in it that no page here accepts" in response.content.decode()


def test_the_bad_request_page_carries_the_security_headers(world):
    response = client_as(world, "anonymous").get(reverse("core:home") + "?q=%00")

    assert (response.status_code, response["Content-Security-Policy"]) == (400, CONTENT_SECURITY_POLICY)


def test_a_nul_in_the_path_is_400(world):
    assert client_as(world, "member").get("/learning/%00/").status_code == 400
