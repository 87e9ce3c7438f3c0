from django.contrib import messages
from django.core import signing
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import DetailView, ListView

from cohort_site.core.mixins import StaffRequiredMixin
from cohort_site.core.programme_filter import ProgrammeFilter, programme_filter
from cohort_site.core.words import counted

from .enums import EmailStatus
from .forms import EmailDraftForm, OutboxActionForm, OutboxFilterForm
from .models import OutgoingEmail
from .selectors import outbox_counts, outbox_emails, outbox_kinds
from .services import (
    UNSUBSCRIBE_SALT,
    EditRefused,
    email_draft_edit,
    email_draft_edit_undo,
    email_html,
    emails_resend_unknown,
    emails_retry_failed,
    emails_send_drafts,
    opt_out_record,
)


class OutboxView(StaffRequiredMixin, ListView):
    """The manager's view of every message: what is waiting, sent, failed and why; one programme's, with
    `?programme=<slug>` (the emails about its applications, groups, sessions, coffee pairs, entries, expenses:
    `mail.programmes`)."""

    template_name = "mail/outbox.html"
    context_object_name = "emails"
    paginate_by = 50

    @cached_property
    def programme_filter(self) -> ProgrammeFilter:
        return programme_filter(self.request)

    @cached_property
    def filter_form(self) -> OutboxFilterForm:
        return OutboxFilterForm(self.request.GET or None, kinds=outbox_kinds())

    def get_queryset(self):
        form = self.filter_form
        filters = form.cleaned_data if form.is_valid() else {}
        return outbox_emails(
            kind=filters.get("kind", ""),
            status=filters.get("status", ""),
            programme=self.programme_filter.programme,
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter_form"] = self.filter_form
        context["programme_filter"] = self.programme_filter
        context["counts"] = outbox_counts(programme=self.programme_filter.programme)
        return context

    def post(self, request):
        form = OutboxActionForm(request.POST)
        if not form.is_valid():
            for error in form.errors.get("emails", []) + form.errors.get("action", []):
                messages.error(request, error)
            return redirect(request.get_full_path())
        ids = [email.pk for email in form.cleaned_data["emails"]]
        action = form.cleaned_data["action"]
        if action == OutboxActionForm.SEND_DRAFTS:
            try:
                count = emails_send_drafts(email_ids=ids)
            except EditRefused as refusal:
                messages.error(request, refusal.message)
                return redirect(request.get_full_path())
            messages.success(request, f"{counted(count, 'draft')} queued to send.")
        elif action == OutboxActionForm.RETRY_FAILED:
            count = emails_retry_failed(email_ids=ids)
            messages.success(request, f"{counted(count, 'failed message')} queued again.")
        else:
            count = emails_resend_unknown(email_ids=ids)
            messages.success(request, f"{counted(count, 'message')} queued to send again.")
        return redirect(request.get_full_path())


class OutboxEmailView(StaffRequiredMixin, DetailView):
    template_name = "mail/outbox_email.html"
    context_object_name = "email"

    def get_queryset(self):
        return OutgoingEmail.objects.prefetch_related("attachments")


class OutboxEmailEditView(StaffRequiredMixin, View):
    """A draft's subject and text, edited before it is sent (the edit is kept, and is what is sent)."""

    template_name = "mail/outbox_email_edit.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.email = get_object_or_404(OutgoingEmail, pk=kwargs["pk"], status=EmailStatus.DRAFT)
        if self.email.secrets:
            raise Http404("An email holding a sign-in code cannot be edited.")

    def render_form(self, form, status=200):
        context = {"email": self.email, "form": form, "back": self.back_url()}
        return render(self.request, self.template_name, context, status=status)

    def back_url(self) -> str:
        back = self.request.GET.get("next") or self.request.POST.get("next") or ""
        if back.startswith("/") and not back.startswith("//"):
            return back
        return reverse("mail:outbox_email", kwargs={"pk": self.email.pk})

    def get(self, request, pk):
        return self.render_form(
            EmailDraftForm(initial={"subject": self.email.subject, "body_text": self.email.body_text})
        )

    def post(self, request, pk):
        try:
            if request.POST.get("action") == "undo":
                email_draft_edit_undo(email=self.email)
                messages.success(request, "The draft is back to the programme's own wording.")
                return redirect(self.back_url())
            form = EmailDraftForm(request.POST)
            if not form.is_valid():
                return self.render_form(form, status=400)
            email_draft_edit(
                email=self.email,
                subject=form.cleaned_data["subject"],
                body_text=form.cleaned_data["body_text"],
            )
        except EditRefused as refusal:
            messages.error(request, refusal.message)
            return redirect("mail:outbox_email", pk=self.email.pk)
        messages.success(
            request, f"Draft to {self.email.to} saved. It is sent as you wrote it when you send it."
        )
        return redirect(self.back_url())


class OutboxEmailHtmlView(StaffRequiredMixin, View):
    """The HTML body alone, for the preview's sandboxed frame; its own strict policy lets the email's styles show."""

    def get(self, request, pk):
        email = get_object_or_404(OutgoingEmail, pk=pk)
        response = HttpResponse(email_html(email), content_type="text/html; charset=utf-8")
        response["Content-Security-Policy"] = (
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; sandbox"
        )
        response["X-Frame-Options"] = "SAMEORIGIN"
        return response


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
