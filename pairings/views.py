from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from applications.models import Cohort
from cohort_site.core.mixins import StaffRequiredMixin
from cohort_site.core.requests import safe_next
from sessions_app.views import AlumniRequiredMixin

from . import alumni, rules, selectors, services
from .forms import SwapForm
from .models import PairMember, Round


class MyPairsView(LoginRequiredMixin, TemplateView):
    template_name = "pairings/my_pairs.html"

    def get_context_data(self, **kwargs):
        member = selectors.member_of(self.request.user)
        if member is None:
            raise Http404("You are not in a group yet.")
        overview = selectors.coffee_overview(member, now=timezone.now())
        return {
            **super().get_context_data(**kwargs),
            "member": member,
            "current": overview.current,
            "current_is_open": overview.current_is_open,
            "partners": overview.partners,
            "times": overview.times,
            "past": overview.past,
            "next_round": overview.next_round,
            "skipping": overview.skipping,
            "tz": member.cohort.programme.timezone,
        }


class MarkMetView(LoginRequiredMixin, View):
    def post(self, request, pk):
        membership = get_object_or_404(PairMember.objects.select_related("member", "round"), pk=pk)
        if not rules.can_mark_met(request.user, membership):
            raise Http404
        services.pair_mark_met(membership=membership)
        messages.success(request, "Thank you: noted that you met.")
        return redirect(safe_next(request, default=reverse("pairings:my_pairs")))


class SkipNextRoundView(LoginRequiredMixin, View):
    def post(self, request):
        member = selectors.member_of(request.user)
        round_ = selectors.next_unpublished_round(member) if member else None
        if not rules.can_skip_round(member, round_):
            raise Http404
        try:
            if request.POST.get("undo"):
                services.round_skip_cancel(member=member, round_=round_)
                messages.success(request, f"You are back in coffee round {round_.number}.")
            else:
                services.round_skip(member=member, round_=round_)
                messages.success(request, f"You will sit out coffee round {round_.number}.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("pairings:my_pairs")


class CohortPlanView(StaffRequiredMixin, TemplateView):
    template_name = "pairings/cohort_plan.html"

    def get_context_data(self, **kwargs):
        cohort = get_object_or_404(Cohort.objects.select_related("programme"), pk=self.kwargs["pk"])
        summaries = selectors.plan_summary(cohort)
        return {
            **super().get_context_data(**kwargs),
            "cohort": cohort,
            "summaries": [(s, SwapForm(round_=s.round, prefix=f"round-{s.round.pk}")) for s in summaries],
            "tz": cohort.programme.timezone,
        }


class PlanCohortView(StaffRequiredMixin, View):
    def post(self, request, pk):
        cohort = get_object_or_404(Cohort, pk=pk)
        rounds = services.pairs_plan(cohort=cohort)
        if rounds:
            messages.success(request, "Unpublished rounds planned. Published rounds are unchanged.")
        else:
            messages.error(request, "No rounds yet: a round needs two scheduled sessions either side of it.")
        return redirect("pairings:cohort_plan", pk=cohort.pk)


class SwapView(StaffRequiredMixin, View):
    def post(self, request, pk):
        round_ = get_object_or_404(Round, pk=pk)
        form = SwapForm(request.POST, round_=round_, prefix=f"round-{round_.pk}")
        if form.is_valid():
            try:
                services.pairs_swap(
                    round_=round_, first=form.cleaned_data["first"], second=form.cleaned_data["second"]
                )
                messages.success(
                    request,
                    f"Swapped {form.cleaned_data['first'].name} and {form.cleaned_data['second'].name}.",
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
        else:
            messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(
            reverse("pairings:cohort_plan", kwargs={"pk": round_.cohort_id}) + f"#round-{round_.number}"
        )


class PublishView(StaffRequiredMixin, View):
    def post(self, request, pk):
        round_ = get_object_or_404(Round, pk=pk)
        try:
            services.round_publish(round_=round_)
            messages.success(request, f"Round {round_.number} is published; introductions go when it opens.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("pairings:cohort_plan", pk=round_.cohort_id)


class AlumniCoffeeView(AlumniRequiredMixin, TemplateView):
    """A member whose group has ended: in or out of the monthly alumni coffee pairs, and whom they meet."""

    template_name = "pairings/alumni.html"

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "overview": alumni.alumni_overview(self.request.user, now=timezone.now()),
        }

    def post(self, request):
        if request.POST.get("opt_out"):
            alumni.alumni_opt_out(user=request.user)
            messages.success(
                request, "You are out of the alumni coffee pairs: no more pairs from next month."
            )
        else:
            try:
                alumni.alumni_opt_in(user=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request, "You are in: your first alumni coffee pair comes at the start of a month."
                )
        return redirect("pairings:alumni")
