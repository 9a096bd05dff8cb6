from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "outbox"
    verbose_name = _("Delivery outside the app")
    # No cached page shows a delivery, a robot or an SMS choice: the worker's writes
    # must not expire every cached page (core.pagecache).
    page_cache_ignores_writes = True

    def ready(self):
        from outbox import group_posts

        group_posts.connect()
