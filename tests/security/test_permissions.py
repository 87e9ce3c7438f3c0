"""Who may open what: every named URL of the site, requested as each role, against an explicit table.

The URLs come from the resolver, so a new page without an entry in EXPECTED fails here by name. Refusals on our
own pages are 404, never 403. Token links (private link, offer, unsubscribe, calendar feed) are the owner's
credential: they answer the same to anyone who holds them, so every role gets the owner's outcome.
"""

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from tests.security.world import ROLES, admin_routes, outcome, own_routes

LOGIN = "→account_login"
AFTER_LOGIN = "→core:after_login"


def everyone(result):
    return (result,) * len(ROLES)


def staff_only(result=200):
    """Signed out: to sign in and back (a manager whose session timed out); signed in but not staff: 404."""
    return (LOGIN, 404, 404, 404, result)


# GET outcomes, in ROLES order:  anonymous, applicant, other_member, member, staff.
# "→name" is a redirect to that page; LOGIN is the sign-in page (with ?next=).
EXPECTED: dict[str, tuple] = {
    # --- Public pages -----------------------------------------------------------------------------------------
    "core:home": everyone(200),
    "core:healthz": everyone(200),
    "core:readyz": everyone(200),
    "core:after_login": (
        LOGIN,
        "→dashboards:member",
        "→dashboards:member",
        "→dashboards:member",
        "→dashboards:manager",
    ),
    "core:privacy": everyone(200),
    "applications:programme": everyone(200),
    "applications:programmes": everyone(200),
    "applications:interest": everyone(200),
    "applications:interest_thanks": everyone(200),
    "applications:apply": everyone(200),
    "applications:apply_thanks": everyone(200),
    "applications:privacy": everyone(200),
    "learning:list": everyone(200),
    "learning:feed": everyone(200),
    "learning:events": everyone(200),
    "learning:event": everyone(200),
    "learning:event_registered": everyone(200),
    "learning:digest_subscribe": everyone(200),
    "learning:digest_subscribed": everyone(200),
    # --- Token links: the token is the permission ------------------------------------------------------------
    "applications:private": everyone(200),
    "applications:edit": everyone(200),
    "applications:withdraw": everyone(200),
    "applications:data_export": everyone(200),
    "applications:erase": everyone(200),
    "applications:offer_respond": everyone(200),
    "applications:next_group": everyone(200),
    "mail:unsubscribe": everyone(200),
    # A sharing event's registrant (their cancel link) and a digest subscriber (their confirmation link).
    "learning:event_cancel": everyone(200),
    "learning:digest_confirm": everyone(200),
    "sessions:calendar_feed": everyone(200),
    # The member's join link: here outside any session, so it shows their next session.
    "sessions:join": everyone(200),
    # --- Anyone signed in, about themselves ------------------------------------------------------------------
    "applications:my_place": (LOGIN, 200, 200, 200, 200),
    "dashboards:member": (LOGIN, 200, 200, 200, 200),
    "sessions:my_schedule": (LOGIN, 200, 200, 200, 200),
    "members:profile": (LOGIN, 200, 200, 200, 200),
    "members:my_data": (LOGIN, 200, 200, 200, 200),
    "learning:my_feedback": (LOGIN, 200, 200, 200, 200),
    "sessions:calendar_reset": (LOGIN, 405, 405, 405, 405),
    # The demo's "sign in as" buttons POST; with DEBUG off (as here) every POST is refused (tests/demo).
    "demo:sign_in_as": everyone(405),
    # --- Members (a confirmed place); objects of cohort A are the member's --------------------------------------
    "members:expenses": (LOGIN, 404, 200, 200, 404),
    "members:expense_receipt": (LOGIN, 404, 404, 200, 200),
    "members:leave": (LOGIN, 404, 200, 200, 404),
    "pairings:my_pairs": (LOGIN, 404, 200, 200, 404),
    # Only for members whose group has ended: nobody in the world's groups yet (tests/pairings/test_alumni.py).
    "pairings:alumni": (LOGIN, 404, 404, 404, 404),
    "sessions:guest_offer": (LOGIN, 404, 404, 404, 404),
    "pairings:mark_met": (LOGIN, 405, 405, 405, 405),
    "pairings:skip_next": (LOGIN, 405, 405, 405, 405),
    "sessions:apologies": (LOGIN, 405, 405, 405, 405),
    # The group's topics (Group A, the member's): staff are sent to the manager's page. The notes of a session
    # that is over: its group and staff.
    "sessions:topics": (LOGIN, 404, 404, 200, "→sessions:topics_manage"),
    "sessions:session_notes": (LOGIN, 404, 404, 200, 200),
    "learning:create": (LOGIN, 404, 200, 200, 200),
    "learning:detail": (404, 404, 404, 200, 200),
    "learning:edit": (LOGIN, 404, 404, 200, 404),
    "learning:share": everyone(405),
    "learning:reading": (LOGIN, 404, 200, 200, 200),
    "learning:reading_tick": everyone(405),
    "learning:session_feedback": (LOGIN, 404, 404, 200, 404),
    # The survey is the programme's: cohort B's third session is over too, so its member may answer.
    "learning:survey": (LOGIN, 404, 200, 200, 404),
    # Members propose sharing events; staff publish theirs directly (learning:event_create).
    "learning:event_propose": (LOGIN, 404, 200, 200, 404),
    # --- Staff -----------------------------------------------------------------------------------------------
    "dashboards:manager": staff_only(),
    "applications:programme_preview": staff_only(),
    "applications:selection_programme": staff_only(),
    "applications:selection_cohort": staff_only(),
    "applications:selection_emails": staff_only(),
    "applications:selection_propose": staff_only(),
    "applications:selection_propose_offers": staff_only(),
    "applications:selection_decide": staff_only(),
    "applications:selection_next": staff_only(405),
    "applications:selection_promote": staff_only(405),
    "applications:selection_from_waitlist": staff_only(405),
    "applications:selection_waitlist_move": staff_only(405),
    "sessions:cohorts": staff_only(),
    "sessions:cohort_schedule": staff_only(),
    "sessions:cohort_invites": staff_only(405),
    "sessions:cohort_retime": staff_only(),
    "sessions:session_add": staff_only(),
    "sessions:session": staff_only(),
    "sessions:session_notes_edit": staff_only(),
    "sessions:topics_manage": staff_only(),
    "pairings:cohort_plan": staff_only(),
    "sessions:guest_offers": staff_only(),
    "sessions:guest_offer_invite": staff_only(405),
    "pairings:plan": staff_only(405),
    "pairings:swap": staff_only(405),
    "pairings:publish": staff_only(405),
    "mail:outbox": staff_only(),
    "mail:outbox_email": staff_only(),
    "mail:outbox_email_html": staff_only(),
    "mail:outbox_email_edit": staff_only(),
    "members:expense_review": staff_only(),
    "members:expense_decide": staff_only(405),
    "members:expense_csv": staff_only(),
    "members:staff_erasure": staff_only(),
    "members:withdraw": staff_only(),
    "learning:manage": staff_only(),
    "learning:results": staff_only(),
    "learning:results_csv": staff_only(),
    "learning:session_results": staff_only(),
    "learning:survey_results": staff_only(),
    "learning:survey_edit": staff_only(),
    "learning:survey_csv": staff_only(),
    "learning:events_manage": staff_only(),
    "learning:event_create": staff_only(),
    "learning:event_edit": staff_only(),
    "learning:event_call_off": staff_only(),
    "learning:digest": staff_only(),
    "learning:outcomes": staff_only(),
    "learning:funnel": staff_only(),
    "dashboards:report": staff_only(),
    "dashboards:report_csv": staff_only(),
    # --- allauth (its pages, its rules) ----------------------------------------------------------------------
    "account_login": (200, AFTER_LOGIN, AFTER_LOGIN, AFTER_LOGIN, AFTER_LOGIN),
    "account_request_login_code": (200, AFTER_LOGIN, AFTER_LOGIN, AFTER_LOGIN, AFTER_LOGIN),
    "account_confirm_login_code": (
        "→account_request_login_code",
        AFTER_LOGIN,
        AFTER_LOGIN,
        AFTER_LOGIN,
        AFTER_LOGIN,
    ),
    # Sign-up is closed (accounts come from confirming a place): the page says so.
    "account_signup": (200, AFTER_LOGIN, AFTER_LOGIN, AFTER_LOGIN, AFTER_LOGIN),
    "account_logout": ("→core:home", 200, 200, 200, 200),
    "account_inactive": everyone(200),
    # Not used by our flows, so turned away to the profile (cohort_site/urls.py): members have no password to set,
    # and an address is changed by the programme's manager.
    "account_email": everyone("→members:profile"),
    "account_email_verification_sent": everyone(200),
    "account_confirm_email": everyone(200),
    # Members sign in by code and have no password to change; staff have one.
    "account_change_password": (
        LOGIN,
        "→account_set_password",
        "→account_set_password",
        "→account_set_password",
        200,
    ),
    "account_set_password": everyone("→members:profile"),
    # Re-authenticating: staff by password (or a code); members have no password, so allauth sends them to the
    # code. The code's confirmation page sends anyone who has not asked for a code back to ask for one.
    "account_reauthenticate": (LOGIN, *["→account_request_reauthentication_code"] * 3, 200),
    "account_request_reauthentication_code": (LOGIN, 200, 200, 200, 200),
    "account_confirm_reauthentication_code": (LOGIN, *["→account_request_reauthentication_code"] * 4),
    "account_reset_password": everyone(200),
    "account_reset_password_done": everyone(200),
    "account_reset_password_from_key": everyone(200),
    "account_reset_password_from_key_done": everyone(200),
}

