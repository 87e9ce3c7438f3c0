"""The manager's "before, after and later" page: which outcome items the three surveys share, and the results."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.generic import FormView

from applications.models import Programme
from cohort_site.core.mixins import StaffRequiredMixin

from .. import evidence, outcomes, services
from ..forms import OutcomeItemsForm


class OutcomesView(StaffRequiredMixin, FormView):
    template_name = "learning/outcomes.html"
    form_class = OutcomeItemsForm

    def dispatch(self, request, *args, **kwargs):
        self.programme = get_object_or_404(Programme, slug=kwargs["slug"])
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        surveys = evidence.outcome_surveys(self.programme)
        if not surveys:
            return {"items": list(outcomes.DEFAULT_ITEMS)}
        questions = [
            q for survey in surveys for q in survey.questions.filter(is_active=True).exclude(item="")
        ]
        own = {q.item: q for q in questions if q.item.startswith(outcomes.OWN_PREFIX)}
        return {
            "items": sorted({q.item for q in questions if q.item in outcomes.BANK_BY_KEY}),
            "own_ratings": "\n".join(q.text for q in own.values() if q.kind == "rating"),
            "own_open": "\n".join(q.text for q in own.values() if q.kind == "text"),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            programme=self.programme,
            results=evidence.outcome_results(self.programme, now=timezone.now()),
            min_answers=outcomes.MIN_ANSWERS,
        )
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        services.outcome_items_set(
            programme=self.programme,
            items=data["items"],
            own_ratings=data["own_ratings"],
            own_open=data["own_open"],
        )
        messages.success(
            self.request,
            "Saved: the baseline, the end-of-programme evaluation and the follow-up ask these questions.",
        )
        return redirect("learning:outcomes", slug=self.programme.slug)
