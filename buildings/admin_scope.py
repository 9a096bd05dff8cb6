"""The admin shows staff only what they answer for: the rows of their communities (their
staff posts, and every community of the towns of their town posts). A superuser sees all.

Every ModelAdmin registered on the site, whatever app registers it, is wrapped by
`ScopedAdminSite.register` (the site Django builds, through `LouzuAdminConfig`): its
change list, change pages, deletions, foreign-key choices, list filters, inlines and
autocomplete answers (and the rows a delete page lists) are filtered by the model's path to a `Community`, found by
following foreign keys (``building__community``, ``fund__building__community``). A
model with no such path (codes, notifications, the audit log, schedules) is for
superusers only. The root names no feature model: the paths are found, not listed.
"""

from collections import deque

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import NestedObjects, quote
from django.contrib.admin.views.main import ERROR_FLAG
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import DatabaseError, models, router, transaction
from django.db.models import Q
from django.db.models.constants import LOOKUP_SEP
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from core import search
from core.forms import near_today

MAX_DEPTH = 4
_paths: dict = {}


def community_path(model) -> str | None:
    """The shortest chain of foreign keys from a model to Community ("" for Community
    itself), or None when there is none. Non-null keys are preferred."""
    if model in _paths:
        return _paths[model]
    from buildings.models import Community

    found = None
    if model is Community:
        found = ""
    else:
        queue = deque([(model, [], True)])
        best_nullable = None
        seen = {model}
        while queue:
            current, path, required = queue.popleft()
            if len(path) >= MAX_DEPTH:
                continue
            for field in current._meta.concrete_fields:
                if (
                    not (field.many_to_one or field.one_to_one)
                    or not field.remote_field
                ):
                    continue
                target = field.related_model
                step = [*path, field.name]
                still_required = required and not field.null
                if target is Community:
                    if still_required:
                        found = LOOKUP_SEP.join(step)
                        break
                    if best_nullable is None:
                        best_nullable = LOOKUP_SEP.join(step)
                    continue
                if target not in seen:
                    seen.add(target)
                    queue.append((target, step, still_required))
            if found is not None:
                break
        if found is None:
            found = best_nullable
    _paths[model] = found
    return found


def _special_scope(model, scope):
    """Models reached another way: people, towns, staff posts."""
    from buildings.models import StaffPost, Town, User

    if model is User:
        return Q(memberships__household__building__community__in=scope) | Q(
            staff_posts__community__in=scope
        )
    if model is Town:
        return Q(communities__in=scope)
    if model is StaffPost:
        return Q(community__in=scope) | Q(town__communities__in=scope)
    return None


def is_scoped(model) -> bool:
    from buildings.models import StaffPost, Town, User

    return community_path(model) is not None or model in (User, Town, StaffPost)


def scope_queryset(queryset, user):
    """The rows of the queryset this staff member answers for (all for a superuser,
    none for a model with no path to a community)."""
    from buildings.permissions import staff_community_ids

    scope = staff_community_ids(user)
    if scope is None:
        return queryset
    model = queryset.model
    special = _special_scope(model, scope)
    if special is not None:
        return queryset.filter(
            pk__in=model._default_manager.filter(special).values("pk")
        )
    path = community_path(model)
    if path is None:
        return queryset.none()
    return queryset.filter(**{(f"{path}__in" if path else "pk__in"): scope})


def _final_field(model, lookup: str):
    field = None
    for part in lookup.split(LOOKUP_SEP):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return None
        if field.is_relation and field.related_model is not None:
            model = field.related_model
        else:
            return field
    return field


class ScopedRelatedFieldListFilter(admin.RelatedFieldListFilter):
    """A list filter by a related row, offering only the rows the person may see."""

    def field_choices(self, field, request, model_admin):
        queryset = scope_queryset(
            field.related_model._default_manager.all(), request.user
        )
        ordering = self.field_admin_ordering(field, request, model_admin)
        if ordering:
            queryset = queryset.order_by(*ordering)
        return [(row.pk, str(row)) for row in queryset]


