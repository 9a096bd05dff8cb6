"""A whole-page cache for the busiest read pages, shared by everyone who sees the same
page, with each person's own parts rendered afresh, and never stale.

A cached page is stored under a key made of its *audience* (a visitor; or staff or not,
with the building, status, role and age of one's membership), the language, the day (a
page saying "today" or "this month" is not kept past midnight), the path with its query,
and two *generations*: one for everything and one for the community the
page belongs to. What differs between two people of the same audience (the unread
count in the top bar, one's household's vote, one's "me too") sits in
`{% personal "name" %}` blocks: the cache keeps a placeholder there and renders the
block for whoever asks, from the context processors and the page's `personal()`
function. That function makes the view's access checks again, so a hit is refused
exactly when the view would refuse.

A generation is a random token in the shared cache; a write *bumps* it (a new token),
so every page built before the write is simply never asked for again. Nothing has to
find and delete old pages; they expire on their own after PAGE_SECONDS, which also
bounds how long a page can show a clock-driven state ("closes in 2 hours").

What bumps what:

- During a request, every save or delete of a Louzu model (and every many-to-many
  change) is noted by `PageCacheMiddleware`; when the request ends it bumps the
  communities those rows belong to. A request that changes something (any method but
  GET/HEAD/OPTIONS) also bumps the community named in its address, which covers bulk
  `update()`s and counters. A row whose community cannot be told without a query is
  followed through its foreign keys at the end of the request; one that leads to no
  community bumps everything, and so does any change to a building.
- Outside a request (management commands, the shell, tests' factories) every save or
  delete bumps everything, at once and again when the transaction commits.
- Commands that change rows with `update()` call `bump_all()` themselves.

Pages carrying flash messages are neither served from nor stored in the cache, and
every form's CSRF token is replaced by a fresh one on the way out. With
LOUZU_PAGE_CACHE_VERIFY (on in the test suite) every hit is also rendered by the view
and must be identical, so any test that looks at a page twice checks the cache too.

Longer than 500 lines because the contract above (audience, generations, noting writes,
personal blocks, the middleware) holds only as a whole; split, its invariants would be
read in pieces.
"""

import hashlib
import re
import secrets
import threading
import time
from functools import wraps
from urllib.parse import parse_qsl, urlencode

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone

PAGE_SECONDS = 60
GENERATION_SECONDS = 7 * 24 * 3600
# The apps whose writes are noted: every app of this project (filled by connect()), except
# one whose AppConfig says `page_cache_ignores_writes = True` (its rows show on no page).
APPS: set[str] = set()
# A community's own pages: "c/<pk>/" at the root or under one prefix ("<app>/c/<pk>/").
COMMUNITY_ROUTE = re.compile(r"^(?:[\w-]+/)?c/<int:pk>/")
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
HEADER = "X-Page-Cache"

_state = threading.local()


def enabled() -> bool:
    return getattr(settings, "LOUZU_PAGE_CACHE", True)


# --- Generations -----------------------------------------------------------------------


def gen_key(scope: str) -> str:
    return f"louzu:gen:{scope}"


def _bump(scopes) -> None:
    scopes = set(scopes)
    if scopes:
        cache.set_many(
            {gen_key(scope): secrets.token_hex(8) for scope in scopes},
            GENERATION_SECONDS,
        )


def generations(scopes: list[str]) -> list[str]:
    keys = [gen_key(scope) for scope in scopes]
    found = cache.get_many(keys)
    missing = {key: secrets.token_hex(8) for key in keys if key not in found}
    if missing:
        # add() keeps a token another process set in the meantime.
        for key, token in missing.items():
            if not cache.add(key, token, GENERATION_SECONDS):
                token = cache.get(key, token)
            found[key] = token
    return [found[key] for key in keys]


def read(entries: dict[str, list[str]]) -> tuple[dict[str, str], dict]:
    """In one round trip, the generations of every scope named and the entries at the
    given keys. An entry is stored as (its scopes' tokens, value) and counts only while
    those tokens are current: returns ({scope: token}, {key: value of a valid entry})."""
    scopes = sorted({scope for wanted in entries.values() for scope in wanted})
    gen_keys = [gen_key(scope) for scope in scopes]
    found = cache.get_many(gen_keys + list(entries))
    tokens = dict(zip(scopes, (found.get(key) for key in gen_keys), strict=True))
    if None in tokens.values():
        tokens = dict(zip(scopes, generations(scopes), strict=True))
    values = {}
    for key, wanted in entries.items():
        entry = found.get(key)
        if entry is not None and entry[0] == [tokens[scope] for scope in wanted]:
            values[key] = entry[1]
    return tokens, values


