from django.urls import path

from . import views

app_name = "applications"

urlpatterns = [
    path("programmes/", views.ProgrammeListView.as_view(), name="programmes"),
    path("programmes/<slug:slug>/preview/", views.ProgrammePreviewView.as_view(), name="programme_preview"),
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
    path(
        "my-application/<str:token>/data.json", views.ApplicationDataExportView.as_view(), name="data_export"
    ),
    path("my-application/<str:token>/erase/", views.ApplicationEraseView.as_view(), name="erase"),
    # Selection: the manager's pages, then the applicant's answer.
    path(
        "selection/programmes/<slug:slug>/",
        views.ProgrammeSelectionView.as_view(),
        name="selection_programme",
    ),
    path(
        "selection/programmes/<slug:slug>/next-group/",
        views.NextCohortView.as_view(),
        name="selection_next",
    ),
    path(
        "selection/programmes/<slug:slug>/propose/",
        views.ProposeGroupsView.as_view(),
        name="selection_propose",
    ),
    path(
        "selection/programmes/<slug:slug>/propose/offers/",
        views.ProposalOffersView.as_view(),
        name="selection_propose_offers",
    ),
    path(
        "selection/programmes/<slug:slug>/emails/",
        views.DecisionEmailsView.as_view(),
        name="selection_emails",
    ),
    path("selection/groups/<int:pk>/", views.CohortSelectionView.as_view(), name="selection_cohort"),
    path("selection/groups/<int:pk>/promote/", views.PromoteView.as_view(), name="selection_promote"),
    path(
        "selection/groups/<int:pk>/from-waitlist/",
        views.FromWaitlistView.as_view(),
        name="selection_from_waitlist",
    ),
    path(
        "selection/decide/<str:action>/",
        views.DecideView.as_view(),
        name="selection_decide",
    ),
    path(
        "selection/waitlist/<int:pk>/move/",
        views.WaitlistMoveView.as_view(),
        name="selection_waitlist_move",
    ),
    path("offer/<str:token>/", views.OfferRespondView.as_view(), name="offer_respond"),
    path("next-group/<str:token>/", views.NextGroupView.as_view(), name="next_group"),
    path("my-place/", views.MyPlaceView.as_view(), name="my_place"),
]
