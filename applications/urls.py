from django.urls import path

from . import views

app_name = "applications"

urlpatterns = [
    path("programmes/<slug:slug>/", views.ProgrammeDetailView.as_view(), name="programme"),
    path("programmes/<slug:slug>/interest/", views.InterestView.as_view(), name="interest"),
    path(
        "programmes/<slug:slug>/interest/thank-you/",
        views.InterestThanksView.as_view(),
        name="interest_thanks",
    ),
    path("programmes/<slug:slug>/apply/", views.ApplyView.as_view(), name="apply"),
    path("programmes/<slug:slug>/apply/thank-you/", views.ApplyThanksView.as_view(), name="apply_thanks"),
    path("programmes/<slug:slug>/privacy/", views.PrivacyView.as_view(), name="privacy"),
    path("my-application/<str:token>/", views.ApplicationPrivateView.as_view(), name="private"),
    path("my-application/<str:token>/edit/", views.ApplicationEditView.as_view(), name="edit"),
    path("my-application/<str:token>/withdraw/", views.ApplicationWithdrawView.as_view(), name="withdraw"),
]
