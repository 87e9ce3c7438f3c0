from django.http import Http404
from django.views.generic import DetailView

from .selectors import programme_current, programmes_published


class ProgrammeDetailView(DetailView):
    template_name = "applications/programme_detail.html"
    context_object_name = "programme"

    def get_queryset(self):
        return programmes_published().prefetch_related("sections", "drop_ins")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["phase"] = self.object.phase()
        return context


class CurrentProgrammeView(ProgrammeDetailView):
    """The home page: the current programme, so the call is one click from anywhere."""

    def get_object(self, queryset=None):
        programme = programme_current()
        if programme is None:
            raise Http404("No programme is published yet.")
        return self.get_queryset().get(pk=programme.pk)