def store(key: str, tokens: dict, wanted: list[str], value, seconds: int) -> None:
    """Keep `value` at `key`, valid while the tokens of the scopes `wanted` are current."""
    cache.set(key, ([tokens[scope] for scope in wanted], value), seconds)


def touch_inboxes(user_ids) -> None:
    """These people's unread counts changed by a bulk write (see buildings.backends)."""
    scopes = {f"i{pk}" for pk in user_ids if pk is not None}
    state = getattr(_state, "request", None)
    if state is not None:
        state["inboxes"].update(scopes)
        return
    _bump(scopes)
    transaction.on_commit(lambda: _bump(scopes))


def touch_community(community_id: int) -> None:
    """A community's pages are out of date (a write the page cache does not watch)."""
    state = getattr(_state, "request", None)
    if state is not None:
        state["communities"].add(community_id)
        return
    _bump([f"c{community_id}"])
    transaction.on_commit(lambda: _bump([f"c{community_id}"]))


def bump_all() -> None:
    """Every cached page is out of date (commands that change rows in bulk call this)."""
    _bump(["all"])
    transaction.on_commit(lambda: _bump(["all"]))


# --- Which community a row or an address belongs to ---------------------------------------

_building_community: dict[int, tuple[int | None, float]] = {}
_MAP_SECONDS = 300


def _known_community(building_id):
    """The building's community if this process has read it lately, else None."""
    known = _building_community.get(building_id)
    return known[0] if known is not None and known[1] > time.monotonic() else None


def community_of_building(building_id) -> int | None:
    if building_id is None:
        return None
    known = _known_community(building_id)
    if known is not None:
        return known
    now = time.monotonic()
    Building = apps.get_model("buildings", "Building")
    community_id = (
        Building.objects.filter(pk=building_id)
        .values_list("community_id", flat=True)
        .first()
    )
    _building_community[building_id] = (community_id, now + _MAP_SECONDS)
    return community_id


def url_community(request, match=None) -> int | None:
    """The community a page's address names (directly or through its building)."""
    match = match or getattr(request, "resolver_match", None)
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
        if COMMUNITY_ROUTE.match(route):
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
        return _known_community(instance.building_id)
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


# --- Noting writes ------------------------------------------------------------------------


def _noted(instance, **kwargs) -> None:
    if kwargs.get("raw") or instance._meta.app_label not in APPS:
        return
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return  # logging in changes no page
    if kwargs.get("action", "post_").startswith("pre_"):
        return
    Notification = apps.get_model("buildings", "Notification")
    if isinstance(instance, Notification):
        touch_inboxes([instance.recipient_id])
        return  # only personal blocks show these, and they are never kept
    state = getattr(_state, "request", None)
    if state is None:
        _building_community.clear()
        bump_all()
        return
    User = apps.get_model("buildings", "User")
    Resident = apps.get_model("buildings", "Resident")
    if isinstance(instance, User):
        state["users"].add(instance.pk)  # the cached log-in (buildings.backends)
    elif isinstance(instance, apps.get_model("buildings", "StaffPost")):
        state["users"].add(instance.user_id)  # the cached log-in holds the posts
        state["all"] = True  # and every page built for the staff member's audience
        return
    elif isinstance(instance, Resident):
        # Cached log-ins hold the membership and the household's members.
        if instance.user_id is not None:
            state["users"].add(instance.user_id)
        if instance.household_id is not None:
            state["households"].add(instance.household_id)
    NotificationMute = apps.get_model("buildings", "NotificationMute")
    if isinstance(instance, NotificationMute):
        return  # only the person's own settings page shows these
    Building = apps.get_model("buildings", "Building")
    Household = apps.get_model("buildings", "Household")
    Community = apps.get_model("buildings", "Community")
    Town = apps.get_model("buildings", "Town")
    if isinstance(instance, Building | Household | Community | Town):
        # Rare (a rename, a new cover, a room renamed); a building could move to another
        # community, and cached log-ins hold their member's building and household.
        if isinstance(instance, Building):
            _building_community.pop(instance.pk, None)
        state["all"] = True
        return
    community = _cheap_community(instance)
    if community is not None:
        state["communities"].add(community)
    else:
        state["unknown"].append(instance)


def connect() -> None:
    from django.contrib.auth.signals import user_logged_in

    from core.apps import project_app_configs

    APPS.update(
        config.label
        for config in project_app_configs()
        if not getattr(config, "page_cache_ignores_writes", False)
    )

    user_logged_in.connect(_remember_at_login, dispatch_uid="pagecache-audience")
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


