"""Chinese names for the third-party apps the admin shows (django-auditlog, django-axes,
django-tasks): their packages carry no zh-hans catalogue, so their message ids are listed
here for makemessages and this project's catalogue, first in LOCALE_PATHS, translates
them. The two apps without a translatable name get one in CoreConfig.ready()."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

MESSAGE_IDS = [
    # django-auditlog: the app, the model, its fields, actions and list columns.
    gettext_noop("Audit log"),
    gettext_noop("log entry"),
    gettext_noop("log entries"),
    gettext_noop("object pk"),
    gettext_noop("object id"),
    gettext_noop("object representation"),
    gettext_noop("serialized data"),
    gettext_noop("action"),
    gettext_noop("change message"),
    gettext_noop("actor"),
    gettext_noop("Correlation ID"),
    gettext_noop("remote address"),
    gettext_noop("remote port"),
    gettext_noop("timestamp"),
    gettext_noop("additional data"),
    gettext_noop("actor email"),
    gettext_noop("create"),
    gettext_noop("update"),
    gettext_noop("delete"),
    gettext_noop("access"),
    gettext_noop("Created"),
    gettext_noop("Resource"),
    gettext_noop("Resource Type"),
    gettext_noop("Changes"),
    gettext_noop("View"),
    gettext_noop("Click to filter by records with this correlation id"),
    # django-axes: failed and successful sign-ins.
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("Access Attempt"),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("User Agent"),
    gettext_noop("IP Address"),
    gettext_noop("Username"),
    gettext_noop("HTTP Accept"),
    gettext_noop("Path"),
    gettext_noop("Attempt Time"),
    gettext_noop("Access lock out"),
    gettext_noop("GET Data"),
    gettext_noop("POST Data"),
    gettext_noop("Failed Logins"),
    gettext_noop("Expires At"),
    gettext_noop("The time when access attempt expires and is no longer valid."),
    gettext_noop("Logout Time"),
    gettext_noop("Session key hash (sha256)"),
    gettext_noop("Locked Out"),
    gettext_noop("Form Data"),
    gettext_noop("Meta Data"),
    gettext_noop("Clean up expired attempts"),
    gettext_noop("Not set"),
    gettext_noop("Attempt Remaining"),
    # django-tasks' database backend.
    gettext_noop("Task Result"),
    gettext_noop("Task Results"),
]


def name_apps() -> None:
    """Give the apps whose name is not translatable one that is."""
    from django.apps import apps

    names = {
        "axes": _("Sign-in protection"),
        "django_tasks_database": _("Background tasks"),
        "django_tasks": _("Background tasks"),
    }
    for label, name in names.items():
        if label in apps.app_configs:
            apps.get_app_config(label).verbose_name = name
