"""The ceiling bench/ceiling.py measures pages against: one trivial Django view, with no middleware, no database,
no template and no session, served by the same gunicorn. What is left is Django's request handling and WSGI;
a page's share of this view's rate says how much of the possible it gets (the pretalx issue's yardstick).

    gunicorn --pythonpath bench ceiling_app:application
"""

from django.conf import settings

settings.configure(
    DEBUG=False,
    SECRET_KEY="ceiling-view-has-no-secrets",
    ALLOWED_HOSTS=["127.0.0.1"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
    USE_TZ=True,
)

import django  # noqa: E402

django.setup()

from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.urls import path  # noqa: E402


def ok(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("", ok)]
application = get_wsgi_application()
