from django.urls import reverse

from tests.factories import ProgrammeFactory, StaffFactory, UserFactory


def test_home_shows_current_programme(client, db):
    ProgrammeFactory(title="Relationships at the heart of our work")

    response = client.get(reverse("core:home"))

    assert response.status_code == 200
    assert response.context["programme"].title == "Relationships at the heart of our work"


def test_home_without_programme_is_friendly_404(client, db):
    response = client.get(reverse("core:home"))

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_pages_carry_strict_content_security_policy(client, db):
    ProgrammeFactory()

    response = client.get(reverse("core:home"))

    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp.split("; ")
    assert "object-src 'none'" in csp.split("; ")
    assert "unsafe-inline" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"


def test_navigation_differs_for_anonymous_member_and_staff(client, db):
    ProgrammeFactory()
    admin_link = f'href="{reverse("admin:index")}"'
    erasure_link = f'href="{reverse("members:staff_erasure")}">Erase data</a>'
    sign_in_link = f'href="{reverse("account_login")}"'

    anonymous = client.get(reverse("core:home")).content.decode()
    client.force_login(UserFactory())
    member = client.get(reverse("core:home")).content.decode()
    client.force_login(StaffFactory())
    staff = client.get(reverse("core:home")).content.decode()

    assert (sign_in_link in anonymous, admin_link in anonymous, erasure_link in anonymous) == (
        True,
        False,
        False,
    )
    assert (sign_in_link in member, admin_link in member, erasure_link in member) == (False, False, False)
    assert (sign_in_link in staff, admin_link in staff, erasure_link in staff) == (False, True, True)


def test_signed_in_pages_are_not_cached(client, db):
    ProgrammeFactory()
    client.force_login(UserFactory())

    response = client.get(reverse("core:home"))

    assert response["Cache-Control"] == "no-store"


def test_admin_sends_non_staff_to_admin_sign_in(client, db):
    client.force_login(UserFactory())

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_healthz_answers_without_touching_the_database(client, db, django_assert_num_queries):
    """The load benchmark's ceiling (bench/load.py): every middleware, no query, no template."""
    with django_assert_num_queries(0):
        response = client.get(reverse("core:healthz"))

    assert (response.status_code, response.content, response["Content-Type"]) == (200, b"ok", "text/plain")


def test_active_staff_is_the_one_staff_predicate(db):
    from django.contrib.auth.models import AnonymousUser

    from cohort_site.core.rules import is_active_staff
    from tests.factories import StaffFactory, UserFactory

    assert [
        is_active_staff(user)
        for user in (None, AnonymousUser(), UserFactory(), StaffFactory(), StaffFactory(is_active=False))
    ] == [False, False, False, True, False]
