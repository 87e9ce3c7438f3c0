"""The network pages: the public list of sharing events, each event's page with its registration form, a
registrant's cancel link, the digest's sign-up and confirmation; and, for staff, the events and the digest's
preview. Registrants and subscribers have no account: their signed link is their permission."""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db import DatabaseError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from applications.ratelimit import rate_limit_exceeded
from cohort_site.core.mixins import StaffRequiredMixin, refuse_unless_staff
from cohort_site.core.words import counted

from ..rules import can_propose_network_event
from .enums import RegistrationStatus
from .forms import DigestSubscribeForm, EventForm, ProposalForm, RegistrationForm
from .links import registration_id_from, subscriber_from
from .models import DigestSubscriber, EventRegistration, NetworkEvent
from .reminders import digest_context
from .selectors import (
    digest_contents,
    digest_receives,
    digest_recipients,
    events_for_staff,
    events_proposed_by,
    events_published,
    events_upcoming,
    places_taken,
    registration_is_open,
    waitlist,
)
from .services import (
    NothingToSend,
    RegistrationClosed,
    digest_confirm,
    digest_send,
    digest_subscribe,
    event_cancel,
    event_length_text,
    event_propose,
    event_register,
    event_save,
    registration_cancel,
)

logger = logging.getLogger(__name__)

NOT_STORED = (
    "Sorry, we could not save that just now. Please try again in a minute: nothing you typed is lost."
)
CLOSED = "Registration for this event has closed."


def too_many_requests(request):
    return render(request, "applications/rate_limited.html", {}, status=429)


class EventListView(TemplateView):
    template_name = "learning/network/event_list.html"

    def get_context_data(self, **kwargs):
        return {"events": list(events_upcoming()), "active": "events"}


