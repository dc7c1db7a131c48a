"""The permission matrix: every URL pattern of the portal and of the API,
walked with every role, its path parameters filled with real objects.

The objects all lie on one side (Hangzhou market supervision, platform A = 星河);
each role exists on that side and on the other (Guangzhou market supervision,
platform B = 云帆). So each route is asked:

- by the role's own side: ``see`` answer 200; anybody else signed in 403 or 404;
- by the same role of the other side (``MIRROR``): 404 for every object, GET and
  POST alike — never 200, never another party's data;
- by roles for whom the object is out of scope on the same side (``hidden``, e.g.
  the cyberspace office for a market-supervision complaint): 404;
- for actions (POST): ``act`` may take it (anything but 401/403/404); whoever
  may see the object (``viewers``) but not act gets 403;
- anonymously: pages redirect to sign-in, the API answers 401; public pages
  answer what ``anon`` says; an API key on a page is anonymous there;
- and nobody, ever, a 5xx.

A URL pattern missing from ``SPEC`` fails :func:`test_every_url_is_in_the_matrix`
with its name: a new URL cannot slip by.
"""

from dataclasses import dataclass, field
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.urls import NoReverseMatch

from .params import PARAMS
from .walk import client_for, routes, url_of
from .world import build_world

# --- roles --------------------------------------------------------------------------------------

H = frozenset({"handler", "supervisor"})  # Hangzhou market supervision, handling cases
SUP = frozenset({"supervisor"})
D = frozenset({"dept_admin"})
C = frozenset({"cyber_handler"})  # Hangzhou cyberspace: same region, other matters
HB = frozenset({"gz_handler", "gz_supervisor"})
DB = frozenset({"gz_dept_admin"})
O = frozenset({"officer"})  # platform A's officer, signed in  # noqa: E741
OB = frozenset({"officer_b"})
KA = frozenset({"key_a"})  # platform A's API key
KB = frozenset({"key_b"})
S = frozenset({"site_admin"})
STAFF = H | D | C | HB | DB
USERS = STAFF | O | OB | S
EVERYONE_API = USERS | KA | KB

ROLES = sorted(USERS | KA | KB | {"anonymous"})
# The same role on the other side, for whom every object of the world is out of scope.
MIRROR = {
    "gz_handler": "handler",
    "gz_supervisor": "supervisor",
    "gz_dept_admin": "dept_admin",
    "officer_b": "officer",
    "key_b": "key_a",
}
NOT_MINE = {403, 404}


@dataclass(frozen=True)
class Rule:
    see: frozenset = frozenset()  # GET answers 200
    anon: object = "login"  # "login" (pages: redirect to sign-in), 401 (API), or a status
    other: frozenset = frozenset(NOT_MINE)  # what other signed-in roles get on GET
    hidden: frozenset = frozenset()  # same side, but out of scope: 404
    post_only: bool = False  # GET answers 405 (or 403/404 before the method check)
    viewers: frozenset = frozenset()  # may see the object an action is about
    act: frozenset = frozenset()  # may take the action (POST)
    post: bool = True  # walk POST as well
    expect: dict = field(default_factory=dict)  # role → status, where a route is odd


def page(see=frozenset(), **kw) -> Rule:
    return Rule(see=frozenset(see), **kw)


def api(see=frozenset(), **kw) -> Rule:
    return Rule(see=frozenset(see), anon=401, **kw)


def action(viewers, act=frozenset(), *, anon="login", **kw) -> Rule:
    return Rule(post_only=True, viewers=frozenset(viewers), act=frozenset(act), anon=anon, **kw)


def api_action(viewers, act=frozenset(), **kw) -> Rule:
    return action(viewers, act, anon=401, **kw)


PUBLIC = {"anon": 200, "see": USERS}
ONLY_WITH_CONSUMER_SESSION = {"anon": 404, "other": frozenset({404})}
# Documents not yet made in the world's state (nothing to print): 404 for all.
NOT_YET = {}

