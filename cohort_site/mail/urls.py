from django.urls import path

from . import views

app_name = "mail"

urlpatterns = [
    path("email/unsubscribe/<str:token>/", views.UnsubscribeView.as_view(), name="unsubscribe"),
    path("staff/outbox/", views.OutboxView.as_view(), name="outbox"),
    path("staff/outbox/<int:pk>/", views.OutboxEmailView.as_view(), name="outbox_email"),
    path("staff/outbox/<int:pk>/edit/", views.OutboxEmailEditView.as_view(), name="outbox_email_edit"),
    path("staff/outbox/<int:pk>/html/", views.OutboxEmailHtmlView.as_view(), name="outbox_email_html"),
]
