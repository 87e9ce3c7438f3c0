from django.views.generic import TemplateView

from applications.selectors import programme_current

from .retention import retention_rules


class PrivacyView(TemplateView):
    """What is kept about people, why and for how long: the periods are the ones `enforce_retention` applies."""

    template_name = "core/privacy.html"

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "rules": retention_rules(),
            "programme": programme_current(),
        }
