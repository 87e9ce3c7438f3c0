from django.contrib.auth.mixins import LoginRequiredMixin
from django.utils import timezone
from django.views.generic import TemplateView

from cohort_site.core.mixins import StaffRequiredMixin
from sessions_app.views import calendar_feed_url

from .selectors import manager_actions, member_dashboard, programme_pipelines


class MemberDashboardView(LoginRequiredMixin, TemplateView):
    """Where a member lands after signing in: what to do next, the next session, coffee, learning."""

    template_name = "dashboards/member.html"

    def get_context_data(self, **kwargs):
        now = timezone.now()
        return super().get_context_data(
            dashboard=member_dashboard(self.request.user, now=now),
            feed_url=calendar_feed_url(self.request, self.request.user),
            now=now,
            **kwargs,
        )


class ManagerDashboardView(StaffRequiredMixin, TemplateView):
    """Where staff land: the pipeline of each recent programme, each cohort's health, and what is waiting."""

    template_name = "dashboards/manager.html"

    def get_context_data(self, **kwargs):
        now = timezone.now()
        return super().get_context_data(
            pipelines=programme_pipelines(now=now), actions=manager_actions(now=now), now=now, **kwargs
        )