class EventDetailView(View):
    """An event's public page: what, when, how many places are left, and the registration form."""

    template_name = "learning/network/event_detail.html"

    def dispatch(self, request, *args, **kwargs):
        self.event = get_object_or_404(events_published(), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def render_page(self, form, status=200):
        event = self.event
        context = {
            "event": event,
            "form": form,
            "length": event_length_text(event),
            "is_open": registration_is_open(event),
            "has_started": event.starts_at <= timezone.now(),
            "places_left": max(event.capacity - event.places_taken, 0),
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk):
        return self.render_page(RegistrationForm())

    def post(self, request, pk):
        if rate_limit_exceeded(request, scope="network-event"):
            return too_many_requests(request)
        form = RegistrationForm(request.POST)
        if form.is_bot():
            # Look like success, store nothing.
            return redirect("learning:event_registered", pk=pk)
        if not form.is_valid():
            return self.render_page(form)
        try:
            event_register(
                event=self.event,
                name=form.cleaned_data["name"],
                organisation=form.cleaned_data["organisation"],
                email=form.cleaned_data["email"],
            )
        except RegistrationClosed:
            form.add_error(None, CLOSED)
            return self.render_page(form)
        except DatabaseError:
            logger.exception("A sharing event registration could not be stored")
            form.add_error(None, NOT_STORED)
            return self.render_page(form, status=503)
        # The same page for a place, the waitlist or an address already registered: the email says which.
        return redirect("learning:event_registered", pk=pk)


class EventRegisteredView(TemplateView):
    template_name = "learning/network/event_registered.html"

    def get_context_data(self, **kwargs):
        return {"event": get_object_or_404(events_published(), pk=kwargs["pk"])}


class EventCancelView(View):
    """A registrant's own link: see their registration and cancel it. The signed token is the permission."""

    template_name = "learning/network/event_cancel.html"

    def dispatch(self, request, *args, **kwargs):
        registration_id = registration_id_from(kwargs["token"])
        if registration_id is None:
            raise Http404
        self.registration = get_object_or_404(
            EventRegistration.objects.select_related("event"), pk=registration_id
        )
        return super().dispatch(request, *args, **kwargs)

    def render_page(self, *, done=False):
        registration = self.registration
        event = registration.event
        what_happens = [f"Your registration for “{event.title}” is cancelled."]
        emailed = ["You: a confirmation that you have left the waitlist."]
        if registration.status == RegistrationStatus.CONFIRMED:
            what_happens.append("Your place goes to the first person on the waitlist, if there is one.")
            emailed = [
                "You: a confirmation, with a calendar file that takes the event out of your calendar.",
                "The first person on the waitlist, if there is one: their place.",
            ]
        context = {
            "registration": registration,
            "event": event,
            "done": done,
            "has_started": event.starts_at <= timezone.now(),
            "what_happens": what_happens,
            "emailed": emailed,
        }
        return render(self.request, self.template_name, context)

    def get(self, request, token):
        return self.render_page()

    def post(self, request, token):
        event = self.registration.event
        if event.starts_at <= timezone.now() or event.cancelled_at:
            return self.render_page()
        self.registration = registration_cancel(registration=self.registration)
        return self.render_page(done=True)


class DigestSubscribeView(View):
    template_name = "learning/network/digest_subscribe.html"

    def render_page(self, form, status=200):
        return render(self.request, self.template_name, {"form": form}, status=status)

    def get(self, request):
        return self.render_page(DigestSubscribeForm())

    def post(self, request):
        if rate_limit_exceeded(request, scope="network-digest"):
            return too_many_requests(request)
        form = DigestSubscribeForm(request.POST)
        if form.is_bot():
            return redirect("learning:digest_subscribed")
        if not form.is_valid():
            return self.render_page(form)
        try:
            digest_subscribe(email=form.cleaned_data["email"])
        except DatabaseError:
            logger.exception("A digest subscription could not be stored")
            form.add_error(None, NOT_STORED)
            return self.render_page(form, status=503)
        # The same page whether the address was new, waiting or subscribed already.
        return redirect("learning:digest_subscribed")


class DigestSubscribedView(TemplateView):
    template_name = "learning/network/digest_subscribed.html"


class DigestConfirmView(View):
    """The link in the confirmation email: a button (so a mail scanner opening the link confirms nothing)."""

    template_name = "learning/network/digest_confirm.html"

    def dispatch(self, request, *args, **kwargs):
        found = subscriber_from(kwargs["token"])
        self.subscriber = None
        if found is not None:
            subscriber_id, email = found
            self.subscriber = DigestSubscriber.objects.filter(pk=subscriber_id, email__iexact=email).first()
        if self.subscriber is None:
            return render(request, self.template_name, {"invalid": True}, status=404)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, token):
        done = digest_receives(self.subscriber)
        return render(request, self.template_name, {"subscriber": self.subscriber, "done": done})

    def post(self, request, token):
        subscriber = digest_confirm(subscriber=self.subscriber)
        return render(request, self.template_name, {"subscriber": subscriber, "done": True})


class EventProposeView(View):
    """A member proposes a sharing event (their group's learning, for the wider network); staff publish it."""

    template_name = "learning/network/event_propose.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_propose_network_event(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def render_page(self, form):
        context = {"form": form, "proposed": list(events_proposed_by(self.request.user))}
        return render(self.request, self.template_name, context)

    def get(self, request):
        return self.render_page(ProposalForm())

    def post(self, request):
        form = ProposalForm(request.POST)
        if not form.is_valid():
            return self.render_page(form)
        event = event_propose(event=form.apply(NetworkEvent()), by=request.user)
        messages.success(
            request, f"Thank you: “{event.title}” is with the programme's manager, who will publish it."
        )
        return redirect("learning:event_propose")


# --- Staff ------------------------------------------------------------------------------------------------------


class EventManageView(StaffRequiredMixin, TemplateView):
    template_name = "learning/network/manage.html"

    def get_context_data(self, **kwargs):
        return {"events": list(events_for_staff()), "now": timezone.now()}


