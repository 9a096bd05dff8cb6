from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BuildingsConfig(AppConfig):
    name = "buildings"
    verbose_name = _("Buildings and residents")

    def ready(self):
        from buildings import audit, pagecache, uploads
        from buildings.lookups import register_integer_in

        audit.register_models()
        register_integer_in()
        pagecache.connect()
        uploads.connect_photo_cleanup()
