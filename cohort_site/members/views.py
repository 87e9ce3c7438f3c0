from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.views import View
from django.views.generic import FormView, ListView, TemplateView, UpdateView

from applications.enums import ApplicationStatus
from applications.models import Application, Cohort
from applications.selectors import is_member, memberships_of, programme_current
from applications.services import person_erase
from cohort_site.core.backups.services import backup_retention
from cohort_site.core.csv import csv_response
from cohort_site.core.data_subjects import (
    DataSubject,
    personal_data_export_json,
    personal_data_export_zip,
)
from cohort_site.core.forms import ErasureConfirmForm
from cohort_site.core.mixins import StaffRequiredMixin
from cohort_site.core.programme_filter import programme_filter
from cohort_site.core.requests import safe_next
from cohort_site.core.retention import retention_rules
from cohort_site.mail.services import opted_out_kinds

from .enums import ExpenseStatus
from .forms import ExpenseDecisionForm, ExpenseForm, LeaveForm, ProfileForm, StaffErasureForm
from .models import Expense
from .rules import can_claim_expenses, can_view_expense
from .selectors import expenses_for_review, expenses_of, leave_preview, programme_of_member
from .services import expense_set_status, expense_submit, member_leave, user_profile_update


class ProfileView(LoginRequiredMixin, UpdateView):
    template_name = "members/profile.html"
    form_class = ProfileForm
    success_url = reverse_lazy("members:profile")

    def get_object(self, queryset=None):
        return self.request.user

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "opted_out": opted_out_kinds(email=self.request.user.email)}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "is_member": is_member(self.request.user)}

    def form_valid(self, form):
        user_profile_update(user=self.request.user, data=form.cleaned_data)
        messages.success(self.request, "Your profile is saved.")
        return redirect(self.success_url)


class MemberRequiredMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can_claim_expenses(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class ExpenseListCreateView(MemberRequiredMixin, FormView):
    """A member's claims and the form to make a new one."""

    template_name = "members/expenses.html"
    form_class = ExpenseForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["expenses"] = expenses_of(self.request.user)
        return context

    def form_valid(self, form):
        programme = programme_of_member(self.request.user)
        try:
            expense, created = expense_submit(
                claimant=self.request.user,
                programme=programme,
                category=form.cleaned_data["category"],
                amount=form.cleaned_data["amount"],
                spent_on=form.cleaned_data["spent_on"],
                description=form.cleaned_data["description"],
                receipt=form.cleaned_data["receipt"],
                receipt_mimetype=form.receipt_mimetype,
                submission_token=form.cleaned_data["submission_token"],
            )
        except ValidationError as refusal:
            form.add_error(None, refusal)
            return self.form_invalid(form)
        if created:
            messages.success(
                self.request, f"Your claim for £{expense.amount} is sent; we'll email you the decision."
            )
        else:
            messages.info(self.request, "We already have this claim; it was not sent twice.")
        return redirect("members:expenses")


class ExpenseReceiptView(LoginRequiredMixin, View):
    """The receipt file, to its claimant and staff only; no public URL exists."""

    def get(self, request, pk):
        expense = get_object_or_404(Expense, pk=pk)
        if not can_view_expense(request.user, expense):
            raise Http404
        extension = expense.receipt.name.rsplit(".", 1)[-1]
        response = FileResponse(
            expense.receipt.open("rb"),
            content_type=expense.receipt_mimetype,
            as_attachment=True,
            filename=f"receipt-{expense.pk}.{extension}",
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response


class ExpenseReviewView(StaffRequiredMixin, ListView):
    template_name = "members/expense_review.html"
    context_object_name = "expenses"
    paginate_by = 50

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.programme_filter = programme_filter(request)

    def get_queryset(self):
        status = self.request.GET.get("status", ExpenseStatus.SUBMITTED)
        return expenses_for_review(
            status=status if status in ExpenseStatus.values else "", programme=self.programme_filter.programme
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["programme_filter"] = self.programme_filter
        context["status_choices"] = ExpenseStatus.choices
        context["current_status"] = self.request.GET.get("status", ExpenseStatus.SUBMITTED)
        # One form per claim, each with its own ids: a label must tick its own claim's field.
        for expense in context["expenses"]:
            expense.decision_form = ExpenseDecisionForm(auto_id=f"expense_{expense.pk}_%s")
        return context


class ExpenseDecideView(StaffRequiredMixin, View):
    def post(self, request, pk):
        expense = get_object_or_404(Expense, pk=pk)
        form = ExpenseDecisionForm(request.POST)
        if form.is_valid():
            try:
                expense_set_status(
                    expense=expense,
                    status=form.cleaned_data["status"],
                    by=request.user,
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request, f"Claim {expense.pk} is now {expense.get_status_display().lower()}."
                )
        else:
            for errors in form.errors.values():
                messages.error(request, " ".join(errors))
        return redirect(safe_next(request, default=reverse("members:expense_review")))


class ExpenseCsvView(StaffRequiredMixin, View):
    """For the finance team: every claim, one row each (one programme's, with `?programme=<slug>`; a programme
    that does not exist is a 404 rather than every claim under its name)."""

    def get(self, request):
        chosen = programme_filter(request)
        if chosen.form.errors:
            raise Http404("No such programme.")
        programme = chosen.programme
        header = [
            "id",
            "claimant",
            "email",
            "programme",
            "category",
            "amount_gbp",
            "date",
            "description",
            "status",
            "decided_at",
            "paid_at",
        ]
        rows = (
            [
                expense.pk,
                expense.claimant.name,
                expense.claimant.email,
                expense.programme.title,
                expense.get_category_display(),
                f"{expense.amount:.2f}",
                expense.spent_on.isoformat(),
                expense.description,
                expense.get_status_display(),
                expense.decided_at.isoformat() if expense.decided_at else "",
                expense.paid_at.isoformat() if expense.paid_at else "",
            ]
            for expense in expenses_for_review(programme=programme).order_by("created_at", "pk")
        )
        return csv_response(f"expenses-{programme.slug}.csv" if programme else "expenses.csv", header, rows)


# Erasing a person, said before it happens (the "are you sure" panel): nobody is emailed about it.
ERASE_YOUR_DATA = {
    "what_happens": [
        "Your name, email address and everything you wrote (applications, learning entries, feedback, expenses "
        "and the text of the emails we sent you) are removed, and your account is closed. This cannot be undone.",
        "Anonymous counts (how many people took part, attendance figures) stay.",
    ],
    "emailed": [],
}
ERASE_SOMEONE = {
    "what_happens": [
        "Every record held about the address is erased: applications and expressions of interest, the account "
        "and everything in it (learning entries, feedback, expenses), and the text of every email sent to it. "
        "This cannot be undone.",
        "Anonymous counts stay, so the programme's figures still add up.",
    ],
    "emailed": [],
}


class MyDataView(LoginRequiredMixin, View):
    """Download everything held about you, or ask for it to be erased."""

    template_name = "members/my_data.html"

    def get(self, request):
        subject = DataSubject.for_user(request.user)
        download = request.GET.get("download")
        if download == "json":
            response = HttpResponse(personal_data_export_json(subject), content_type="application/json")
            response["Content-Disposition"] = 'attachment; filename="my-data.json"'
            return response
        if download == "zip":
            response = HttpResponse(personal_data_export_zip(subject), content_type="application/zip")
            response["Content-Disposition"] = 'attachment; filename="my-data.zip"'
            return response
        return render(request, self.template_name, {"form": ErasureConfirmForm(), "preview": ERASE_YOUR_DATA})

    def post(self, request):
        form = ErasureConfirmForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form, "preview": ERASE_YOUR_DATA}, status=400)
        user = request.user
        logout(request)
        person_erase(subject=DataSubject.for_user(user), by=user)
        messages.success(request, "Your personal data has been erased and you are signed out.")
        return redirect("core:home")


class StaffErasureView(StaffRequiredMixin, FormView):
    """Staff erase a person by email address: an applicant who asked by email, say."""

    template_name = "members/staff_erasure.html"
    form_class = StaffErasureForm
    extra_context = {"preview": ERASE_SOMEONE}

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        user = get_user_model().objects.filter(email__iexact=email).first()
        person_erase(subject=DataSubject(email=email, user=user), by=self.request.user)
        messages.success(self.request, f"Everything held about {email} has been erased.")
        return redirect("members:staff_erasure")


class PrivacyView(TemplateView):
    """What is kept about people, why and for how long: the periods are the ones `enforce_retention` applies."""

    template_name = "members/privacy.html"

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "rules": retention_rules(),
            "backups": backup_retention(),
            "programme": programme_current(),
        }


