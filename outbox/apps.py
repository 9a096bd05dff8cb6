from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "outbox"
    verbose_name = _("Delivery outside the app")

    def ready(self):
        from outbox import group_posts

        group_posts.connect()
