from django.conf import settings


def site(request):
    return {"SITE_NAME": "Connection Coalition cohorts", "SITE_URL": settings.SITE_URL}
