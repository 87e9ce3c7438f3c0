from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from applications.views import CurrentProgrammeView
from cohort_site.core import sign_in
from cohort_site.core import urls as core_urls
from cohort_site.members.views import PrivacyView

admin.site.site_header = settings.SITE_NAME
admin.site.site_title = "Cohorts admin"

# The home page (the current programme's page) and the privacy page (members': the layer that owns data rights)
# keep their names core:home and core:privacy, which every layer's templates link to, by joining core's namespace
# here: core's own urls cannot import the layers above it.
core_patterns = [
    path("", CurrentProgrammeView.as_view(), name="home"),
    *core_urls.urlpatterns,
    path("privacy/", PrivacyView.as_view(), name="privacy"),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    # allauth's two sign-in pages, open even while a code is pending (cohort_site/core/sign_in.py); the rest is its own.
    path("accounts/login/", sign_in.SignInView.as_view(), name="account_login"),
    path("accounts/login/code/", sign_in.SignInRequestCodeView.as_view(), name="account_request_login_code"),
    path("accounts/", include("allauth.urls")),
    path("", include((core_patterns, core_urls.app_name))),
    path("", include("cohort_site.dashboards.urls")),
    path("", include("applications.urls")),
    path("", include("cohort_site.mail.urls")),
    path("", include("cohort_site.members.urls")),
    path("", include("sessions_app.urls")),
    path("", include("learning.urls")),
    path("", include("pairings.urls")),
    # The demo's "sign in as" shortcut: every request is refused (404) unless DEBUG is on and the demo is seeded.
    path("", include("cohort_site.demo.urls")),
]

handler400 = "cohort_site.core.views.bad_request"
handler404 = "cohort_site.core.views.page_not_found"
handler403 = "cohort_site.core.views.permission_denied"
handler500 = "cohort_site.core.views.server_error"
