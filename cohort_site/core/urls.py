from django.urls import path

from . import views
from .views_privacy import PrivacyView

app_name = "core"

# The home page joins this namespace in cohort_site/urls.py: it is recruitment's page, and core imports no app.
urlpatterns = [
    path("after-login/", views.after_login, name="after_login"),
    path("healthz", views.healthz, name="healthz"),
    path("privacy/", PrivacyView.as_view(), name="privacy"),
]
