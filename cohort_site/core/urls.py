from django.urls import path

from applications.views import CurrentProgrammeView

from . import views

# core:privacy is added in cohort_site/urls.py: its view is members' (it names the current programme).
app_name = "core"

urlpatterns = [
    path("", CurrentProgrammeView.as_view(), name="home"),
    path("after-login/", views.after_login, name="after_login"),
    path("healthz", views.healthz, name="healthz"),
]
