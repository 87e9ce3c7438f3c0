"""The manager's "who is missing at every step" page, and its nudge."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import TemplateView

from applications.models import Cohort, Programme
from cohort_site.core.mixins import StaffRequiredMixin
from cohort_site.core.words import counted

from .. import funnel
from ..forms import NudgeForm


class FunnelView(StaffRequiredMixin, TemplateView):
    template_name = "learning/funnel.html"

    def dispatch(self, request, *args, **kwargs):
        self.programme = get_object_or_404(Programme, slug=kwargs["slug"])
        self.cohort = None
        group = request.GET.get("group", "")
        if group:
            if not group.isdigit():
                raise Http404
            self.cohort = get_object_or_404(Cohort, pk=int(group), programme=self.programme)
        return super().dispatch(request, *args, **kwargs)

    def forms(self, result: funnel.Funnel, data=None, posted: str = "") -> dict[str, NudgeForm]:
        """A nudge form for each step with people to nudge (the posted one bound to `data`)."""
        return {
            row.step.key: NudgeForm(
                data if row.step.key == posted else None,
                prefix=row.step.key,
                people=[(person, person.nudges[row.step.key]) for person in row.nudgeable],
            )
            for row in result.rows
            if row.nudgeable
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        result = kwargs.get("funnel") or funnel.programme_funnel(self.programme, cohort=self.cohort)
        forms = kwargs.get("forms") or self.forms(result)
        context.update(
            programme=self.programme,
            cohort=self.cohort,
            cohorts=list(self.programme.cohorts.order_by("number", "pk")),
            funnel=result,
            rows=[(row, forms.get(row.step.key)) for row in result.rows],
            max_nudges=funnel.MAX_NUDGES,
        )
        return context

    def post(self, request, *args, **kwargs):
        step = request.POST.get("step", "")
        if step not in funnel.STEPS_BY_KEY:
            raise Http404
        result = funnel.programme_funnel(self.programme, cohort=self.cohort)
        forms = self.forms(result, request.POST, posted=step)
        form = forms.get(step)
        if form is None or not form.is_valid():
            if form is None:
                messages.error(request, "Nobody is left to nudge at that step.")
                return redirect(self.here())
            return self.render_to_response(self.get_context_data(funnel=result, forms=forms))
        sent = funnel.funnel_nudge(
            programme=self.programme,
            step=step,
            seen=form.seen(),
            note=form.cleaned_data["note"],
            cohort=self.cohort,
        )
        messages.success(request, f"Nudged {counted(sent, 'person', 'people')}.")
        return redirect(self.here())

    def here(self) -> str:
        url = reverse("learning:funnel", kwargs={"slug": self.programme.slug})
        return f"{url}?group={self.cohort.pk}" if self.cohort is not None else url
