"""`{% quick_result_list cl %}`: Django's `{% result_list cl %}` with its rows written directly (issue 24)."""

from django import template

from cohort_site.core.admin import quick_result_list as quick_result_list_context

register = template.Library()


@register.inclusion_tag("admin/change_list_results.html")
def quick_result_list(cl):
    return quick_result_list_context(cl)
