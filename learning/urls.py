from django.urls import path

from . import views
from .network import urls as network_urls
from .views import funnel, outcomes

app_name = "learning"

urlpatterns = [
    path("learning/", views.EntryListView.as_view(), name="list"),
    path("learning/feed/", views.PublicEntriesFeed(), name="feed"),
    path("learning/entries/new/", views.EntryCreateView.as_view(), name="create"),
    path("learning/entries/<int:pk>/", views.EntryDetailView.as_view(), name="detail"),
    path("learning/entries/<int:pk>/edit/", views.EntryUpdateView.as_view(), name="edit"),
    path("learning/entries/<int:pk>/share/", views.entry_share, name="share"),
    path("learning/reading/", views.ReadingListView.as_view(), name="reading"),
    path("learning/reading/<int:pk>/tick/", views.reading_tick, name="reading_tick"),
    path("learning/feedback/", views.MyFeedbackView.as_view(), name="my_feedback"),
    path(
        "learning/feedback/sessions/<int:session_id>/",
        views.SessionFeedbackView.as_view(),
        name="session_feedback",
    ),
    path("learning/surveys/<int:pk>/", views.SurveyView.as_view(), name="survey"),
    path("learning/manage/", views.ManageView.as_view(), name="manage"),
    path("learning/manage/programmes/<slug:slug>/", views.ProgrammeResultsView.as_view(), name="results"),
    path(
        "learning/manage/programmes/<slug:slug>/session-feedback.csv",
        views.programme_feedback_csv,
        name="results_csv",
    ),
    path("learning/manage/programmes/<slug:slug>/funnel/", funnel.FunnelView.as_view(), name="funnel"),
    path(
        "learning/manage/programmes/<slug:slug>/outcomes/",
        outcomes.OutcomesView.as_view(),
        name="outcomes",
    ),
    path(
        "learning/manage/sessions/<int:session_id>/",
        views.SessionResultsView.as_view(),
        name="session_results",
    ),
    path("learning/manage/surveys/<int:pk>/", views.SurveyResultsView.as_view(), name="survey_results"),
    path("learning/manage/surveys/<int:pk>/edit/", views.SurveyEditView.as_view(), name="survey_edit"),
    path("learning/manage/surveys/<int:pk>/responses.csv", views.survey_csv, name="survey_csv"),
    *network_urls.urlpatterns,
]