# POSTs, in ROLES order, for every URL that takes one and refuses someone. A refused role's POST is a 404 (or,
# signed out, the sign-in page) and changes nothing; the allowed role's POST shows the payload does something.
POSTS: dict[str, tuple] = {
    "demo:sign_in_as": everyone(404),
    "sessions:apologies": (LOGIN, 404, 404, "→sessions:my_schedule", 404),
    "pairings:mark_met": (LOGIN, 404, 404, "→pairings:my_pairs", 404),
    "pairings:skip_next": (LOGIN, 404, 404, "→pairings:my_pairs", 404),
    "pairings:alumni": (LOGIN, 404, 404, 404, 404),
    "sessions:guest_offer": (LOGIN, 404, 404, 404, 404),
    "sessions:guest_offer_invite": staff_only("→sessions:guest_offers"),
    "learning:share": (404, 404, 404, "→learning:detail", "→learning:detail"),
    "learning:edit": (LOGIN, 404, 404, "→learning:detail", 404),
    "learning:reading": (LOGIN, 404, 404, 404, "→learning:reading"),
    "learning:reading_tick": (404, 404, "→learning:reading", "→learning:reading", "→learning:reading"),
    "learning:manage": staff_only("→learning:manage"),
    "learning:survey_edit": staff_only("→learning:survey_edit"),
    "learning:event_create": staff_only("→learning:event_edit"),
    "learning:event_propose": (LOGIN, 404, "→learning:event_propose", "→learning:event_propose", 404),
    "learning:event_edit": staff_only("→learning:event_edit"),
    "learning:event_call_off": staff_only("→learning:event_edit"),
    "learning:digest": staff_only("→learning:digest"),
    "learning:outcomes": staff_only("→learning:outcomes"),
    "learning:funnel": staff_only("→learning:funnel"),
    "applications:selection_next": staff_only("→applications:selection_cohort"),
    "applications:selection_promote": staff_only("→applications:selection_cohort"),
    "applications:selection_from_waitlist": staff_only("→applications:selection_cohort"),
    "applications:selection_waitlist_move": staff_only("→applications:selection_programme"),
    "applications:selection_emails": staff_only("→applications:selection_emails"),
    "applications:selection_propose_offers": staff_only("→applications:selection_propose"),
    "sessions:cohort_invites": staff_only("→sessions:cohort_schedule"),
    "sessions:cohort_retime": staff_only(200),
    "sessions:session": staff_only("→sessions:session"),
    "sessions:session_notes_edit": staff_only("→sessions:session_notes_edit"),
    "sessions:topics": (LOGIN, 404, 404, "→sessions:topics", 404),
    "sessions:topics_manage": staff_only("→sessions:topics_manage"),
    "pairings:plan": staff_only("→pairings:cohort_plan"),
    "pairings:publish": staff_only("→pairings:cohort_plan"),
    "pairings:swap": staff_only("→pairings:cohort_plan"),
    "members:expense_decide": staff_only("→members:expense_review"),
    "members:staff_erasure": staff_only("→members:staff_erasure"),
    "members:leave": (LOGIN, 404, "→dashboards:member", "→dashboards:member", 404),
    "members:withdraw": staff_only("→applications:selection_cohort"),
    "mail:outbox": staff_only("→mail:outbox"),
    "mail:outbox_email_edit": staff_only("→mail:outbox_email"),
}

