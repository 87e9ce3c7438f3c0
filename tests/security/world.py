"""A small, complete world of the site for tests that walk every page: the permission matrix, headers and the
query budgets. Built at a fixed moment (NOW) so what is past, current and future never depends on the day.

The world itself is built by tests/world.py (`site_world`, the one builder every test world is made with); this
module adds what the page walks need: each URL's kwargs and POST payloads for the world's objects, and the routes.
`build_world(size=n)` gives Group A n peers and n of each list's rows, so query counts can be compared.
"""

from dataclasses import dataclass, fields
from urllib.parse import urlsplit

from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve

from applications.enums import Notify
from applications.links import application_token, offer_token
from applications.models import Application
from applications.services import current_offer
from cohort_site.core.models import User
from cohort_site.mail.enums import EmailKind
from cohort_site.mail.models import OutgoingEmail
from cohort_site.mail.services import unsubscribe_token
from learning.enums import Visibility
from learning.network.links import cancel_token, confirm_token
from sessions_app.join_links import join_token
from sessions_app.models import GuestOffer
from tests.world import NOW, PDF, SiteWorld, site_world

__all__ = ["NOW", "PDF", "ROLES", "World", "admin_routes", "build_world", "outcome", "own_routes", "routes"]

ROLES = ("anonymous", "applicant", "other_member", "member", "staff")

# A sharing event as staff publish it (in the world's future).
EVENT_FORM = {
    "title": "Stories from group A",
    "description": "What we learnt.",
    "date": "2031-04-02",
    "start_time": "14:00",
    "duration_minutes": 90,
    "video_link": "https://meet.example.org/a",
    "capacity": 30,
    "registration_open": "on",
    "is_published": "on",
}


