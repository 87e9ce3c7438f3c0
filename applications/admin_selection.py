"""Selection in the admin: bulk decisions on the application list, the audit trail, links to the selection pages.

Loaded by the last line of admin.py; it extends the admins registered there rather than replacing them.
"""

from django import forms
from django.contrib import admin
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html

from .enums import PLACE_HOLDING_STATUSES
from .models import Application, ApplicationStatusChange, Cohort, Programme


def _decide(action: str):
    def act(modeladmin, request, queryset):
        ids = ",".join(str(pk) for pk in queryset.order_by("pk").values_list("pk", flat=True))
        return HttpResponseRedirect(f"{reverse('applications:selection_decide', args=[action])}?ids={ids}")

    return act


offer_places = admin.action(description="Offer places in a group…")(_decide("offer"))
offer_places.__name__ = "offer_places"
waitlist = admin.action(description="Put on the waitlist…")(_decide("waitlist"))
waitlist.__name__ = "waitlist"
decline = admin.action(description="Decline…")(_decide("decline"))
decline.__name__ = "decline"


application_admin = admin.site.get_model_admin(Application)
application_admin.actions = [*(application_admin.actions or []), offer_places, waitlist, decline]
# Every status-related field moves only through the selection service, which checks and records the move.
application_admin.readonly_fields = [
    *application_admin.readonly_fields,
    *(
        name
        for name in ("waitlist_position", "offer_expires_at", "next_group_interest_at")
        if name not in application_admin.readonly_fields
    ),
]


@admin.display(description="Places")
def cohort_fill(cohort: Cohort) -> str:
    return f"{cohort.taken}/{cohort.size}"


@admin.display(description="Selection")
def cohort_selection_link(cohort: Cohort) -> str:
    return format_html(
        '<a href="{}">Selection page</a>', reverse("applications:selection_cohort", kwargs={"pk": cohort.pk})
    )


@admin.display(description="Selection")
def programme_selection_link(programme: Programme) -> str:
    return format_html(
        '<a href="{}">Groups and waitlist</a>',
        reverse("applications:selection_programme", kwargs={"slug": programme.slug}),
    )


cohort_admin = admin.site.get_model_admin(Cohort)
cohort_admin.list_display = [*cohort_admin.list_display, cohort_fill, cohort_selection_link]
_cohort_queryset = cohort_admin.get_queryset


def _cohort_queryset_with_fill(request):
    return _cohort_queryset(request).annotate(
        taken=Count("applications", filter=Q(applications__status__in=PLACE_HOLDING_STATUSES))
    )


cohort_admin.get_queryset = _cohort_queryset_with_fill


class CohortSizeForm(forms.ModelForm):
    """A group cannot be made smaller than the places already offered or confirmed in it."""

    class Meta:
        model = Cohort
        fields = "__all__"  # noqa: DJ007 (the admin's own field list applies)

    def clean_size(self):
        size = self.cleaned_data["size"]
        if self.instance.pk:
            taken = Application.objects.filter(
                cohort=self.instance, status__in=PLACE_HOLDING_STATUSES
            ).count()
            if size < taken:
                raise forms.ValidationError(
                    f"{taken} places are already offered or confirmed; the size must be at least {taken}."
                )
        return size


cohort_admin.form = CohortSizeForm
programme_admin = admin.site.get_model_admin(Programme)
programme_admin.list_display = [*programme_admin.list_display, programme_selection_link]


@admin.register(ApplicationStatusChange)
class ApplicationStatusChangeAdmin(admin.ModelAdmin):
    """The audit trail: every status change, who made it and why. Read-only."""

    list_display = ["changed_at", "application", "from_status", "to_status", "cohort", "changed_by", "note"]
    list_filter = ["to_status", "application__programme", "cohort"]
    search_fields = ["application__name", "application__email", "note"]
    list_select_related = ["application", "cohort", "changed_by"]
    date_hierarchy = "changed_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
