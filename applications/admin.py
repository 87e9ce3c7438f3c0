from django.contrib import admin

from .models import (
    Application,
    ApplicationStatusChange,
    Availability,
    CandidateTime,
    Cohort,
    DropIn,
    MemberOrganisation,
    Programme,
    ProgrammeSection,
)


class ProgrammeSectionInline(admin.StackedInline):
    model = ProgrammeSection
    extra = 0


class DropInInline(admin.TabularInline):
    model = DropIn
    extra = 0


class CandidateTimeInline(admin.TabularInline):
    model = CandidateTime
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "applications_open_at",
        "applications_close_at",
        "first_session_week",
        "is_published",
    ]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [ProgrammeSectionInline, DropInInline, CandidateTimeInline]


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["name", "programme", "number", "size", "first_session_week"]
    list_filter = ["programme"]


class AvailabilityInline(admin.TabularInline):
    model = Availability
    extra = 0


class StatusChangeInline(admin.TabularInline):
    model = ApplicationStatusChange
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "cohort", "changed_by", "changed_at", "note"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "role_type", "status", "cohort", "submitted_at"]
    list_filter = ["programme", "status", "role_type", "cohort"]
    search_fields = ["name", "email", "organisation", "role"]
    # Status moves only through the selection service, which checks and records them.
    readonly_fields = ["status", "status_changed_at", "cohort", "user", "submitted_at", "updated_at"]
    inlines = [AvailabilityInline, StatusChangeInline]


admin.site.register(MemberOrganisation)

from . import admin_selection  # noqa: E402, F401  (selection actions and the audit trail)
