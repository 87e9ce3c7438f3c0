from django.urls import path

from . import views

# Included by learning/urls.py, in the learning namespace.
urlpatterns = [
    path("network/events/", views.EventListView.as_view(), name="events"),
    path("network/events/<int:pk>/", views.EventDetailView.as_view(), name="event"),
    path("network/events/<int:pk>/registered/", views.EventRegisteredView.as_view(), name="event_registered"),
    path("network/registrations/<str:token>/", views.EventCancelView.as_view(), name="event_cancel"),
    path("network/digest/", views.DigestSubscribeView.as_view(), name="digest_subscribe"),
    path("network/digest/thanks/", views.DigestSubscribedView.as_view(), name="digest_subscribed"),
    path("network/digest/confirm/<str:token>/", views.DigestConfirmView.as_view(), name="digest_confirm"),
    path("learning/events/propose/", views.EventProposeView.as_view(), name="event_propose"),
    path("learning/manage/events/", views.EventManageView.as_view(), name="events_manage"),
    path("learning/manage/events/new/", views.EventFormView.as_view(), name="event_create"),
    path("learning/manage/events/<int:pk>/", views.EventFormView.as_view(), name="event_edit"),
    path("learning/manage/events/<int:pk>/cancel/", views.EventCallOffView.as_view(), name="event_call_off"),
    path("learning/manage/digest/", views.DigestView.as_view(), name="digest"),
]
