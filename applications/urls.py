from django.urls import path

from . import views

app_name = "applications"

urlpatterns = [
    path("programmes/<slug:slug>/", views.ProgrammeDetailView.as_view(), name="programme"),
]
