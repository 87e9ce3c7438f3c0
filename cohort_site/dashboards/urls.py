from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("me/", views.MemberDashboardView.as_view(), name="member"),
    path("staff/", views.ManagerDashboardView.as_view(), name="manager"),
]