@dataclass
class World(SiteWorld):
    # An offer to contribute (sessions_app.GuestOffer), made here rather than by the service: nobody in the
    # world's groups has finished a group yet, and the staff pages need one to show.
    guest_offer: GuestOffer | None = None

    def user(self, role: str) -> User | None:
        return {
            "anonymous": None,
            "applicant": self.applicant.user,
            "other_member": self.other_member.user,
            "member": self.member.user,
            "staff": self.staff,
        }[role]

    def kwargs(self) -> dict[str, dict]:
        """The kwargs of every URL that takes any: the objects each page is about, owned by the member."""
        member = self.member
        running = {"slug": self.running.slug}
        return {
            "applications:programme": {"slug": self.open.slug},
            "applications:programme_preview": {"slug": self.open.slug},
            "applications:interest": {"slug": self.open.slug},
            "applications:interest_thanks": {"slug": self.open.slug},
            "applications:apply": {"slug": self.open.slug},
            "applications:apply_thanks": {"slug": self.open.slug},
            "applications:privacy": {"slug": self.open.slug},
            "applications:private": {"token": application_token(self.applicant)},
            "applications:edit": {"token": application_token(self.applicant)},
            "applications:withdraw": {"token": application_token(self.applicant)},
            "applications:data_export": {"token": application_token(self.applicant)},
            "applications:erase": {"token": application_token(self.applicant)},
            "applications:selection_programme": running,
            "applications:selection_next": running,
            "applications:selection_emails": running,
            "applications:selection_propose": running,
            "applications:selection_propose_offers": running,
            "applications:selection_cohort": {"pk": self.cohort_a.pk},
            "applications:selection_promote": {"pk": self.cohort_a.pk},
            "applications:selection_from_waitlist": {"pk": self.cohort_a.pk},
            "applications:selection_decide": {"action": "offer"},
            "applications:selection_waitlist_move": {"pk": self.applicant.pk},
            "applications:offer_respond": {
                "token": offer_token(application=self.offeree, offer=current_offer(self.offeree))
            },
            "applications:next_group": {"token": _next_group_token(self.applicant)},
            "mail:unsubscribe": {"token": unsubscribe_token(email=member.email, kind="coffee-reminder")},
            "mail:outbox_email": {"pk": self.email.pk},
            "mail:outbox_email_edit": {"pk": self.draft_email().pk},
            "mail:outbox_email_html": {"pk": self.email.pk},
            "members:expense_receipt": {"pk": self.expense.pk},
            "members:withdraw": {"pk": member.pk},
            "members:expense_decide": {"pk": self.expense.pk},
            "sessions:apologies": {"pk": self.future_session.pk},
            "sessions:calendar_feed": {"user_id": member.user.pk, "token": member.user.calendar_token},
            "sessions:join": {"token": join_token(member)},
            "sessions:cohort_schedule": {"pk": self.cohort_a.pk},
            "sessions:cohort_invites": {"pk": self.cohort_a.pk},
            "sessions:cohort_retime": {"pk": self.cohort_a.pk},
            "demo:sign_in_as": {"role": "manager"},
            "sessions:session_add": {"pk": self.cohort_a.pk},
            "sessions:session": {"pk": self.past_session.pk},
            "sessions:session_notes": {"pk": self.past_session.pk},
            "sessions:session_notes_edit": {"pk": self.past_session.pk},
            "sessions:topics": {"pk": self.cohort_a.pk},
            "sessions:topics_manage": {"pk": self.cohort_a.pk},
            "sessions:guest_offer_invite": {"pk": self.guest_offer.pk},
            "learning:event": {"pk": self.network_event.pk},
            "learning:event_registered": {"pk": self.network_event.pk},
            "learning:event_cancel": {"token": cancel_token(self.registration)},
            "learning:event_edit": {"pk": self.network_event.pk},
            "learning:event_call_off": {"pk": self.network_event.pk},
            "learning:digest_confirm": {"token": confirm_token(self.digest_subscriber)},
            "learning:detail": {"pk": self.entry.pk},
            "learning:edit": {"pk": self.entry.pk},
            "learning:share": {"pk": self.entry.pk},
            "learning:reading_tick": {"pk": self.reading_item.pk},
            "learning:session_feedback": {"session_id": self.past_session.pk},
            "learning:survey": {"pk": self.survey.pk},
            "learning:results": running,
            "learning:results_csv": running,
            "learning:session_results": {"session_id": self.past_session.pk},
            "learning:survey_results": {"pk": self.survey.pk},
            "learning:survey_edit": {"pk": self.survey.pk},
            "learning:survey_csv": {"pk": self.survey.pk},
            "learning:outcomes": running,
            "learning:funnel": running,
            "dashboards:report": running,
            "dashboards:report_csv": running,
            "pairings:mark_met": {"pk": self.pairing.pk},
            "pairings:cohort_plan": {"pk": self.cohort_a.pk},
            "pairings:plan": {"pk": self.cohort_a.pk},
            "pairings:swap": {"pk": self.round.pk},
            "pairings:publish": {"pk": self.round.pk},
            # allauth's links carry keys it made; a made-up key is what a stranger would have.
            "account_confirm_email": {"key": "not-a-real-key"},
            "account_reset_password_from_key": {"uidb36": "1", "key": "not-a-real-key"},
        }

    def draft_email(self) -> OutgoingEmail:
        """The offer to the offeree, waiting as a draft (the world made it with Notify.DRAFT)."""
        return OutgoingEmail.objects.get(kind=EmailKind.DECISION_OFFERED, to=self.offeree.email)

    def query(self) -> dict[str, str]:
        """Query strings a page needs to show anything (the admin passes the chosen ids)."""
        return {"applications:selection_decide": f"?ids={self.offeree.pk}"}

    def post_data(self) -> dict[str, dict]:
        """For each URL that takes a POST: a payload that changes something when the role is allowed to."""
        draft = {"notify": Notify.DRAFT}
        return {
            "sessions:apologies": {"note": "Sorry, a funeral."},
            "sessions:calendar_reset": {},
            "demo:sign_in_as": {},
            "sessions:cohort_invites": {},
            # Shows the new dates (a preview: nothing changes until "confirm").
            "sessions:cohort_retime": {"candidate_time": self.running.candidate_times.get(weekday=3).pk},
            "sessions:session": {"action": "cancel", "cancel-reason": "Snow.", "cancel-confirm": "on"},
            "sessions:session_notes_edit": {"notes": "We agreed to meet again."},
            "sessions:topics": {"action": "propose", "title": "Rural transport"},
            "sessions:topics_manage": {"action": "publish"},
            "pairings:mark_met": {},
            "pairings:skip_next": {},
            "pairings:plan": {},
            "pairings:publish": {},
            "pairings:swap": {
                f"round-{self.round.pk}-first": self.member.pk,
                f"round-{self.round.pk}-second": self.member.pk,
            },
            "members:expense_decide": {"status": "approved"},
            "pairings:alumni": {"opt_in": "1"},
            "sessions:guest_offer": {"note": "Setting up a men's shed."},
            "sessions:guest_offer_invite": {f"offer-{self.guest_offer.pk}-session": self.future_session.pk},
            "members:staff_erasure": {"email": self.member.email, "confirm": "on"},
            "members:leave": {"reason": "Moving job."},
            "members:withdraw": {"reason": "Asked by phone."},
            "mail:outbox": {"action": "send_drafts", "emails": [self.email.pk]},
            "mail:outbox_email_edit": {"subject": "Your place", "body_text": "Dear Oni, a place is yours."},
            "applications:selection_next": {},
            "applications:selection_promote": draft,
            "applications:selection_from_waitlist": {"count": 1, **draft},
            "applications:selection_waitlist_move": {"direction": "up"},
            "applications:selection_emails": {"email": [self.email.pk]},
            "applications:selection_propose_offers": {},
            "learning:share": {"action": "request", "audience": Visibility.NETWORK},
            "learning:reading_tick": {"done": "1"},
            "learning:reading": {
                "programme": self.running.pk,
                "title": "New",
                "url": "https://example.org/n",
            },
            "learning:edit": {"title": "Changed", "body": "Changed.", "kind": self.entry.kind},
            "learning:manage": {"programme": self.running.pk},
            "learning:event_create": EVENT_FORM,
            "learning:event_propose": EVENT_FORM,
            "learning:event_edit": {**EVENT_FORM, "capacity": 40},
            "learning:event_call_off": {},
            "learning:digest": {},
            # Nudges the person with an offer waiting (a refused role's POST queues nothing).
            "learning:funnel": {"step": "confirmed", "confirmed-person": [f"a{self.offeree.pk}:0"]},
            "learning:outcomes": {"items": ["knowledge", "confidence"], "own_ratings": "", "own_open": ""},
            "learning:survey_edit": {
                "title": "Renamed",
                "opens_after_session": 3,
                "questions-TOTAL_FORMS": 0,
                "questions-INITIAL_FORMS": 0,
            },
        }


