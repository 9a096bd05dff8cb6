from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Infrastructure")
    page_cache_ignores_writes = True  # its one model, Submission, shows on no page

    def ready(self):
        from core import pagecache, third_party, uploads
        from core.lookups import register_integer_in

        third_party.name_apps()
        register_integer_in()
        pagecache.connect()
        uploads.connect_photo_cleanup()


def project_app_configs():
    """The installed apps whose code lives in this repository (not Django's, not a
    library's), in INSTALLED_APPS order."""
    from django.apps import apps
    from django.conf import settings

    base = str(settings.BASE_DIR)
    return [
        config
        for config in apps.get_app_configs()
        if str(config.path).startswith(base + "/") and "/.venv/" not in str(config.path)
    ]
