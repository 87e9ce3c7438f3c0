from functools import partial

from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.generic import TemplateView

from applications.models import Programme
from cohort_site.core.csv import csv_response
from cohort_site.core.mixins import StaffRequiredMixin, staff_required
from cohort_site.core.programme_filter import programme_filter
from learning.outcomes import MIN_ANSWERS
from sessions_app.views import calendar_feed_url

from .member_page import member_page_keep, member_page_lookup, minute_of
from .report import programme_report, report_rows
from .selectors import manager_actions, member_dashboard, programme_pipelines


class MemberDashboardView(LoginRequiredMixin, TemplateView):
    """Where a member lands after signing in: what to do next, the next session, coffee, learning."""

    template_name = "dashboards/member.html"

    def get(self, request, *args, **kwargs):
        # Rendered for the start of the minute, so the page is the same all minute long and may be kept for it.
        self.now = minute_of(timezone.now())
        kept, lookup = member_page_lookup(request, minute=self.now)
        if kept is not None:
            return kept
        response = super().get(request, *args, **kwargs)
        if lookup is not None:
            response.add_post_render_callback(partial(member_page_keep, lookup))
        return response

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            dashboard=member_dashboard(self.request.user, now=self.now),
            feed_url=calendar_feed_url(self.request, self.request.user),
            now=self.now,
            **kwargs,
        )


class ManagerDashboardView(StaffRequiredMixin, TemplateView):
    """Where staff land: the pipeline of each recent programme, each cohort's health, and what is waiting; or
    only one programme's, chosen with `?programme=<slug>`."""

    template_name = "dashboards/manager.html"

    def get_context_data(self, **kwargs):
        now = timezone.now()
        chosen = programme_filter(self.request)
        return super().get_context_data(
            programme_filter=chosen,
            pipelines=programme_pipelines(now=now, programme=chosen.programme, programmes=chosen.programmes),
            actions=manager_actions(now=now, programme=chosen.programme),
            now=now,
            **kwargs,
        )


class ProgrammeReportView(StaffRequiredMixin, TemplateView):
    """One page for funders and the network, printable from the browser (static/css/report.css)."""

    template_name = "dashboards/report.html"

    def get_context_data(self, **kwargs):
        programme = get_object_or_404(Programme, slug=self.kwargs["slug"])
        now = timezone.now()
        report = programme_report(programme, now=now)
        return super().get_context_data(
            programme=programme,
            report=report,
            results=report.outcomes,
            min_answers=MIN_ANSWERS,
            now=now,
            **kwargs,
        )


@staff_required
def programme_report_csv(request, slug: str):
    programme = get_object_or_404(Programme, slug=slug)
    report = programme_report(programme, now=timezone.now())
    header = ["Section", "What", "Figure", "Out of", "Share"]
    return csv_response(f"{programme.slug}-report.csv", header, report_rows(report, programme.tz))
