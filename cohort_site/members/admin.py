from django.contrib import admin

from .models import Expense


@admin.register(Expense)
class ExpenseAdmin(admin.ModelAdmin):
    """Read-only: decisions go through the review page, which emails the member."""

    list_display = ["created_at", "claimant", "category", "amount", "status"]
    list_filter = ["status", "category", "programme"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
