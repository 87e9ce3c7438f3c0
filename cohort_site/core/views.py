from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse


@login_required
def after_login(request):
    """Where signing in lands: everyone on their dashboard, which answers "what do I need to do next?"."""
    if request.user.is_staff:
        return redirect(reverse("dashboards:manager"))
    return redirect(reverse("dashboards:member"))


def healthz(request):
    from django.http import HttpResponse

    return HttpResponse("ok", content_type="text/plain")


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def server_error(request):
    return render(request, "500.html", status=500)
