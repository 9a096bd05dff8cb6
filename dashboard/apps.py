from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "dashboard"
    verbose_name = _("Branch dashboard")

    def ready(self):
        from buildings.extensions import register_staff_home

        register_staff_home("dashboard:home")
