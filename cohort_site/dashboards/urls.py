from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("me/", views.MemberDashboardView.as_view(), name="member"),
    path("staff/", views.ManagerDashboardView.as_view(), name="manager"),
    path("staff/programmes/<slug:slug>/report/", views.ProgrammeReportView.as_view(), name="report"),
    path("staff/programmes/<slug:slug>/report.csv", views.programme_report_csv, name="report_csv"),
]
