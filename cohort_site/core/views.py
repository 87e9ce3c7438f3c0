from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse

from .readiness import readiness_checks
from .rules import is_limited_staff


@login_required
def after_login(request):
    """Where signing in lands: everyone on their dashboard, which answers "what do I need to do next?"."""
    if is_limited_staff(request.user):
        return redirect(reverse("admin:index"))  # a reviewer works in the admin, on their programme only
    if request.user.is_staff:
        return redirect(reverse("dashboards:manager"))
    return redirect(reverse("dashboards:member"))


def healthz(request):
    """Liveness: the process answers. Readiness (can it do its work?) is /readyz."""
    from django.http import HttpResponse

    return HttpResponse("ok", content_type="text/plain")


def readyz(request):
    """Readiness: 200 when the database, the cache and the broker all answer; otherwise 503 naming what failed.
    What compose's health check and a load balancer ask before sending traffic."""
    from django.http import JsonResponse

    checks = readiness_checks()
    failed = [name for name, state in checks.items() if state not in ("ok", "not used")]
    return JsonResponse({"ready": not failed, "checks": checks}, status=503 if failed else 200)


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def server_error(request):
    return render(request, "500.html", status=500)
