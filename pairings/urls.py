from django.urls import path

from . import views

app_name = "pairings"

urlpatterns = [
    path("coffee/", views.MyPairsView.as_view(), name="my_pairs"),
    path("coffee/met/<int:pk>/", views.MarkMetView.as_view(), name="mark_met"),
    path("coffee/alumni/", views.AlumniCoffeeView.as_view(), name="alumni"),
    path("coffee/skip/", views.SkipNextRoundView.as_view(), name="skip_next"),
    path("coffee/cohorts/<int:pk>/", views.CohortPlanView.as_view(), name="cohort_plan"),
    path("coffee/cohorts/<int:pk>/plan/", views.PlanCohortView.as_view(), name="plan"),
    path("coffee/rounds/<int:pk>/swap/", views.SwapView.as_view(), name="swap"),
    path("coffee/rounds/<int:pk>/publish/", views.PublishView.as_view(), name="publish"),
]