SPEC: dict[str, Rule] = {
    "home": page(**PUBLIC),
    "login": page(anon=200, other=frozenset({302})),
    "logout": page(anon=405, other=frozenset({405}), post=False),
    "set_language": page(anon=302, other=frozenset({302})),
    # The two-factor steps (owned by the sign-in work): never a 5xx, no object.
    "two-factor-verify": page(anon=302, other=frozenset({200, 302})),
    "two-factor-enrol": page(anon=302, other=frozenset({200, 302})),
    "healthz": page(**PUBLIC),
    "statistics": page(**PUBLIC),
    "approvals": page(STAFF),
    "help": page(**PUBLIC),
    # one's own notifications; opening one goes to what it is about (302), another
    # reader's answers 404
    "notifications": page(USERS),
    "notifications-read": action(set(), USERS),
    "notification-open": page(expect={"officer": 302}),
    # a complaint's description in full, for those who may see identity numbers
    "free-text": page(SUP | S, hidden=C, viewers=H | D | S, act=SUP | S),
    "free-text-reveal": api_action(EVERYONE_API - SUP - S, SUP | S),
    "statistics-staff": page(STAFF | S),
    "statistics-reports": page(STAFF | S),
    "statistics-report-download": page(**NOT_YET),
    "api-keys": page(O | OB),
    "api-key-revoke": page(O, act=O),  # a confirmation page, then the POST
    # a department's staff: its admin (the other department's admin sees their own)
    "staff-list": page(D | S),
    "staff-invite": page(D | S),
    "staff-member": page(D | S),
    "staff-action": page(D | S, viewers=D | S, act=D | S),  # a confirmation page, then the POST
    # the invitation's link: public; a token that does not match says so (200)
    "invite-accept": page(**PUBLIC, expect=dict.fromkeys(MIRROR, 200)),
    # registry
    "registry:live-rooms": page(STAFF | O | OB | S),
    "registry:live-room": page(H | D | C | O | S),
    "registry:marketer": page(H | D | C | O | S),
    "register-search": page(STAFF | O | OB | S),
    # complaints: the public side
    "complaints:new": page(**PUBLIC),
    "complaints:track": page(**PUBLIC),
    "complaints:submitted": page(**ONLY_WITH_CONSUMER_SESSION),
    "complaints:receipt": page(**ONLY_WITH_CONSUMER_SESSION),
    "complaints:tracked": page(**ONLY_WITH_CONSUMER_SESSION),
    "complaints:tracked-notice": page(**ONLY_WITH_CONSUMER_SESSION),
    # Public; a code no document was issued under answers 404 to everyone.
    "document-verify": page(anon=404, other=frozenset({404})),
    "complaints:evidence": page(H | D | O | S, anon=404, hidden=C),
    # complaints: staff and platforms
    "complaints:list": page(STAFF | S),
    "complaints:export": page(STAFF | S),
    "complaints:bulk": action(set(), STAFF | S),
    "complaints:filter-save": action(set(), STAFF | S),
    "complaints:filter-delete": action(set(), {"handler"}),
    "complaints:detail": page(H | D | S, hidden=C),
    "complaints:action": action(H | D | S, H, hidden=C),
    "complaints:document": page(H | D | S, hidden=C),
    "complaints:forwards": page(O | OB | S),
    "complaints:forward": page(O),
    # blacklist (the world's entry is proposed, shared within Zhejiang once listed;
    # the listed entry has a credit repair pending)
    "blacklist:entries": page(USERS),
    "blacklist:public": page(**PUBLIC),
    "blacklist:propose": page(H | HB | C),
    "blacklist:platform-add": page(O | OB),
    "blacklist:screening": page(H | HB | C | O | OB | S),
    "blacklist:screenings": page(STAFF),
    "blacklist:screening-hits": page(H | D),
    "blacklist:screening-jobs": page(O | OB),
    "blacklist:screening-job": page(O),
    "blacklist:screening-job-result": page(O),
    "blacklist:entry": page(H | D | S, hidden=C | O),
    "blacklist:notify": page(H, viewers=H | D | S, act=H, hidden=C | O),
    "blacklist:statement": page(H, viewers=H | D | S, act=H, hidden=C | O),
    "blacklist:decide": page(SUP, viewers=H | D | S, act=SUP, hidden=C | O),
    "blacklist:repair-apply": page(H, viewers=H | D | C | S, act=H, hidden=O),
    "blacklist:repair-accept": page(H, viewers=H | D | C | S, act=H, hidden=O),
    "blacklist:repair-decide": page(SUP, viewers=H | D | C | S, act=SUP, hidden=O),
    "blacklist:revoke": page(SUP, viewers=H | D | C | S, act=SUP, hidden=O),
    "blacklist:measures": page(H | C, viewers=H | D | C | S, act=H | C, hidden=O),
    "blacklist:appeal": page(viewers=H | D | C | S, hidden=O),
    "blacklist:notice-pdf": page(H | D | C | S, hidden=O),
    "blacklist:decision-pdf": page(H | D | C | S, hidden=O),
    "blacklist:repair-pdf": page(**NOT_YET),
    "blacklist:document": page(**NOT_YET),
    # platform filings and notices
    "filings:list": page(USERS),
    "filings:export": page(USERS),
    "filings:new": page(O | OB | S),
    "filings:upload": page(O | OB | S),
    "filings:template": page(O | OB | S),
    "filings:upload-report": page(expect={"officer": 302, "officer_b": 302, "site_admin": 302}),
    "filings:detail": page(H | D | C | O | S),
    "filings:notices": page(USERS),
    "filings:notice-new": page(H | HB | C | S),
    "filings:notice": page(H | D | O | S, viewers=H | D | O | S, act=O, hidden=C),
    # identity rosters
    "rosters:list": page(USERS),
    "rosters:template": page(USERS),
    "rosters:cross-province": page(STAFF | S),
    "rosters:detail": page(O | S),
    "rosters:errors": page(O | S),
    "rosters:confirm": action(O | S, O),
    # inspections, clues, consultations, interviews
    "inspections:campaigns": page(STAFF | S),
    "inspections:campaign-new": page(H | HB | C),
    "inspections:campaign": page(H | D | C | S, viewers=H | D | C | S, act=H),
    "inspections:platform": page(O | OB | S),
    "inspections:inspection": page(H | D | C | O | S),
    "inspections:inspection-action": action(H | D | C | O | S),  # closing: not in this state
    "inspections:item-finding": action(H | D | C | O | S),  # findings complete already
    "inspections:request-answer": action(H | D | C | O | S, O),
    "inspections:rectification-report": action(H | D | C | O | S, O),
    "inspections:report-pdf": page(H | D | C | S, hidden=O),
    "inspections:order-pdf": page(H | D | C | O | S),
    "inspections:file": page(H | D | C | O | S),
    "inspections:clues": page(STAFF | S),
    "inspections:clue-new": page(H | HB | C),
    "inspections:clue": page(H | D | C | S),
    "inspections:clue-action": action(H | D | C | S, H),
    "inspections:clue-letter": page(H | D | C | S),
    "inspections:consultations": page(STAFF | S),
    "inspections:consultation-new": page(H | HB | C),
    "inspections:consultation": page(H | D | C | S),
    "inspections:consultation-action": action(H | D | C | S, H | C),
    "inspections:follow-up-done": action(H | D | C | S, H),
    "inspections:interviews": page(USERS),
    "inspections:interview-new": page(H | HB | C),
    "inspections:interview": page(H | D | O | S, hidden=C),
    "inspections:interview-action": action(H | D | O | S, H, hidden=C),
    "inspections:interview-minutes": page(**NOT_YET),
    "inspections:risk": page(STAFF | S),
    "inspections:risk-export": page(STAFF | S),
    # --- the API ---
    "api-schema": page(**PUBLIC),
    "api-docs": page(**PUBLIC),
    "complaint-intake": page(anon=405, other=frozenset({405})),  # public POST
    "complaint-track": page(anon=404, other=frozenset({404}), post=False),
    "rule-set-list": page(anon=200, see=EVERYONE_API, post=False),
    "complaint-list": api(STAFF | S),
    "complaint-detail": api(H | D | S, hidden=C),
    "forward-list": api(O | OB | KA | KB | S),
    "forward-detail": api(O | KA),
    "forward-answer": api_action(O | KA, O | KA),
    "filing-list": api(EVERYONE_API, act=O | OB | KA | KB | S),
    "filing-batch": api_action(set(), O | OB | KA | KB | S),
    "filing-detail": api(H | D | C | O | KA | S),
    "notice-list": api(EVERYONE_API),
    "notice-detail": api(H | D | O | KA | S, hidden=C),
    "notice-reply": api_action(H | D | O | KA | S, O | KA | S, hidden=C),
    "blacklist-api-entries": api(EVERYONE_API),
    "blacklist-api-entry": api(H | D | S, hidden=C | O | KA),
    "blacklist-api-measures": api_action(H | D | C | S, H | C, hidden=O | KA),
    "blacklist-api-appeals": api_action(H | D | C | S, hidden=O | KA),
    "blacklist-api-platform-entries": api_action(set(), O | OB | KA | KB),
    "blacklist-api-export-ftm": api(EVERYONE_API),
    "blacklist-api-export-json": api(EVERYONE_API),
    "blacklist-api-export-csv": api(EVERYONE_API),
    "blacklist-api-export": api(EVERYONE_API),
    "blacklist-api-changes": api(other=frozenset({400})),  # `since` is required
    "screening-api": api_action(set(), EVERYONE_API),
    "screening-api-batch": api_action(set(), EVERYONE_API),
    "screening-api-jobs": api_action(set(), O | OB | KA | KB),
    # the next pages of a single screening's name-only hits: the platform's own screenings
    "screening-api-matches": api(O | KA),
    "screening-api-job": api(O | KA),
    "screening-api-job-errors": api(O | KA),
    "screening-api-job-result-csv": api(O | KA),
    "screening-api-job-result-json": api(O | KA),
    "roster-list": api(EVERYONE_API, act=O | OB | KA | KB | S),
    "roster-detail": api(O | KA | S),
    "document-request-list": api(EVERYONE_API),
    "document-request-detail": api(H | D | C | O | KA | S),
    "document-request-answer": api_action(H | D | C | O | KA | S, O | KA),
    "rectification-order-list": api(EVERYONE_API),
    "rectification-order-detail": api(H | D | C | O | KA | S),
    "rectification-order-report": api_action(H | D | C | O | KA | S, O | KA | S),
    "clue-list": api(STAFF | S, act=H | HB | C | S),
    "clue-detail": api(H | D | C | S),
    "clue-accept": api_action(H | D | C | S, H),
    "clue-acknowledge": api_action(H | D | C | S, H),
    "clue-outcome": api_action(H | D | C | S, H),
    "clue-return": api_action(H | D | C | S, H),
}
# The case actions of the API: who may take each on the world's case (forwarded to
# platform A, assigned to the handler) in its state; the rest of the viewers get 403.
for _name, _act in {
    "accept": set(),
    "approve-extension": set(),
    "assign": SUP,
    "close": H,
    "decide-report": set(),
    "decline": set(),
    "forward": set(),
    "merge": set(),
    "note": H,
    "request-extension": set(),
    "request-material": set(),
    "take": SUP,
    "transfer": set(),
    "exclude-period": H,
}.items():
    SPEC[f"complaint-{_name}"] = api_action(H | D | S, _act, hidden=C)