OWN = own_routes()
OWN_NAMES = [route.name for route in OWN]


def client_as(world, role: str) -> Client:
    client = Client()
    user = world.user(role)
    if user is not None:
        client.force_login(user)
    return client


def url_of(world, name: str) -> str:
    return reverse(name, kwargs=world.kwargs().get(name, {})) + world.query().get(name, "")


def snapshot() -> dict:
    """Every row of every table but sign-in sessions, to show a refused POST changed nothing."""
    return {
        model._meta.label: list(model.objects.order_by("pk").values_list())
        for model in apps.get_models()
        if model is not Session and model._meta.app_label != "axes"
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", OWN_NAMES)
def test_get(world, name, role):
    if name not in EXPECTED:
        pytest.fail(f"{name} is a new URL: add an expected entry for {name} to EXPECTED in {__file__}")

    response = client_as(world, role).get(url_of(world, name))

    assert outcome(response) == EXPECTED[name][ROLES.index(role)]
    if response.status_code == 403:
        assert name.startswith("account_"), "our own pages refuse with 404, never 403"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(POSTS))
def test_post(world, name, role):
    expected = POSTS[name][ROLES.index(role)]
    client = client_as(world, role)
    before = snapshot()

    response = client.post(url_of(world, name), world.post_data()[name])

    assert outcome(response) == expected
    if expected in (404, LOGIN):
        assert snapshot() == before


