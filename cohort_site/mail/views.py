from django.core import signing
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from .services import UNSUBSCRIBE_SALT, opt_out_record


@method_decorator(
    csrf_exempt, name="dispatch"
)  # mail clients' one-click POST (RFC 8058) carries no CSRF token
class UnsubscribeView(View):
    """Stop one optional kind of email. The signed token is the permission: no sign-in needed, nothing to forge."""

    template_name = "mail/unsubscribe.html"

    def get_payload(self, token: str) -> dict | None:
        try:
            return signing.loads(token, salt=UNSUBSCRIBE_SALT)
        except signing.BadSignature:
            return None

    def get(self, request, token):
        payload = self.get_payload(token)
        if payload is None:
            return render(request, self.template_name, {"invalid": True}, status=404)
        return render(request, self.template_name, {"payload": payload, "done": False})

    def post(self, request, token):
        payload = self.get_payload(token)
        if payload is None:
            return render(request, self.template_name, {"invalid": True}, status=404)
        opt_out_record(email=payload["email"], kind=payload["kind"])
        return render(request, self.template_name, {"payload": payload, "done": True})
