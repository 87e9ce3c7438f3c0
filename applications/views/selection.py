"""The manager's selection pages: groups, decisions, the waitlist, further groups and decision emails."""

from django.contrib import messages
from django.db import OperationalError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from cohort_site.core.dates import date_text
from cohort_site.core.mixins import StaffRequiredMixin
from cohort_site.core.words import counted
from cohort_site.mail.services import EditRefused, emails_send_drafts

from ..enums import PLACE_HOLDING_STATUSES, ApplicationStatus, Notify
from ..forms_selection import DecisionForm, FromWaitlistForm, OfferForm, PromoteForm
from ..freed_places import freed_place_offered
from ..models import Application, Cohort, Programme
from ..selectors import cohort_overview, cohorts_with_fill, decision_drafts, waitlist
from ..services import (
    BulkOutcome,
    TransitionRefused,
    applications_offer,
    applications_set_status,
    cohort_create_next,
    waitlist_move,
    waitlist_offer_into,
    waitlist_promotion,
)

S = ApplicationStatus
BUSY = "Someone else was changing the same applications; nothing was changed. Please try again."


def _report(request, outcome: BulkOutcome, done: str) -> None:
    if outcome.changed:
        names = ", ".join(a.name for a in outcome.changed)
        messages.success(request, f"{done} {len(outcome.changed)}: {names}.")
    for application, reason in outcome.refused:
        messages.warning(request, f"{application.name}: {reason}")


class ProgrammeSelectionView(StaffRequiredMixin, TemplateView):
    """A programme's groups with their fill, the waitlist, and who asked to be considered for a later group."""

    template_name = "applications/selection/programme.html"

    def get_context_data(self, **kwargs):
        programme = get_object_or_404(Programme, slug=self.kwargs["slug"])
        return super().get_context_data(
            programme=programme,
            cohorts=list(cohorts_with_fill(programme.pk)),
            waitlist=list(waitlist(programme.pk)),
            interested=list(
                Application.objects.filter(
                    programme=programme, status=S.DECLINED, next_group_interest_at__isnull=False
                ).order_by("next_group_interest_at")
            ),
            draft_count=decision_drafts(programme.pk).count(),
            **kwargs,
        )


class CohortSelectionView(StaffRequiredMixin, TemplateView):
    """One group: fill, who is in, the waitlist in order, the mix, and how availability overlaps."""

    template_name = "applications/selection/cohort.html"

    def get_context_data(self, **kwargs):
        cohort = get_object_or_404(Cohort.objects.select_related("programme"), pk=self.kwargs["pk"])
        overview = cohort_overview(cohort)
        return super().get_context_data(
            cohort=cohort,
            programme=cohort.programme,
            overview=overview,
            # The manager may still offer a free place by hand after the cut-off; the page says it is late.
            past_cut_off=not freed_place_offered(cohort=cohort, now=timezone.now()),
            promote_form=PromoteForm(),
            from_waitlist_form=FromWaitlistForm(
                initial={"count": max(min(overview.free, len(overview.waitlist)), 1)}
            ),
            **kwargs,
        )


def decline_preview(applications: list[Application]) -> dict[str, list[str]]:
    """What declining these applications does, and who is told: for the "are you sure" panel."""
    count = len(applications)
    people = f"{count} applicant{'s' if count != 1 else ''}"
    holding = [a for a in applications if a.status in PLACE_HOLDING_STATUSES]
    what = [
        f"The {people} listed {'is' if count == 1 else 'are'} declined: no place this time. The email cannot be "
        "taken back once sent.",
        "Each can still say they would like a later group, from the link in the email.",
    ]
    if holding:
        what.append(
            f"{len(holding)} of them hold{'s' if len(holding) == 1 else ''} an offered place: it comes free and "
            "goes to the waitlist as the programme says."
        )
    return {
        "what_happens": what,
        "emailed": [
            f"Each of the {people} listed: a “no place this time” email, sent now or saved as a draft for you "
            "to check and send, as you choose below"
        ],
    }


class DecideView(StaffRequiredMixin, View):
    """Offer, waitlist or decline the applications chosen in the admin list (ids in the query string)."""

    template_name = "applications/selection/decide.html"
    actions = {"offer": S.OFFERED, "waitlist": S.WAITLISTED, "decline": S.DECLINED}

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if kwargs["action"] not in self.actions:
            raise Http404("No such decision.")
        self.action = kwargs["action"]

    def selected(self) -> list[Application]:
        raw = self.request.GET.get("ids", "")
        ids = [int(part) for part in raw.split(",") if part.strip().isdigit()]
        applications = list(Application.objects.filter(pk__in=ids).select_related("programme", "cohort"))
        if not applications or len({a.programme_id for a in applications}) != 1:
            raise Http404("Choose applications of one programme.")
        return sorted(applications, key=lambda a: (a.waitlist_position or 0, a.name.lower(), a.pk))

    def form_for(self, programme, data=None):
        if self.action == "offer":
            return OfferForm(data, programme=programme)
        return DecisionForm(data)

    def render_page(self, applications, form, status=200):
        programme = applications[0].programme
        return render(
            self.request,
            self.template_name,
            {
                "action": self.action,
                "action_label": {"offer": "Offer places", "waitlist": "Waitlist", "decline": "Decline"}[
                    self.action
                ],
                "applications": applications,
                "programme": programme,
                "cohorts": list(cohorts_with_fill(programme.pk)),
                "form": form,
                "decline_preview": decline_preview(applications) if self.action == "decline" else None,
            },
            status=status,
        )

    def get(self, request, action):
        applications = self.selected()
        return self.render_page(applications, self.form_for(applications[0].programme))

    def post(self, request, action):
        applications = self.selected()
        programme = applications[0].programme
        form = self.form_for(programme, request.POST)
        if not form.is_valid():
            return self.render_page(applications, form, status=400)
        try:
            if self.action == "offer":
                cohort = form.cleaned_data["cohort"]
                outcome = applications_offer(
                    applications=applications,
                    cohort=cohort,
                    by=request.user,
                    notify=form.cleaned_data["notify"],
                    offer_expires_at=form.expires_at(),
                )
                destination = reverse("applications:selection_cohort", kwargs={"pk": cohort.pk})
            else:
                outcome = applications_set_status(
                    applications=applications,
                    status=self.actions[self.action],
                    by=request.user,
                    notify=form.cleaned_data["notify"],
                )
                destination = reverse("applications:selection_programme", kwargs={"slug": programme.slug})
        except TransitionRefused as refusal:
            form.add_error(None, refusal.reason)
            return self.render_page(applications, form, status=409)
        except OperationalError:
            form.add_error(None, BUSY)
            return self.render_page(applications, form, status=409)
        done = {"offer": "Offered places to", "waitlist": "Waitlisted", "decline": "Declined"}[self.action]
        _report(request, outcome, done)
        if form.cleaned_data["notify"] == Notify.DRAFT and outcome.changed:
            messages.info(
                request, "The decision emails are drafts: preview and send them from Decision emails."
            )
        return HttpResponseRedirect(destination)