class ListedObjects(NestedObjects):
    """The rows a deletion would take, as far as the admin lists them to this person:
    a row its own admin hides (another community's, or a message only an anonymous
    reporter gets) is left out, with what hangs from it."""

    def __init__(self, *args, request, admin_site, **kwargs):
        super().__init__(*args, **kwargs)
        self.request, self.admin_site = request, admin_site

    def related_objects(self, related_model, related_fields, objs):
        queryset = super().related_objects(related_model, related_fields, objs)
        model_admin = self.admin_site._registry.get(related_model)
        if model_admin is None:
            return queryset
        listed = model_admin.get_queryset(self.request).order_by().values("pk")
        return queryset.filter(pk__in=listed)


def listed_deleted_objects(objs, request, admin_site):
    """django.contrib.admin.utils.get_deleted_objects, with ListedObjects."""
    objs = list(objs)
    if not objs:
        return [], {}, set(), []
    collector = ListedObjects(
        using=router.db_for_write(objs[0]._meta.model),
        origin=objs,
        request=request,
        admin_site=admin_site,
    )
    collector.collect(objs)
    perms_needed = set()

    def format_callback(obj):
        opts = obj._meta
        no_edit_link = f"{capfirst(opts.verbose_name)}: {obj}"
        if not admin_site.is_registered(obj.__class__):
            return no_edit_link
        model_admin = admin_site.get_model_admin(obj.__class__)
        if not model_admin.has_delete_permission(request, obj):
            perms_needed.add(opts.verbose_name)
        try:
            url = reverse(
                f"{admin_site.name}:{opts.app_label}_{opts.model_name}_change",
                args=[quote(obj.pk)],
            )
        except NoReverseMatch:
            return no_edit_link
        return format_html(
            '{}: <a href="{}">{}</a>', capfirst(opts.verbose_name), url, obj
        )

    to_delete = collector.nested(format_callback)
    protected = [format_callback(obj) for obj in collector.protected]
    # A row the person is not shown still stops the deletion: named by its kind only.
    everything = NestedObjects(using=collector.using, origin=objs)
    everything.collect(objs)
    protected += sorted(
        {
            str(capfirst(obj._meta.verbose_name))
            for obj in everything.protected - collector.protected
        }
    )
    model_count = {
        model._meta.verbose_name_plural: len(rows)
        for model, rows in collector.model_objs.items()
    }
    return to_delete, model_count, perms_needed, protected


class CommunityScoped:
    """What scoping adds to a ModelAdmin or an inline. An admin class may say
    `site_wide = True` for rows that name no one and belong to no community (skills)."""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if getattr(self, "site_wide", False):  # set on the admin class it wraps
            return queryset
        return scope_queryset(queryset, request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = scope_queryset(field.queryset, request.user)
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if (
            field is not None
            and hasattr(field, "queryset")
            and is_scoped(db_field.related_model)
        ):
            field.queryset = scope_queryset(field.queryset, request.user)
        return field

    def _for_superusers_only(self, request) -> bool:
        return (
            not request.user.is_superuser
            and not getattr(self, "site_wide", False)
            and not is_scoped(self.model)
        )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and isinstance(db_field, models.DateField):  # and times
            field.validators.append(near_today)  # a mistyped year, not a 500
        return field

    def get_deleted_objects(self, objs, request):
        return listed_deleted_objects(objs, request, self.admin_site)

    def has_view_permission(self, request, obj=None):
        if self._for_superusers_only(request):
            return False
        return super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args):
        if self._for_superusers_only(request):
            return False
        return super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        if self._for_superusers_only(request):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if self._for_superusers_only(request):
            return False
        return super().has_delete_permission(request, obj)


def _row_id(value: str) -> bool:
    return value.isascii() and value.isdigit() and int(value) < 2**63