class EventFormView(View):
    """Publish a sharing event, or change one (with who has registered)."""

    template_name = "learning/network/event_form.html"

    def dispatch(self, request, *args, **kwargs):
        refused = refuse_unless_staff(request)
        if refused is not None:
            return refused
        self.event = get_object_or_404(NetworkEvent, pk=kwargs["pk"]) if "pk" in kwargs else None
        return super().dispatch(request, *args, **kwargs)

    def render_page(self, form):
        registrations = []
        if self.event is not None:
            registrations = list(self.event.registrations.order_by("status", "status_changed_at", "pk"))
        context = {
            "form": form,
            "event": self.event,
            "with_place": [r for r in registrations if r.status == RegistrationStatus.CONFIRMED],
            "waiting": [r for r in registrations if r.status == RegistrationStatus.WAITLISTED],
            "cancelled": [r for r in registrations if r.status == RegistrationStatus.CANCELLED],
        }
        return render(self.request, self.template_name, context)

    def get(self, request, **kwargs):
        return self.render_page(EventForm(event=self.event))

    def post(self, request, **kwargs):
        form = EventForm(request.POST, event=self.event)
        if not form.is_valid():
            return self.render_page(form)
        event = event_save(event=form.apply(self.event or NetworkEvent()), by=request.user)
        messages.success(request, f"Saved “{event.title}”.")
        return redirect("learning:event_edit", pk=event.pk)


class EventCallOffView(StaffRequiredMixin, View):
    """Cancel a sharing event (staff): what happens and who is emailed, then one POST. Twice is once."""

    template_name = "learning/network/event_call_off.html"

    def dispatch(self, request, *args, **kwargs):
        self.event = get_object_or_404(NetworkEvent, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, pk):
        event = self.event
        with_place = places_taken(event)
        waiting = waitlist(event).count()
        context = {
            "event": event,
            "has_started": event.starts_at <= timezone.now(),
            "what_happens": [
                f"“{event.title}” is cancelled: its page says so, it leaves the list of sharing events and the "
                "digest, and nobody can register.",
                "This cannot be undone.",
            ],
            "emailed": [
                f"{counted(with_place, 'person', 'people')} with a place: the cancellation, with a calendar file "
                "that takes the event out of their calendar.",
                f"{counted(waiting, 'person', 'people')} on the waitlist: the cancellation.",
            ],
        }
        return render(request, self.template_name, context)

    def post(self, request, pk):
        try:
            event = event_cancel(event=self.event, by=request.user)
        except ValueError:
            messages.error(request, "This event has started, so it can no longer be cancelled.")
            return redirect("learning:event_edit", pk=pk)
        messages.success(request, f"“{event.title}” is cancelled and everyone who registered is being told.")
        return redirect("learning:event_edit", pk=pk)


class DigestView(StaffRequiredMixin, View):
    """This month's digest exactly as subscribers will read it, and the button that sends it."""

    template_name = "learning/network/digest.html"

    def get(self, request):
        now = timezone.now()
        contents = digest_contents(now=now)
        recipients = digest_recipients()
        context = {
            "contents": contents,
            "recipients": counted(len(recipients), "subscriber", "subscribers"),
            "subject": f"Network digest: {contents.month:%B %Y}",
            "body": render_to_string(
                "emails/network_digest.txt",
                {
                    **digest_context(contents),
                    "SITE_URL": settings.SITE_URL,
                    "unsubscribe_url": "(each subscriber's own unsubscribe link)",
                },
            ).strip(),
            "what_happens": [
                f"This digest goes to {counted(len(recipients), 'subscriber', 'subscribers')} within a few "
                "minutes, and to anyone who confirms a subscription later this month.",
                "It cannot be changed or sent again this month.",
            ],
            "emailed": [f"{counted(len(recipients), 'subscriber', 'subscribers')} of the network digest."],
        }
        return render(request, self.template_name, context)

    def post(self, request):
        try:
            digest_send(by=request.user)
        except NothingToSend:
            messages.error(
                request,
                "There is nothing new to send this month: no newly public learning and no "
                "upcoming sharing events.",
            )
        else:
            messages.success(request, "This month's digest is on its way to every subscriber.")
        return redirect("learning:digest")
