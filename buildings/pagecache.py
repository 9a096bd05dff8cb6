"""A whole-page cache for the busiest read pages, kept per person and never stale.

A cached page is stored under a key made of who asks (the user, or "a visitor"), the
language, the path with its query, and three *generations*: one for everything, one for
the community the page belongs to, and one for the person (their inbox count, their
name). A generation is a random token in the shared cache; a write *bumps* it (a new
token), so every page built before the write is simply never asked for again. Nothing
has to find and delete old pages; they expire on their own after PAGE_SECONDS, which
also bounds how long a page can show a clock-driven state ("closes in 2 hours").

What bumps what:

- During a request, every save or delete of a Louzu model (and every many-to-many
  change) is noted by `PageCacheMiddleware`; when the request ends it bumps the
  communities those rows belong to and the people they concern. A request that changes
  something (any method but GET/HEAD/OPTIONS) also bumps the community named in its
  address and the person who made it, which covers bulk `update()`s and counters.
  A row whose community cannot be told without a query is looked up at the end of the
  request, or, if the address names no community and the row leads to none, bumps
  everything.
- Outside a request (management commands, the shell, tests' factories) every save or
  delete bumps everything, at once and again when the transaction commits.
- Code that changes rows with `update()` or `bulk_create()` outside this net calls
  `touch_users()` or `bump_all()` itself.

Because the key holds the user, one person's page is never served to another: pages
may show what only that person may see. A hit skips the view, so it also skips the
view's access check; that is sound because the check's inputs (membership, role,
staff flag, the rows themselves) can only change through writes, and every write
changes the key. Pages carrying flash messages are neither served from nor stored in
the cache, and every form's CSRF token is replaced by a fresh one on the way out.
"""

import hashlib
import re
import secrets
import threading
import time
from functools import wraps

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import get_token

PAGE_SECONDS = 60
GENERATION_SECONDS = 7 * 24 * 3600
APPS = ("buildings", "proposals", "funds", "activities", "dashboard")
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
HEADER = "X-Page-Cache"