def _next_group_token(application: Application) -> str:
    from django.core import signing

    from applications.links import NEXT_GROUP_LINK_SALT

    return signing.dumps({"a": application.pk}, salt=NEXT_GROUP_LINK_SALT)


def build_world(size: int = 1) -> World:
    """Call inside `time_machine.travel(NOW, tick=False)` (the `world` fixtures do)."""
    built = site_world(size)
    world = World(**{field.name: getattr(built, field.name) for field in fields(SiteWorld)})
    world.guest_offer = GuestOffer.objects.create(user=world.applicant.user, note="Rural befriending.")
    return world


# --- The URL configuration, walked ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str  # namespaced, e.g. "learning:detail"
    pattern: str
    kwargs: tuple[str, ...]


def routes() -> list[Route]:
    """Every named URL of the site, from the resolver itself (admin, allauth and ours)."""

    def walk(resolver, prefix: str, namespaces: tuple[str, ...]):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = (*namespaces, pattern.namespace) if pattern.namespace else namespaces
                yield from walk(pattern, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield Route(
                    name=":".join((*namespaces, pattern.name)),
                    pattern=prefix + str(pattern.pattern),
                    kwargs=tuple(pattern.pattern.regex.groupindex),
                )

    seen: dict[str, Route] = {}
    for route in walk(get_resolver(), "", ()):
        seen.setdefault(route.name, route)  # reverse() uses the first pattern of a name
    return sorted(seen.values(), key=lambda r: r.name)


def outcome(response) -> int | str:
    """What a request came to: the status, or for a redirect "→" and the name of the page it sends to."""
    if response.status_code in (301, 302, 303, 307, 308):
        path = urlsplit(response["Location"]).path
        try:
            return "→" + resolve(path).view_name
        except Resolver404:
            return "→" + path
    return response.status_code


def admin_routes() -> list[Route]:
    return [route for route in routes() if route.name.startswith("admin:")]


def own_routes() -> list[Route]:
    return [route for route in routes() if not route.name.startswith("admin:")]