def _users_of_households(households) -> set:
    """The accounts of everyone in these households (their cached log-ins hold the
    household's members)."""
    if not households:
        return set()
    Resident = apps.get_model("buildings", "Resident")
    return set(
        Resident.objects.filter(household_id__in=households)
        .exclude(user=None)
        .values_list("user_id", flat=True)
    )


class PageCacheMiddleware:
    """Notes the writes of a request and bumps what they changed when it ends."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        state = {
            "communities": set(),
            "users": set(),
            "households": set(),
            "inboxes": set(),
            "unknown": [],
            "all": False,
        }
        outer = getattr(_state, "request", None)
        outer_prefetch = getattr(_state, "prefetch", None)
        _state.request = state
        _state.prefetch = _plan_prefetch(request)
        try:
            return self.get_response(request)
        finally:
            _state.request = outer
            _state.prefetch = outer_prefetch
            self._finish(request, state)

    def _finish(self, request, state) -> None:
        changed = request.method not in SAFE_METHODS
        scopes = {f"c{pk}" for pk in state["communities"] if pk is not None}
        users = state["users"] | _users_of_households(state["households"])
        scopes |= {f"u{pk}" for pk in users} | state["inboxes"]
        if state["all"]:
            scopes.add("all")
        if changed:
            community = url_community(request)
            if community is not None:
                scopes.add(f"c{community}")
        for instance in state["unknown"]:
            found = _communities_of(instance)
            if found is None:
                scopes.add("all")
                break
            scopes |= {f"c{pk}" for pk in found if pk is not None}
        _bump(scopes)


# --- Serving ------------------------------------------------------------------------------

RECORDING = "_louzu_personal_blocks"
_MARKED = re.compile(
    r"<!--louzu-personal:([\w-]+)\?([^>]*)-->(.*?)<!--/louzu-personal:\1-->", re.DOTALL
)
_TOKENS = re.compile(r'name="csrfmiddlewaretoken" value="[A-Za-z0-9]+"')


def mark(name: str, arguments: dict, html: str) -> str:
    """Wrap a personal block's output so the cache can cut it out (templatetags.personal)."""
    query = urlencode(arguments)
    return f"<!--louzu-personal:{name}?{query}-->{html}<!--/louzu-personal:{name}-->"


def _has_messages(request) -> bool:
    storage = getattr(request, "_messages", None)
    if storage is not None and getattr(storage, "_queued_messages", None):
        return True
    session = getattr(request, "session", None)
    return bool(session is not None and session.get("_messages"))


def audience(request) -> str:
    """Who a page is built for, as far as anything outside its personal blocks goes:
    visitor, or staff (with the communities they answer for) or not, with the building,
    status, role and age of each membership and the building the person chose."""
    return audience_of(request.user)


def audience_of(user) -> str:
    from buildings.permissions import memberships_of, staff_community_ids

    if not user.is_authenticated:
        return "visitor"
    parts = [
        "staff" if user.is_staff else "person",
        "super" if user.is_superuser else "",
    ]
    if user.is_staff and not user.is_superuser:
        scope = ",".join(str(pk) for pk in sorted(staff_community_ids(user)))
        parts.append(hashlib.md5(scope.encode()).hexdigest()[:12])
    for membership in memberships_of(user):
        parts += [
            str(membership.household.building_id),
            membership.status,
            membership.role,
            "adult" if membership.is_adult else "minor",
        ]
    chosen = getattr(user, "_louzu_chosen_building", None)
    if chosen is not None:
        parts.append(f"chose{chosen}")
    return "/".join(parts)


def _key_for(audience_: str, request, large_text: bool) -> str:
    text = "large" if large_text else "normal"  # the class on <html>
    # The day: a page saying "today" or "this month" is not kept past midnight.
    today = timezone.localdate().isoformat()
    parts = [audience_, request.LANGUAGE_CODE, text, today, request.get_full_path()]
    return "louzu:page:" + hashlib.md5("|".join(parts).encode()).hexdigest()


def _page_key(request) -> tuple[str, list[str]] | None:
    """The page's key and the scopes it depends on, or None for a page of no community."""
    community = url_community(request)
    if community is None:
        return None
    from buildings.textsize import is_large

    key = _key_for(audience(request), request, is_large(request))
    return key, ["all", f"c{community}"]


# --- Reading the page with the person -------------------------------------------------
#
# A hit needs three reads from the cache, one after the other: the session (who is
# logged in), the person (buildings.backends) and the page, whose key holds the
# person's audience. The session remembers the audience it last saw, so the person
# and the page are read in one round trip: PageCacheMiddleware notes, before the
# person is read, that the request is for a cached page; the log-in backend then asks
# for the page under the remembered audience along with the person. The page is used
# only if the audience still matches (else it is read again, and remembered anew).