class CohortActionView(StaffRequiredMixin, View):
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.cohort = get_object_or_404(Cohort.objects.select_related("programme"), pk=kwargs["pk"])

    def back(self):
        return redirect("applications:selection_cohort", pk=self.cohort.pk)


class PromoteView(CohortActionView):
    """Offer a free place to the first person on the waitlist (the 'proposed' promotion, accepted)."""

    def post(self, request, pk):
        form = PromoteForm(request.POST)
        if not form.is_valid():
            messages.error(
                request, "Nothing was offered: choose whether to send the email now or save it as a draft."
            )
            return self.back()
        promotion = waitlist_promotion(
            cohort=self.cohort, by=request.user, notify=form.cleaned_data["notify"]
        )
        if promotion.offered is not None:
            messages.success(request, f"Offered a place in {self.cohort.name} to {promotion.offered.name}.")
            if promotion.skipped_text:
                messages.info(request, promotion.skipped_text)
        elif promotion.skipped and promotion.time is not None:
            messages.warning(
                request,
                f"Nobody offered: nobody on the waitlist said they can come on {promotion.time.label}, "
                "the group's time.",
            )
        else:
            messages.warning(request, f"No place to offer: {self.cohort.name} is full or nobody is waiting.")
        return self.back()


class FromWaitlistView(CohortActionView):
    """Move the first people on the waitlist into this group (typically a newly created next group)."""

    def post(self, request, pk):
        form = FromWaitlistForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Say how many people to move, 1 or more.")
            return self.back()
        try:
            outcome = waitlist_offer_into(
                cohort=self.cohort,
                count=form.cleaned_data["count"],
                by=request.user,
                notify=form.cleaned_data["notify"],
            )
        except TransitionRefused as refusal:
            messages.error(request, refusal.reason)
        except OperationalError:
            messages.error(request, BUSY)
        else:
            _report(request, outcome, "Offered places from the waitlist to")
        return self.back()


class NextCohortView(StaffRequiredMixin, View):
    def post(self, request, slug):
        programme = get_object_or_404(Programme, slug=slug)
        cohort = cohort_create_next(programme=programme)
        messages.success(
            request,
            f"Created {cohort.name}, starting the week of {date_text(cohort.first_session_week)}. "
            "Move people in from the waitlist below.",
        )
        return redirect("applications:selection_cohort", pk=cohort.pk)


class WaitlistMoveView(StaffRequiredMixin, View):
    def post(self, request, pk):
        application = get_object_or_404(Application, pk=pk)
        try:
            waitlist_move(application=application, up=request.POST.get("direction") == "up")
        except TransitionRefused as refusal:
            messages.error(request, refusal.reason)
        back = request.POST.get("next", "")
        if back.startswith("/") and not back.startswith("//"):
            return HttpResponseRedirect(back)
        return redirect("applications:selection_programme", slug=application.programme.slug)


class DecisionEmailsView(StaffRequiredMixin, TemplateView):
    """Decision emails waiting as drafts: read each as the applicant will, then send them together."""

    template_name = "applications/selection/emails.html"

    def get_context_data(self, **kwargs):
        programme = get_object_or_404(Programme, slug=self.kwargs["slug"])
        return super().get_context_data(
            programme=programme, drafts=list(decision_drafts(programme.pk)), **kwargs
        )

    def post(self, request, slug):
        programme = get_object_or_404(Programme, slug=slug)
        chosen = {int(v) for v in request.POST.getlist("email") if v.isdigit()}
        ids = list(decision_drafts(programme.pk).filter(pk__in=chosen).values_list("pk", flat=True))
        try:
            sent = emails_send_drafts(email_ids=ids)
        except EditRefused as refusal:
            messages.error(request, refusal.message)
            return redirect("applications:selection_emails", slug=programme.slug)
        if sent:
            messages.success(request, f"Sending {counted(sent, 'email')}.")
        else:
            messages.warning(request, "Nothing sent: choose at least one draft.")
        return redirect("applications:selection_emails", slug=programme.slug)