_CSRF_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]+(")')
_state = threading.local()


def enabled() -> bool:
    return getattr(settings, "LOUZU_PAGE_CACHE", True)


# --- Generations -----------------------------------------------------------------------


def _gen_key(scope: str) -> str:
    return f"louzu:gen:{scope}"


def _bump(scopes) -> None:
    scopes = set(scopes)
    if scopes:
        cache.set_many(
            {_gen_key(scope): secrets.token_hex(8) for scope in scopes},
            GENERATION_SECONDS,
        )


def _generations(scopes: list[str]) -> list[str]:
    keys = [_gen_key(scope) for scope in scopes]
    found = cache.get_many(keys)
    missing = {key: secrets.token_hex(8) for key in keys if key not in found}
    if missing:
        # add() keeps a token another process set in the meantime.
        for key, token in missing.items():
            if not cache.add(key, token, GENERATION_SECONDS):
                token = cache.get(key, token)
            found[key] = token
    return [found[key] for key in keys]


def bump_all() -> None:
    """Every cached page is out of date (commands that change rows in bulk call this)."""
    _bump(["all"])
    transaction.on_commit(lambda: _bump(["all"]))


def touch_users(user_ids) -> None:
    """These people's own pages changed (their inbox), by a bulk write."""
    user_ids = {pk for pk in user_ids if pk is not None}
    state = getattr(_state, "request", None)
    if state is not None:
        state["users"].update(user_ids)
        return
    scopes = {f"u{pk}" for pk in user_ids}
    _bump(scopes)
    transaction.on_commit(lambda: _bump(scopes))


# --- Which community a row or an address belongs to ---------------------------------------

_building_community: dict[int, tuple[int | None, float]] = {}
_MAP_SECONDS = 300


def community_of_building(building_id) -> int | None:
    if building_id is None:
        return None
    now = time.monotonic()
    known = _building_community.get(building_id)
    if known is not None and known[1] > now:
        return known[0]
    Building = apps.get_model("buildings", "Building")
    community_id = (
        Building.objects.filter(pk=building_id)
        .values_list("community_id", flat=True)
        .first()
    )
    _building_community[building_id] = (community_id, now + _MAP_SECONDS)
    return community_id


def url_community(request) -> int | None:
    """The community a page's address names (directly or through its building)."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return None
    kwargs, route = match.kwargs, match.route
    if "building_pk" in kwargs:
        return community_of_building(kwargs["building_pk"])
    if "community_pk" in kwargs:
        return kwargs["community_pk"]
    if "pk" in kwargs:
        if route.startswith("buildings/<int:pk>/"):
            return community_of_building(kwargs["pk"])
        if route.startswith(("c/<int:pk>/", "dashboard/c/<int:pk>/")):
            return kwargs["pk"]
    return None


def _cheap_community(instance):
    """The community of a row without a query, or None if that needs one."""
    Community = apps.get_model("buildings", "Community")
    if isinstance(instance, Community):
        return instance.pk
    community_id = getattr(instance, "community_id", None)
    if community_id is not None:
        return community_id
    if getattr(instance, "building_id", None) is not None:
        known = _building_community.get(instance.building_id)
        if known is not None and known[1] > time.monotonic():
            return known[0]
    return None


def _communities_of(instance, depth: int = 3) -> set | None:
    """Every community a row belongs to, following its foreign keys (may query); None
    when it leads to none (a person may belong to none: an empty set)."""
    User = apps.get_model("buildings", "User")
    if isinstance(instance, User):
        Resident = apps.get_model("buildings", "Resident")
        return set(
            Resident.objects.filter(user_id=instance.pk)
            .exclude(household__isnull=True)
            .values_list("household__building__community_id", flat=True)
        )
    cheap = _cheap_community(instance)
    if cheap is not None:
        return {cheap}
    if getattr(instance, "building_id", None) is not None:
        return {community_of_building(instance.building_id)}
    if depth == 0:
        return None
    for field in instance._meta.concrete_fields:
        related = field.related_model
        if (
            not field.many_to_one and not field.one_to_one
        ) or related._meta.app_label not in APPS:
            continue
        if related is User or getattr(instance, field.attname) is None:
            continue
        try:
            parent = getattr(instance, field.name)
        except related.DoesNotExist:
            continue
        found = _communities_of(parent, depth - 1)
        if found is not None:
            return found
    return None


def _users_of(instance) -> set:
    User = apps.get_model("buildings", "User")
    if isinstance(instance, User):
        return {instance.pk}
    for name in ("recipient_id", "user_id"):
        if getattr(instance, name, None) is not None:
            return {getattr(instance, name)}
    return set()


# --- Noting writes ------------------------------------------------------------------------


def _noted(instance, **kwargs) -> None:
    if kwargs.get("raw") or instance._meta.app_label not in APPS:
        return
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return  # logging in changes no page
    if kwargs.get("action", "post_").startswith("pre_"):
        return
    state = getattr(_state, "request", None)
    if state is None:
        bump_all()
        return
    state["users"].update(_users_of(instance))
    Notification = apps.get_model("buildings", "Notification")
    NotificationMute = apps.get_model("buildings", "NotificationMute")
    if isinstance(instance, Notification | NotificationMute):
        return  # only the person's own pages show these
    community = _cheap_community(instance)
    if community is not None:
        state["communities"].add(community)
    else:
        state["unknown"].append(instance)


def connect() -> None:
    for app_label in APPS:
        for model in apps.get_app_config(app_label).get_models():
            uid = f"pagecache-{model._meta.label_lower}"
            post_save.connect(_noted, sender=model, dispatch_uid=uid + "-save")
            post_delete.connect(_noted, sender=model, dispatch_uid=uid + "-delete")
            for field in model._meta.local_many_to_many:
                m2m_changed.connect(
                    _noted,
                    sender=field.remote_field.through,
                    dispatch_uid=uid + field.name,
                )


class PageCacheMiddleware:
    """Notes the writes of a request and bumps what they changed when it ends."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        state = {"communities": set(), "users": set(), "unknown": []}
        outer = getattr(_state, "request", None)
        _state.request = state
        try:
            return self.get_response(request)
        finally:
            _state.request = outer
            self._finish(request, state)

    def _finish(self, request, state) -> None:
        changed = request.method not in SAFE_METHODS
        scopes = {f"c{pk}" for pk in state["communities"] if pk is not None}
        scopes |= {f"u{pk}" for pk in state["users"]}
        user = getattr(request, "user", None)
        if changed and user is not None and user.is_authenticated:
            scopes.add(f"u{user.pk}")
        if changed or state["unknown"]:
            community = url_community(request)
            if community is not None:
                scopes.add(f"c{community}")
            else:
                for instance in state["unknown"]:
                    found = _communities_of(instance)
                    if found is None:
                        scopes.add("all")
                        break
                    scopes |= {f"c{pk}" for pk in found if pk is not None}
        _bump(scopes)


# --- Serving ------------------------------------------------------------------------------


def _has_messages(request) -> bool:
    storage = getattr(request, "_messages", None)
    if storage is not None and getattr(storage, "_queued_messages", None):
        return True
    session = getattr(request, "session", None)
    return bool(session is not None and session.get("_messages"))


def _page_key(request) -> str | None:
    community = url_community(request)
    if community is None:
        return None
    user = request.user
    who = str(user.pk) if user.is_authenticated else "visitor"
    scopes = ["all", f"c{community}"] + (
        [f"u{user.pk}"] if user.is_authenticated else []
    )
    parts = [who, request.LANGUAGE_CODE, request.get_full_path(), *_generations(scopes)]
    return "louzu:page:" + hashlib.md5("|".join(parts).encode()).hexdigest()


def _fresh_tokens(request, content: bytes) -> bytes:
    if b"csrfmiddlewaretoken" not in content:
        return content
    return _CSRF_INPUT.sub(
        lambda match: match.group(1) + get_token(request).encode() + match.group(2),
        content,
    )


def cached_page(view):
    """Serve a view's 200 page from the cache while nothing it shows has changed."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not enabled() or request.method != "GET" or _has_messages(request):
            return view(request, *args, **kwargs)
        key = _page_key(request)
        if key is None:
            return view(request, *args, **kwargs)
        stored = cache.get(key)
        if stored is not None:
            content_type, content = stored
            response = HttpResponse(
                _fresh_tokens(request, content), content_type=content_type
            )
            response[HEADER] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not _has_messages(request)
        ):
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            cache.set(key, (response["Content-Type"], response.content), PAGE_SECONDS)
            response[HEADER] = "miss"
        return response

    return wrapper
