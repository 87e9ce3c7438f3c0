"""The site's admin: Django's, with the menu of every model worked out only when a page shows it."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.utils.functional import SimpleLazyObject


class CohortAdminSite(admin.AdminSite):
    """Django's admin site, except that its list of apps and models is built when first read. Every admin page
    is given it (`available_apps`, for the menu beside the page), whether or not it shows the menu; the list of
    applications leaves the menu out (issue 24), and building it was about a tenth of that page's time."""

    def get_app_list(self, request, app_label=None):
        build = super().get_app_list
        return SimpleLazyObject(lambda: build(request, app_label))


class CohortAdminConfig(AdminConfig):
    default_site = "cohort_site.core.admin_site.CohortAdminSite"
