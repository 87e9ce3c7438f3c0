from django.contrib import messages
from django.contrib.auth import login
from django.http import Http404
from django.shortcuts import redirect
from django.views import View

from cohort_site.demo.accounts import demo_account


class DemoSignInView(View):
    """POST only: signs the visitor in as the demo manager or member. 404 with DEBUG off or before seeding."""

    http_method_names = ["post"]

    def post(self, request, role: str):
        account = demo_account(role)
        if account is None:
            raise Http404
        login(request, account, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"You are signed in as the demo {role}, {account.name or account.email}.")
        return redirect("core:after_login")