# The staff pages that show one programme with `?programme=<slug>` (issue 20): the same outcome for each role as
# without it, the programme named or not.
PROGRAMME_FILTERED = [
    "dashboards:manager",
    "learning:manage",
    "mail:outbox",
    "members:expense_csv",
    "members:expense_review",
    "sessions:cohorts",
    "sessions:guest_offers",
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", PROGRAMME_FILTERED)
def test_get_with_a_programme_chosen(world, name, role):
    url = url_of(world, name)
    response = client_as(world, role).get(f"{url}{'&' if '?' in url else '?'}programme={world.running.slug}")

    assert outcome(response) == EXPECTED[name][ROLES.index(role)]


def test_every_expected_entry_names_a_url():
    assert sorted(set(EXPECTED) - set(OWN_NAMES)) == []
    assert sorted(set(POSTS) - set(OWN_NAMES)) == []


def test_every_post_only_url_has_its_posts_checked():
    """A URL whose GET is 405 for someone takes POSTs: its refusals must be in POSTS."""
    post_only = {name for name, row in EXPECTED.items() if 405 in row}
    assert sorted(post_only - set(POSTS) - {"sessions:calendar_reset"}) == []


# --- The admin: Django's, one family with one rule ---------------------------------------------------------------

ADMIN_SPECIAL = {
    # Anyone may see the admin's sign-in page; signed-in staff are sent on to the index.
    "admin:login": (200, 200, 200, 200, "→admin:index"),
    # Signing out of the admin is a POST; the admin sends anyone not signed in to it back to its index.
    "admin:logout": ("→admin:index", "→admin:index", "→admin:index", "→admin:index", 405),
}
# The admin's own refusals (403) to staff: what the site records is never added by hand (applications come from
# the form, status changes from the services, emails from the engine, expenses from members, sign-in logs from
# django-axes), the status history is never deleted, and autocomplete answers only its widget's queries.
ADMIN_STAFF_REFUSED = {
    "admin:applications_application_add",
    "admin:applications_applicationstatuschange_add",
    "admin:applications_applicationstatuschange_delete",
    "admin:applications_expressionofinterest_add",
    "admin:mail_outgoingemail_add",
    "admin:members_expense_add",
    "admin:axes_accessattempt_add",
    "admin:axes_accessfailurelog_add",
    "admin:axes_accesslog_add",
    "admin:autocomplete",
}


def admin_url(route, world) -> str | None:
    """The admin URL for a route: object pages for the first row of their model; None when nothing to show."""
    kwargs = {}
    if "app_label" in route.kwargs:
        kwargs["app_label"] = "applications"
    if "id" in route.kwargs:  # the user admin's password form
        kwargs["id"] = world.member.user.pk
    if "object_id" in route.kwargs:
        if "content_type_id" in route.kwargs:
            return None  # view_on_site: a redirect to the object's own page, tested with those pages
        _, _, name = route.name.partition(":")  # e.g. sessions_app_session_change
        app_label = max((c.label for c in apps.get_app_configs() if name.startswith(f"{c.label}_")), key=len)
        model = apps.get_model(app_label, name.removeprefix(f"{app_label}_").rsplit("_", 1)[0])
        first = model.objects.order_by("pk").first()
        if first is None:
            return None
        kwargs["object_id"] = first.pk
    return reverse(route.name, kwargs=kwargs)


@pytest.mark.parametrize("role", ROLES)
def test_admin_family(world, role):
    """Everything under /admin/: non-staff are sent to the admin sign-in; staff (superuser) see it."""
    client = client_as(world, role)
    seen, expected = {}, {}
    for route in admin_routes():
        url = admin_url(route, world)
        if url is None:
            continue
        seen[route.name] = outcome(client.get(url))
        rule = ADMIN_SPECIAL.get(route.name)
        if rule is not None:
            expected[route.name] = rule[ROLES.index(role)]
        elif role != "staff":
            expected[route.name] = "→admin:login"
        else:
            expected[route.name] = 403 if route.name in ADMIN_STAFF_REFUSED else 200

    assert seen == expected
    assert len(seen) > 60