AUDIENCE_KEY = "_louzu_audience"


_matches: dict = {}  # path -> its URL match (or None), for _plan_prefetch


def _match(path: str):
    """The URL match of a path; remembered, as Django resolves it again for the view."""
    from django.urls import Resolver404, resolve

    if path not in _matches:
        if len(_matches) > 20_000:
            _matches.clear()
        try:
            _matches[path] = resolve(path)
        except Resolver404:
            _matches[path] = None
    return _matches[path]


def _plan_prefetch(request) -> dict | None:
    if not enabled() or request.method != "GET":
        return None
    match = _match(request.path_info)
    if match is None:
        return None
    unless = getattr(match.func, "louzu_cached_page", False)
    if unless is False or (unless is not None and unless(request)):
        return None
    community = url_community(request, match)
    if community is None:
        return None
    return {"request": request, "scopes": ["all", f"c{community}"]}


def serving_cached_page() -> bool:
    """Whether this request is a GET of a page the cache keeps: the only requests whose
    person the log-in backend reads from the cache (buildings.backends)."""
    return getattr(_state, "prefetch", None) is not None


def prefetch_entries() -> dict:
    """For the log-in backend: {key: scopes} of the page this request will likely serve."""
    plan = getattr(_state, "prefetch", None)
    if plan is None:
        return {}
    request = plan["request"]
    remembered = request.session.get(AUDIENCE_KEY)
    if remembered is None:
        return {}
    # The person is not loaded yet: their phone's cookie says which text size they
    # likely chose (a wrong guess only misses, the page is then read by its real key).
    from buildings.textsize import COOKIE, LARGE

    plan["key"] = _key_for(remembered, request, request.COOKIES.get(COOKIE) == LARGE)
    return {plan["key"]: plan["scopes"]}


def prefetched(tokens: dict, values: dict) -> None:
    """For the log-in backend: what its read found for the page."""
    plan = getattr(_state, "prefetch", None)
    if plan is not None and "key" in plan:
        plan["found"] = (tokens, values)


def _read_page(request, key: str, scopes: list[str]) -> tuple[dict, dict]:
    plan = getattr(_state, "prefetch", None)
    if plan is not None and plan.get("request") is request:
        if plan.get("key") == key and "found" in plan:
            return plan["found"]
    return read({key: scopes})


def _remember_at_login(sender, request, user, **kwargs) -> None:
    """The session is written at log-in anyway: remember the audience then."""
    if enabled() and request is not None and hasattr(request, "session"):
        request.session[AUDIENCE_KEY] = audience_of(user)


def _remember_audience(request) -> None:
    if not request.user.is_authenticated:
        return
    current = audience(request)
    if request.session.get(AUDIENCE_KEY) != current:
        request.session[AUDIENCE_KEY] = current


# A kept page is a list of pieces: text, a personal block to render (name, its
# arguments), or CSRF_SLOT where a form's token goes (a hit fills every slot with one
# fresh token: any masked token of the person's secret is valid for every form). Cut
# once when the page is kept, so a hit only joins the pieces.
CSRF_SLOT = None
_PIECES = re.compile(
    r"<!--louzu-personal:([\w-]+)\?([^>]*)-->"
    r'|(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]+"'
)


def _pieces(kept: str) -> list:
    pieces, position = [], 0
    for match in _PIECES.finditer(kept):
        if match.group(3):  # a form's token: keep what precedes it, up to the value
            pieces.append(kept[position : match.start(3) + len(match.group(3))])
            pieces.append(CSRF_SLOT)
            pieces.append('"')
        else:
            pieces.append(kept[position : match.start()])
            pieces.append((match.group(1), match.group(2)))
        position = match.end()
    pieces.append(kept[position:])
    return [piece for piece in pieces if piece != ""]


_nodes: dict = {}


def _personal_node(template_name: str, name: str):
    from django.template.loader import get_template

    from core.templatetags.personal import PersonalNode

    key = (template_name, name)
    if key not in _nodes or settings.DEBUG:
        template = get_template(template_name).template
        for node in template.nodelist.get_nodes_by_type(PersonalNode):
            _nodes[(template_name, node.name)] = (template, node)
    return _nodes[key]


