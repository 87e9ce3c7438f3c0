from django.urls import path

from . import views

# core:privacy is added in cohort_site/urls.py: its view is members' (it names the current programme).
app_name = "core"

# The home page joins this namespace in cohort_site/urls.py: it is recruitment's page, and core imports no app.
urlpatterns = [
    path("after-login/", views.after_login, name="after_login"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
]
