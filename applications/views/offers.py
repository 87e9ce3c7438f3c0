"""The applicant's side of selection: answering an offer, interest in a later group, their place."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import OperationalError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from ..enums import ApplicationStatus
from ..links import next_group_link_payload, offer_link_payload
from ..models import Application
from ..services import (
    OfferNotCurrent,
    TransitionRefused,
    current_offer,
    next_group_interest_record,
    offer_accept,
    offer_decline,
)

S = ApplicationStatus
BUSY = "Someone else was changing the same applications; nothing was changed. Please try again."


class OfferRespondView(View):
    """The link in the offer email. Showing it changes nothing (mail scanners open links); the buttons do."""

    template_name = "applications/selection/offer_respond.html"

    def page(self, state: str, status: int = 200, **context):
        return render(self.request, self.template_name, {"state": state, **context}, status=status)

    def resolve(self, token: str):
        payload, problem = offer_link_payload(token)
        if problem:
            return None, None, self.page(problem, status=404 if problem == "invalid" else 410)
        application = (
            Application.objects.select_related("programme", "cohort", "user").filter(pk=payload["a"]).first()
        )
        if application is None:
            return None, None, self.page("invalid", status=404)
        return application, payload["o"], None

    def state_of(self, application: Application, offer_id: int) -> str:
        latest = current_offer(application)
        if latest is None or latest.pk != offer_id:
            return "superseded"
        if application.status == S.OFFERED:
            if application.offer_expires_at <= timezone.now():
                return "expired"
            return "open"
        return {
            S.CONFIRMED: "confirmed",
            S.WITHDRAWN: "declined",
            S.OFFER_EXPIRED: "expired",
        }.get(application.status, "closed")

    def get(self, request, token):
        application, offer_id, problem = self.resolve(token)
        if problem:
            return problem
        state = self.state_of(application, offer_id)
        return self.page(
            state, status=200 if state in ("open", "confirmed", "declined") else 410, application=application
        )

    def post(self, request, token):
        application, offer_id, problem = self.resolve(token)
        if problem:
            return problem
        answered_now = False
        if self.state_of(application, offer_id) == "open":
            try:
                if request.POST.get("answer") == "decline":
                    offer_decline(application=application, offer_id=offer_id)
                else:
                    offer_accept(application=application, offer_id=offer_id)
                answered_now = True
            except (TransitionRefused, OfferNotCurrent):
                pass  # a second click, or an answer from another tab a moment ago: show where things stand
            except OperationalError:
                return self.page("busy", status=409, application=application)
        application.refresh_from_db()
        state = self.state_of(application, offer_id)
        if state == "confirmed":
            return self.confirmed(application, sign_in=answered_now)
        return self.page(state, status=200 if state == "declined" else 410, application=application)

    def confirmed(self, application: Application, *, sign_in: bool):
        """Confirming signs the new member in, once: a link used again shows the place but signs nobody in."""
        user = application.user
        if self.request.user.is_authenticated and self.request.user.pk == user.pk:
            return redirect("applications:my_place")
        # The link proves the inbox, which is not enough for a staff account: that signs in the usual way.
        if not sign_in or user.is_staff or not user.is_active:
            return self.page("confirmed", application=application)
        login(self.request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(self.request, f"Your place in {application.cohort.name} is confirmed. Welcome!")
        return redirect("applications:my_place")


class NextGroupView(View):
    """The link in the 'declined' email: ask to be considered for a later group."""

    template_name = "applications/selection/next_group.html"

    def resolve(self, token):
        payload, problem = next_group_link_payload(token)
        if problem:
            return None, render(self.request, self.template_name, {"state": problem}, status=404)
        application = Application.objects.select_related("programme").filter(pk=payload["a"]).first()
        if application is None:
            return None, render(self.request, self.template_name, {"state": "invalid"}, status=404)
        return application, None

    def get(self, request, token):
        application, problem = self.resolve(token)
        if problem:
            return problem
        state = "done" if application.next_group_interest_at else "ask"
        return render(request, self.template_name, {"state": state, "application": application})

    def post(self, request, token):
        application, problem = self.resolve(token)
        if problem:
            return problem
        next_group_interest_record(application=application)
        return render(request, self.template_name, {"state": "done", "application": application})


class MyPlaceView(LoginRequiredMixin, TemplateView):
    """Where confirming lands a new member: their place, and what happens next."""

    template_name = "applications/selection/my_place.html"

    def get_context_data(self, **kwargs):
        places = list(
            Application.objects.filter(user=self.request.user)
            .select_related("programme", "cohort")
            .order_by("-submitted_at")
        )
        return super().get_context_data(places=places, **kwargs)