def _is_admin(name: str) -> bool:
    return name.startswith("admin:")


def test_every_url_is_in_the_matrix():
    """A URL without a row here fails with its name: add it to SPEC (and PARAMS)."""
    names = {route.name for route in routes() if not _is_admin(route.name)}
    missing = sorted(names - SPEC.keys())
    assert not missing, f"URLs not covered by the permission matrix: {missing}"
    unfilled = sorted(
        route.name
        for route in routes()
        if route.params and not _is_admin(route.name) and route.name not in PARAMS
    )
    assert not unfilled, f"URLs whose path parameters the matrix cannot fill: {unfilled}"
    stale = sorted(SPEC.keys() - names)
    assert not stale, f"Rows for URLs that no longer exist: {stale}"


def _is_api_route(route) -> bool:
    return route.is_api and route.name not in ("api-schema", "api-docs")


def _anonymous_like(role: str, route) -> bool:
    """Anonymous, or an API key on a page (a key is read by the API only)."""
    return role == "anonymous" or (role in ("key_a", "key_b") and not _is_api_route(route))


def _expected_get(role: str, route, rule: Rule) -> set[int]:
    if _anonymous_like(role, route):
        if rule.anon == "login":
            return {302}
        return {rule.anon}
    if role in rule.expect:
        return {rule.expect[role]}
    mine = MIRROR.get(role, role)
    if route.params and (role in rule.hidden or (role in MIRROR and mine in rule.see)):
        return {404, 405} if rule.post_only else {404}
    if route.params and role in MIRROR and mine in rule.viewers | rule.act:
        # Out of scope where my side only acts: 404, or refused by role before any lookup.
        return {404, 405} | NOT_MINE
    if role in MIRROR and not route.params:
        role = mine  # a list or form: the other side sees its own
    if role in rule.see:
        return {200}
    if rule.post_only:
        return {405} | NOT_MINE
    if route.params and role not in rule.viewers | rule.act:
        return {404}  # an object out of my scope: as if it did not exist, whatever my role
    return set(rule.other)


