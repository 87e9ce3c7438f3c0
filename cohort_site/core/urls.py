from django.urls import path

from applications.views import CurrentProgrammeView

from . import views
from .views_privacy import PrivacyView

app_name = "core"

urlpatterns = [
    path("", CurrentProgrammeView.as_view(), name="home"),
    path("after-login/", views.after_login, name="after_login"),
    path("healthz", views.healthz, name="healthz"),
    path("privacy/", PrivacyView.as_view(), name="privacy"),
]