def _render_personal(request, pieces: list, blocks: dict, context: dict) -> str:
    """Join a kept page's pieces, each personal block rendered afresh for this request
    (with the context processors, the page's personal context and the block's own
    arguments), each CSRF slot filled with a fresh token."""
    from django.template.context import make_context
    from django.utils.functional import SimpleLazyObject

    # One masked CSRF token for the slots and the blocks' {% csrf_token %} tags (each
    # new one costs 32 reads of the system's random source).
    token = SimpleLazyObject(lambda: get_token(request))
    request_context = make_context({**context, "csrf_token": token}, request)
    bound = None
    out = []
    try:
        for piece in pieces:
            if isinstance(piece, str):
                out.append(piece)
            elif piece is CSRF_SLOT:
                out.append(str(token))
            else:
                name, query = piece
                template, node = _personal_node(blocks[name], name)
                if bound is None:
                    bound = request_context.bind_template(template)
                    bound.__enter__()
                arguments = dict(parse_qsl(query, keep_blank_values=True))
                with request_context.push(**arguments):
                    out.append(node.nodelist.render(request_context))
    finally:
        if bound is not None:
            bound.__exit__(None, None, None)
    return "".join(out)


def _split(content: str) -> tuple[str, list]:
    """(what is sent: the blocks' markers removed; what is kept: its pieces, with
    placeholders for the blocks and slots for the CSRF tokens)."""
    sent = _MARKED.sub(lambda match: match.group(3), content)
    kept = _MARKED.sub(
        lambda match: f"<!--louzu-personal:{match.group(1)}?{match.group(2)}-->",
        content,
    )
    return sent, _pieces(kept)


def _fresh(view, request, args, kwargs):
    """Run the view while recording its personal blocks; return (response, blocks,
    kept)."""
    setattr(request, RECORDING, {})
    try:
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
    finally:
        blocks = getattr(request, RECORDING)
        delattr(request, RECORDING)
    kept = None
    if not response.streaming and "text/html" in response.get("Content-Type", ""):
        sent, kept = _split(response.content.decode())
        response.content = sent
    return response, blocks, kept


def cached_page(view=None, *, personal=None, unless=None):
    """Serve a view's page from the cache shared by everyone with the same audience.

    `personal(request, *args, **kwargs)` returns the context of the page's personal
    blocks; it must make the same access checks as the view (it runs on every hit, in
    place of the view). Pages with no personal block of their own need none: the top
    bar's block is rendered from the context processors. `unless(request)` true means
    this request's page is not shared (e.g. a list filtered to "mine").
    """
    if view is None:
        return lambda view: cached_page(view, personal=personal, unless=unless)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if (
            not enabled()
            or request.method != "GET"
            or _has_messages(request)
            or (unless is not None and unless(request))
        ):
            return view(request, *args, **kwargs)
        found = _page_key(request)
        if found is None:
            return view(request, *args, **kwargs)
        key, scopes = found
        tokens, values = _read_page(request, key, scopes)
        _remember_audience(request)
        stored = values.get(key)
        if stored is None:
            response, blocks, kept = _fresh(view, request, args, kwargs)
            if (
                response.status_code == 200
                and kept is not None
                and not response.cookies
                and not _has_messages(request)
            ):
                value = (response["Content-Type"], kept, blocks)
                store(key, tokens, scopes, value, PAGE_SECONDS)
                _mark(response, "miss")
            return response
        content_type, kept, blocks = stored
        context = personal(request, *args, **kwargs) if personal else {}
        body = _render_personal(request, kept, blocks, context)
        if getattr(settings, "LOUZU_PAGE_CACHE_VERIFY", False):
            _verify(view, request, args, kwargs, body)
        response = HttpResponse(body, content_type=content_type)
        _mark(response, "hit")
        return response

    wrapper.louzu_cached_page = unless  # for _plan_prefetch (None: always shared)
    return wrapper


def _mark(response: HttpResponse, outcome: str) -> None:
    """Say whether the page came from the cache, where that is switched on (never in
    production: a hit tells the reader that someone opened the same page before)."""
    if getattr(settings, "LOUZU_PAGE_CACHE_HEADER", False):
        response[HEADER] = outcome


class StalePage(AssertionError):
    pass


def _verify(view, request, args, kwargs, body: str) -> None:
    """Tests: a page served from the cache must equal the page the view makes now."""
    fresh, _blocks, _kept = _fresh(view, request, args, kwargs)
    expected = _TOKENS.sub("", fresh.content.decode())
    served = _TOKENS.sub("", body)
    if fresh.status_code != 200 or expected != served:
        import difflib

        diff = "\n".join(
            difflib.unified_diff(
                expected.splitlines(), served.splitlines(), "fresh", "cached", n=1
            )
        )
        raise StalePage(
            f"{request.get_full_path()} served from the cache differs from a fresh "
            f"render (status {fresh.status_code}):\n{diff[:3000]}"
        )
