from django.urls import path

from . import views
from .topics import views as topics

app_name = "sessions"

urlpatterns = [
    path("schedule/", views.MyScheduleView.as_view(), name="my_schedule"),
    path("schedule/sessions/<int:pk>/apologies/", views.apologies, name="apologies"),
    path("schedule/calendar/reset/", views.calendar_reset, name="calendar_reset"),
    path("schedule/sessions/<int:pk>/notes/", views.SessionNotesView.as_view(), name="session_notes"),
    path("schedule/groups/<int:pk>/topics/", topics.GroupTopicsView.as_view(), name="topics"),
    path("join/<str:token>/", views.join, name="join"),
    path("calendar/<int:user_id>/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("schedule/offer-to-contribute/", views.GuestOfferView.as_view(), name="guest_offer"),
    path("staff/schedule/guest-offers/", views.GuestOfferListView.as_view(), name="guest_offers"),
    path(
        "staff/schedule/guest-offers/<int:pk>/invite/",
        views.GuestOfferInviteView.as_view(),
        name="guest_offer_invite",
    ),
    path("staff/schedule/", views.CohortListView.as_view(), name="cohorts"),
    path("staff/schedule/cohorts/<int:pk>/", views.CohortScheduleView.as_view(), name="cohort_schedule"),
    path(
        "staff/schedule/cohorts/<int:pk>/invites/", views.CohortInvitesView.as_view(), name="cohort_invites"
    ),
    path(
        "staff/schedule/cohorts/<int:pk>/change-time/", views.CohortRetimeView.as_view(), name="cohort_retime"
    ),
    path("staff/schedule/cohorts/<int:pk>/add/", views.SessionAddView.as_view(), name="session_add"),
    path("staff/schedule/sessions/<int:pk>/", views.SessionManageView.as_view(), name="session"),
    path(
        "staff/schedule/sessions/<int:pk>/notes/",
        views.SessionNotesEditView.as_view(),
        name="session_notes_edit",
    ),
    path("staff/schedule/cohorts/<int:pk>/topics/", topics.TopicsManageView.as_view(), name="topics_manage"),
]
