from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "dashboard"
    verbose_name = _("Branch dashboard")
    # Its only rows are the figures the worker computes ahead; storing them tells the
    # community's pages itself (dashboard.figures), and no other page shows them.
    page_cache_ignores_writes = True

    def ready(self):
        from buildings.extensions import register_staff_home

        register_staff_home("dashboard:home")
