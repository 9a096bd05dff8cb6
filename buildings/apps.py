from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BuildingsConfig(AppConfig):
    name = "buildings"
    verbose_name = _("Buildings and residents")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from buildings import audit
        from buildings.textsize import keep_large_text_at_login
        from buildings.views.account import remember_language_at_login

        user_logged_in.connect(
            remember_language_at_login, dispatch_uid="buildings-remember-language"
        )
        user_logged_in.connect(
            keep_large_text_at_login, dispatch_uid="buildings-large-text"
        )

        audit.register_models()
