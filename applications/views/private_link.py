"""The applicant's private link: view, edit until the deadline, withdraw, download and erase their data."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views import View

from cohort_site.core.data_subjects import personal_data_export_json
from cohort_site.core.dates import DAY_AT_TIME, local_text, zone_label
from cohort_site.core.forms import ErasureConfirmForm

from ..enums import ApplicationStatus
from ..forms import ApplicationForm
from ..links import LinkExpired, LinkInvalid, application_from_token, offer_token
from ..models import Application
from ..selectors import (
    application_answers,
    member_organisation_names,
    offers_sent,
)
from ..services import (
    ALLOWED_TRANSITIONS,
    applicant_erase,
    applicant_subject,
    application_edit_refusal,
    application_update,
    application_withdraw,
    current_offer,
    deadline_text,
)


class PrivateLinkMixin:
    """Views reached by the applicant's signed link. A forged link is a 404; an expired one says so (410)."""

    def dispatch(self, request, *args, **kwargs):
        try:
            self.application = application_from_token(kwargs["token"])
        except LinkInvalid:
            return render(request, "applications/link_refused.html", {"reason": "invalid"}, status=404)
        except LinkExpired as expired:
            context = {
                "reason": "expired",
                "programme": expired.application.programme,
                "deadline": deadline_text(expired.application.programme),
                "retention_days": settings.RECRUITMENT_RETENTION.days,
            }
            return render(request, "applications/link_refused.html", context, status=410)
        self.programme = self.application.programme
        response = super().dispatch(request, *args, **kwargs)
        # The token is a password: keep the page out of caches. (The site's Referrer-Policy, same-origin, keeps
        # the link out of other sites' logs; no-referrer would make browsers send Origin: null, failing CSRF.)
        add_never_cache_headers(response)
        return response

    @property
    def edit_refusal(self) -> str | None:
        return application_edit_refusal(self.application, timezone.now())

    @property
    def can_change(self) -> bool:
        return self.edit_refusal is None

    @property
    def can_withdraw(self) -> bool:
        return ApplicationStatus.WITHDRAWN in ALLOWED_TRANSITIONS[self.application.status]

    def base_context(self, **extra) -> dict:
        return {
            "programme": self.programme,
            "application": self.application,
            "token": self.kwargs["token"],
            "deadline": deadline_text(self.programme),
            "can_change": self.can_change,
            "can_withdraw": self.can_withdraw,
            **extra,
        }


class ApplicationPrivateView(PrivateLinkMixin, View):
    def get(self, request, token):
        context = self.base_context(answers=application_answers(self.application), **self.open_offer())
        return render(request, "applications/application_private.html", context)

    def open_offer(self) -> dict:
        """An offer emailed and still open: its group, deadline and the buttons of the offer email's page, so the
        answer never depends on finding that one email. A draft nobody has sent yet is not shown."""
        application = self.application
        if application.status != ApplicationStatus.OFFERED:
            return {}
        if not offers_sent().filter(pk=application.pk, offer_expires_at__gt=timezone.now()).exists():
            return {}
        offer = current_offer(application)
        return {
            "offer_token": offer_token(application=application, offer=offer),
            "offer_deadline": local_text(application.offer_expires_at, self.programme.tz, DAY_AT_TIME),
            "offer_zone": zone_label(self.programme.timezone),
        }


class ApplicationEditView(PrivateLinkMixin, View):
    template_name = "applications/application_form.html"

    def render_form(self, form):
        context = self.base_context(form=form, editing=True, organisation_names=member_organisation_names())
        return render(self.request, self.template_name, context)

    def refuse(self, request, token):
        messages.info(request, self.edit_refusal)
        return redirect("applications:private", token=token)

    def get(self, request, token):
        if not self.can_change:
            return self.refuse(request, token)
        form = ApplicationForm(instance=self.application, programme=self.programme, editing=True)
        return self.render_form(form)

    def post(self, request, token):
        if not self.can_change:
            return self.refuse(request, token)
        form = ApplicationForm(
            request.POST, instance=self.application, programme=self.programme, editing=True
        )
        if not form.is_valid():
            return self.render_form(form)
        try:
            application_update(
                application=self.application,
                answers=form.answers(),
                availability=form.availability(),
                question_answers=form.question_answers(),
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
            return self.render_form(form)
        messages.success(request, "Your answers are saved. We have emailed you a copy.")
        return redirect("applications:private", token=token)


class ApplicationWithdrawView(PrivateLinkMixin, View):
    def get(self, request, token):
        if not self.can_withdraw:
            return redirect("applications:private", token=token)
        return render(request, "applications/application_withdraw.html", self.base_context())

    def post(self, request, token):
        erase = request.POST.get("erase") == "on"
        programme = self.programme
        was_member = self.application.status == ApplicationStatus.CONFIRMED
        try:
            remaining = application_withdraw(application=self.application, erase=erase)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("applications:private", token=token)
        if remaining is None:
            return render(request, "applications/application_erased.html", {"programme": programme})
        messages.success(
            request,
            "You have left your group. We have emailed you a confirmation. Thank you for letting us know."
            if was_member
            else "You have withdrawn your application. Thank you for letting us know.",
        )
        return HttpResponseRedirect(reverse("applications:private", kwargs={"token": token}))


def applicant_erasure_form(*args) -> ErasureConfirmForm:
    form = ErasureConfirmForm(*args)
    form.fields["confirm"].help_text = (
        "This removes your name, email address and answers from everything we hold, and closes your account if "
        "you have one. It cannot be undone."
    )
    return form


class ApplicationDataExportView(PrivateLinkMixin, View):
    """Everything held about the applicant, as one JSON file: the same export members download."""

    def get(self, request, token):
        export = personal_data_export_json(applicant_subject(self.application))
        response = HttpResponse(export, content_type="application/json")
        response["Content-Disposition"] = 'attachment; filename="my-data.json"'
        return response


def erase_preview(application: Application) -> dict[str, list[str]]:
    """What erasing through the private link does, and who is told (nobody): for the "are you sure" panel."""
    what = [
        "Your name, email address and answers are removed from your application, any expression of interest "
        "and every email we sent you. This link then stops working. This cannot be undone.",
    ]
    if application.user_id is not None:
        what.append("Your account is closed, with everything in it: learning entries, feedback and expenses.")
    what.append("Anonymous counts stay, so the programme's figures still add up.")
    return {"what_happens": what, "emailed": []}


class ApplicationEraseView(PrivateLinkMixin, View):
    """Erase everything held about the applicant (and their account, if any). Only a confirmed POST erases."""

    template_name = "applications/application_erase.html"

    def get(self, request, token):
        return render(
            request,
            self.template_name,
            self.base_context(form=applicant_erasure_form(), preview=erase_preview(self.application)),
        )

    def post(self, request, token):
        form = applicant_erasure_form(request.POST)
        if not form.is_valid():
            return render(
                request,
                self.template_name,
                self.base_context(form=form, preview=erase_preview(self.application)),
                status=400,
            )
        if self.application.user is not None and request.user == self.application.user:
            logout(request)
        programme = self.programme
        applicant_erase(application=self.application)
        return render(request, "applications/application_data_erased.html", {"programme": programme})
