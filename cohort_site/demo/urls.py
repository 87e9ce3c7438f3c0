from django.urls import path

from . import views

app_name = "demo"

urlpatterns = [
    path("demo/sign-in-as/<slug:role>/", views.DemoSignInView.as_view(), name="sign_in_as"),
]