def _expected_post(role: str, route, rule: Rule) -> set[int] | None:
    """What a POST with an empty body must answer, or None where any non-5xx will do."""
    if not (rule.post_only or rule.act or rule.viewers) or not rule.post:
        return None
    if _anonymous_like(role, route):
        if route.name == "complaint-intake":
            return None
        return {401} if rule.anon == 401 else {302}
    mine = MIRROR.get(role, role)
    if route.params and role in MIRROR and mine in rule.act:
        return {404}  # my side may act on its own: here the object is not mine
    if route.params and (role in rule.hidden or (role in MIRROR and mine in rule.viewers)):
        return set(NOT_MINE)  # 404, or refused by role before any lookup
    if role in MIRROR and not route.params:
        role = mine
    if role in rule.act:
        return "taken"
    if role in rule.viewers:
        return {403}
    return NOT_MINE


def _check(client, role, route, rule, url, problems):
    answer = client.get(url)
    status = answer.status_code
    wanted = _expected_get(role, route, rule)
    if status >= 500 or status not in wanted:
        problems.append(f"GET  {route.name} {url} as {role}: {status}, want {sorted(wanted)}")
    elif status == 302 and _anonymous_like(role, route) and rule.anon == "login":
        target = urlparse(answer["Location"]).path
        if target != "/login/" and not target.startswith(settings.LOGIN_URL):
            problems.append(f"GET  {route.name} as {role}: redirected to {target}, not sign-in")
    wanted_post = _expected_post(role, route, rule)
    if route.name == "logout" or not rule.post:
        return
    status = client.post(url, {}).status_code
    if status >= 500:
        problems.append(f"POST {route.name} {url} as {role}: {status}")
    elif wanted_post == "taken":
        if status in (401, 403, 404):
            problems.append(f"POST {route.name} {url} as {role}: {status}, want it taken")
    elif wanted_post is not None and status not in wanted_post:
        problems.append(f"POST {route.name} {url} as {role}: {status}, want {sorted(wanted_post)}")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(role):
    world = build_world()
    client = client_for(world, role)
    problems = []
    for route in routes():
        if _is_admin(route.name):
            continue
        rule = SPEC[route.name]
        kwargs = PARAMS[route.name](world.objects) if route.params else {}
        _check(client, role, route, rule, url_of(route, kwargs), problems)
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_the_admin_is_for_site_administrators_only(role):
    """Every admin URL (with a real object where it takes one): the site
    administrator gets it; anybody else is sent to the admin's sign-in."""
    world = build_world()
    client = client_for(world, role)
    problems = []
    complaint = world.objects["complaint"]
    for route in routes():
        if not _is_admin(route.name):
            continue
        kwargs = {}
        for param in route.params:
            kwargs[param] = {
                "app_label": "complaints",
                "model_name": "complaint",
                "object_id": complaint.pk,
                "content_type_id": "1",
                "url": "complaints/complaint/",
                "user_id": world.people["handler"].pk,
                "id": world.people["handler"].pk,
            }.get(param, complaint.pk)
        try:
            url = url_of(route, kwargs)
        except NoReverseMatch:  # a pattern whose parameters are of another kind
            continue
        status = client.get(url).status_code
        if route.name == "admin:login" and role != "site_admin":
            if status != 200:
                problems.append(f"{route.name} as {role}: {status}, want the sign-in form")
        elif role == "site_admin":
            if status >= 500:
                problems.append(f"{route.name} {url}: {status}")
        elif status != 302:
            problems.append(f"{route.name} {url} as {role}: {status}, want the admin sign-in")
    assert not problems, "\n".join(problems)