class LeaveBaseView(View):
    """Leaving a group, asked once: the page says what will happen and who is emailed; the POST does it."""

    template_name = "members/leave.html"
    by_member = True

    def application(self) -> Application:
        raise NotImplementedError

    def back_url(self, application: Application) -> str:
        raise NotImplementedError

    def done(self, application: Application, cohort: Cohort):
        raise NotImplementedError

    def render_page(self, application: Application, form, status: int = 200):
        preview = leave_preview(application, by_member=self.by_member, now=timezone.now())
        heading = (
            "Leave your group"
            if self.by_member
            else f"Withdraw {application.name} from {preview.cohort.name}"
        )
        context = {
            "preview": preview,
            "form": form,
            "heading": heading,
            "by_member": self.by_member,
            "back_url": self.back_url(application),
        }
        return render(self.request, self.template_name, context, status=status)

    def form(self, application: Application, data=None) -> LeaveForm:
        return LeaveForm(data, by_member=self.by_member, name=application.name)

    def get(self, request, **kwargs):
        application = self.application()
        return self.render_page(application, self.form(application))

    def post(self, request, **kwargs):
        application = self.application()
        form = self.form(application, request.POST)
        if not form.is_valid():
            return self.render_page(application, form, status=400)
        cohort = application.cohort
        assert cohort is not None  # application() finds only members
        try:
            member_leave(application=application, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as refusal:
            form.add_error(None, refusal)
            return self.render_page(application, form, status=409)
        return self.done(application, cohort)


class LeaveView(LoginRequiredMixin, LeaveBaseView):
    """A member leaves their group (their most recent place, when they have more than one)."""

    def application(self) -> Application:
        application = (
            memberships_of(self.request.user).select_related("cohort__programme").order_by("-pk").first()
        )
        if application is None:
            raise Http404("You are not a member of a group.")
        return application

    def back_url(self, application: Application) -> str:
        return reverse("members:profile")

    def done(self, application: Application, cohort: Cohort):
        messages.success(
            self.request,
            f"You have left {cohort.name}. We have emailed you a confirmation. Thank you for taking part.",
        )
        return redirect("dashboards:member")


class WithdrawMemberView(StaffRequiredMixin, LeaveBaseView):
    """Staff withdraw a member from their group."""

    by_member = False

    def application(self) -> Application:
        return get_object_or_404(
            Application.objects.select_related("cohort__programme"),
            pk=self.kwargs["pk"],
            status=ApplicationStatus.CONFIRMED,
            cohort__isnull=False,
        )

    def back_url(self, application: Application) -> str:
        assert application.cohort is not None
        return reverse("applications:selection_cohort", kwargs={"pk": application.cohort_id})

    def done(self, application: Application, cohort: Cohort):
        messages.success(self.request, f"{application.name} is withdrawn from {cohort.name}.")
        return redirect("applications:selection_cohort", pk=cohort.pk)