class CommunityScopedAdmin(CommunityScoped):
    def get_changelist_instance(self, request):
        """A filter in the list's address that cannot be applied is a wrong filter (the
        admin's "?e=1" answer: the whole list, with a message), never a server error.

        The admin filters by any field the address names, and some values fail only
        when the database reads them, while the list is counted: a NUL or a broken
        pattern (``?name__regex=[``) on PostgreSQL, an id too big for SQLite, a year
        0 or one too big for a date, a word where a filter wants a number
        (``?resource_type=abc`` on the audit log). The savepoint keeps the request's
        transaction usable after such a failed read."""
        try:
            with transaction.atomic(using=router.db_for_read(self.model)):
                return super().get_changelist_instance(request)
        except (
            IncorrectLookupParameters,  # what Django itself finds wrong
            DatabaseError,
            ValueError,
            OverflowError,
        ) as error:
            if ERROR_FLAG not in request.GET:  # the list the person is sent back to
                messages.warning(
                    request,
                    _("The list cannot be filtered that way, so all of it is shown."),
                )
            raise IncorrectLookupParameters from error

    def get_changeform_initial_data(self, request):
        """A date and time an add page's address prefills (``?starts_at=...``) is read
        as the form would read it, and left out if it cannot be: Django hands the text
        to the date-and-time widget, which needs a date (a 500 on any text)."""
        initial = super().get_changeform_initial_data(request)
        for name, value in list(initial.items()):
            try:
                field = self.model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if isinstance(field, models.DateTimeField) and isinstance(value, str):
                try:
                    initial[name] = forms.DateTimeField().clean(value)
                except ValidationError:
                    del initial[name]
        return initial

    def get_search_results(self, request, queryset, search_term):
        """A search (the list's or an autocomplete's) is read as the app's own search
        reads one: control characters dropped (PostgreSQL compares no text with a
        NUL), cut to its first words and characters (3,000 words kept PostgreSQL
        busy for minutes, and were too deep an expression for SQLite)."""
        term = " ".join(search.words(search.clean_query(search_term)))
        return super().get_search_results(request, queryset, term)

    def response_action(self, request, queryset):
        """Only row ids are kept from a bulk action's selection: a forged one (words,
        a NUL) leaves it with what is left, or with "Items must be selected"."""
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        kept = [value for value in selected if _row_id(value)]
        if kept != selected:
            post = request.POST.copy()
            post.setlist(helpers.ACTION_CHECKBOX_NAME, kept)
            request.POST = post
        return super().response_action(request, queryset)

    def has_module_permission(self, request):
        if self._for_superusers_only(request):
            return False
        return super().has_module_permission(request)

    def get_list_filter(self, request):
        filters = []
        for item in super().get_list_filter(request):
            if isinstance(item, str):
                field = _final_field(self.model, item)
                if (
                    field is not None
                    and field.is_relation
                    and field.related_model is not None
                    and is_scoped(field.related_model)
                ):
                    item = (item, ScopedRelatedFieldListFilter)
            filters.append(item)
        return filters


def scoped(admin_class, base=CommunityScopedAdmin):
    """A subclass of the admin class that keeps to the person's communities."""
    if issubclass(admin_class, CommunityScoped):
        return admin_class
    attrs = {"__module__": admin_class.__module__}
    if getattr(admin_class, "inlines", None):
        attrs["inlines"] = [
            scoped(inline, CommunityScoped) for inline in admin_class.inlines
        ]
    return type(f"Scoped{admin_class.__name__}", (base, admin_class), attrs)


class ScopedAdminSite(admin.AdminSite):
    """The admin site: every registered admin keeps to the person's communities."""

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = scoped(admin_class or admin.ModelAdmin)
        return super().register(model_or_iterable, admin_class, **options)


class LouzuAdminConfig(AdminConfig):
    default_site = "buildings.admin_scope.ScopedAdminSite"
