"""Every page of the portal, for every persona, as the layout and accessibility tests see them.

Building the people and tickets once and serving them from one server keeps ~170 page checks
under two minutes: the usual `live_server` fixture makes each test transactional, which would
empty the database and rebuild everything for every single page. Here the data is built through
the real services once per module and committed, a server of our own serves it, and when the
module ends the tables are emptied and a snapshot taken before is put back, so the tests that
come after find the database as they expect. The tests themselves only read (they
drive the browser), so they run as ordinary `django_db` tests.

Each language has a world of its own (its own organizations, people and tickets), because a
signed-in person's language is a property of the account.
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import modify_settings
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Request, Response
from pytest_django.live_server_helper import LiveServer

from accounts.models import License, User
from colleagues import services as colleague_services
from colleagues.models import Invitation
from colleagues.selectors import invitation_token
from knowledge import services as knowledge_services
from knowledge.models import Article, ChecklistItem, ProductArea
from replies import services as replies_services
from replies.models import CannedReply
from reports.build import sla_report_build
from sla import defaults
from sla.business_time import business_today, business_zone
from sla.models import Calendar, Priority, Target, Tier, WorkingHours
from tests import factories
from tickets import services
from tickets.models import Ticket
from tickets.rating_links import rating_token
from workspace import saved_views

LANGUAGES = ("en", "ru")
# 1400: the narrowest width at which the navigation shows every link in a row (navbar-expand-xxl).
PHONE, DESKTOP, WIDE = 390, 1366, 1400
WIDTHS = (PHONE, DESKTOP, WIDE)
HEIGHTS = {PHONE: 844, DESKTOP: 900, WIDE: 900}
STATES = ("registered", "in_progress", "awaiting_customer", "resolved", "disputed", "closed")
MISSING_TICKET = "SUP-1999-999999"

# The data each world is made of, in its own language.
NAMES = {
    "en": {
        "org_a": "Alpha Logistics",
        "org_b": "Beta Bank",
        "alice": "Alice",
        "bob": "Bob",
        "engineer": "Eve",
        "admin": "Ada",
        "olga": "Olga",
        "subject": "The VPN tunnel to the Kazan office drops every hour",
        "carol": "Carol",
        "saved_view": "High",
        "saved_view_long": "High-priority tickets of the Kazan office",
    },
    "ru": {
        "org_a": "Альфа Логистика",
        "org_b": "Бета Банк",
        "alice": "Алиса",
        "bob": "Борис",
        "engineer": "Ева",
        "admin": "Ада",
        "olga": "Ольга",
        "subject": "Туннель VPN до офиса в Казани падает каждый час",
        "carol": "Карина",
        "saved_view": "Высокий",
        "saved_view_long": "Заявки высокого приоритета офиса в Казани",
    },
}


@dataclass
class World:
    """One language's people and tickets."""

    language: str
    people: dict[str, User]
    tickets: dict[tuple[str, str], Ticket] = field(default_factory=dict)
    colleague: User | None = None
    invitation: Invitation | None = None
    articles: dict[str, Article] = field(default_factory=dict)
    canned_reply: CannedReply | None = None

    def ticket(self, persona: str, state: str) -> Ticket:
        return self.tickets[persona, state]


@dataclass
class Site:
    url: str
    worlds: dict[str, World]
    sessions: dict[tuple[str, str], str]  # (persona, language) -> session cookie

    def world(self, language: str) -> World:
        return self.worlds[language]


def build_world(language: str) -> World:
    """People and a ticket in every state for each customer, through the real services."""
    names = NAMES[language]
    suffix = "" if language == "en" else f".{language}"
    org_a = factories.OrganizationFactory(name=names["org_a"])
    org_b = factories.OrganizationFactory(name=names["org_b"])
    # Alice runs her organization's side of the portal (issue 15): the colleagues pages.
    alice = factories.OrganizationAdminFactory(
        email=f"alice{suffix}@alpha.example",
        first_name=names["alice"],
        organization=org_a,
        language=language,
        phone="+7 495 100-00-01",
    )
    bob = factories.CustomerFactory(
        email=f"bob{suffix}@beta.example",
        first_name=names["bob"],
        organization=org_b,
        language=language,
    )
    engineer = factories.EngineerFactory(
        email=f"eve{suffix}@vendor.example", first_name=names["engineer"], language=language
    )
    admin = factories.EngineerFactory(
        email=f"ada{suffix}@vendor.example",
        first_name=names["admin"],
        language=language,
        is_staff=True,
        is_superuser=True,
    )
    upper = language.upper()
    licenses = {
        "alice": factories.LicenseFactory(
            organization=org_a, key=f"ALPHA-{upper}-0001", tier_id="standard"
        ),
        "bob": factories.LicenseFactory(
            organization=org_b,
            key=f"BETA-{upper}-0001",
            tier_id="platinum",
            hotline_phone="+7 495 111-22-33",
        ),
    }
    olga = factories.OrganizationAdminFactory(
        email=f"olga{suffix}@alpha.example",
        first_name=names["olga"],
        organization=org_a,
        language=language,
    )
    world = World(
        language=language,
        people={"alice": alice, "bob": bob, "engineer": engineer, "admin": admin, "olga": olga},
    )
    for persona, license in licenses.items():
        customer = world.people[persona]
        # A long subject on the list, as people write them.
        factories.TicketFactory(customer=customer, license=license, subject=names["subject"])
        for state in STATES:
            world.tickets[persona, state] = factories.ticket_in_state(
                state, customer=customer, engineer=engineer, license=license
            )
    # Last month's SLA report has breaches to explain: tickets never taken.
    for day in (3, 10, 17):
        factories.TicketFactory(
            customer=alice,
            license=licenses["alice"],
            subject=names["subject"],
            priority="high",
            now=datetime.datetime.combine(
                last_month() + datetime.timedelta(days=day), datetime.time(11), business_zone()
            ),
        )
    # As the beat stores it on the first business day (reports.monthly).
    sla_report_build(organization=org_a, month=last_month(), now=timezone.now())
    _self_help(world, licenses)
    # The hotline has a call on record.
    services.hotline_call_log(
        actor=engineer,
        outcome="linked",
        caller=bob,
        ticket=world.ticket("bob", "in_progress"),
        notes="Asked about the deadline." if language == "en" else "Спросили о сроках.",
    )
    # A colleague who follows one of Alice's tickets, and an invitation waiting for an answer.
    carol = factories.CustomerFactory(
        email=f"carol{suffix}@alpha.example", first_name=names["carol"], organization=org_a
    )
    services.watcher_add(actor=alice, ticket=world.ticket("alice", "in_progress"), user=carol)
    services.ticket_follow(actor=engineer, ticket=world.ticket("alice", "in_progress"))
    world.colleague = carol
    _merged_and_linked(world, licenses["alice"], names["subject"])
    _canned_replies(world)
    world.invitation = colleague_services.invitation_send(
        actor=alice, email=f"dan{suffix}@alpha.example", language=language
    )
    # Saved queue views (issue 18): tabs beside the built-in views, long names included.
    for name, query in (
        (names["saved_view"], "view=open&priority=high"),
        (names["saved_view_long"], "view=unassigned&priority=high"),
    ):
        saved_views.saved_view_create(actor=engineer, name=name, query=query)
    return world


def _merged_and_linked(world: World, license: License, subject: str) -> None:
    """Issue 18: a duplicate of Alice's merged into another of hers, which is linked to one of
    Alice's tickets and to one of Beta's (which Alice must not see)."""
    alice, engineer = world.people["alice"], world.people["engineer"]
    target = factories.TicketFactory(customer=alice, license=license, subject=subject)
    duplicate = factories.TicketFactory(customer=alice, license=license, subject=subject)
    body = "Same drop on the second tunnel." if world.language == "en" else "Второй туннель тоже."
    services.message_post(actor=alice, ticket=duplicate, body=body)
    services.ticket_merge(actor=engineer, ticket=duplicate, into=target)
    services.ticket_link(actor=engineer, ticket=target, other=world.ticket("alice", "closed"))
    services.ticket_link(actor=engineer, ticket=target, other=world.ticket("bob", "in_progress"))
    world.tickets["alice", "merge_target"] = target
    world.tickets["alice", "duplicate"] = duplicate


def _canned_replies(world: World) -> None:
    """Issue 18: a team reply in both languages and the engineer's own, with a long title."""
    engineer = world.people["engineer"]
    replies_services.canned_reply_save(
        actor=world.people["admin"],
        title="Taken into work" if world.language == "en" else "Принята в работу",
        text_ru="Здравствуйте, {{имя_клиента}}! Заявка {{номер_заявки}} в работе.",
        text_en="Hello {{customer_name}}, ticket {{ticket_number}} is in work.",
        keyword=f"take-{world.language}",  # both worlds share the team's replies
        team=True,
    )
    world.canned_reply = replies_services.canned_reply_save(
        actor=engineer,
        title="A signature for customers who asked for the details of the escalation procedure",
        text_ru="С уважением,\n{{имя_инженера}}",
        text_en="Best regards,\n{{engineer_name}}",
        keyword="sig",
    )


def last_month() -> datetime.date:
    """The first day of the month before this one (the SLA report pages show it)."""
    return (business_today().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def _report(path: str) -> Callable[[World], str]:
    return lambda w: f"/reports/{w.people['olga'].organization_id}/{path}".format(
        month=f"{last_month():%Y-%m}"
    )


def _self_help(world: World, licenses: dict) -> None:
    """Issue 17: a product area with its checklist, articles (one a draft, one for Platinum
    only), and a ticket closed after confirmation, which may be rated."""
    language, engineer = world.language, world.people["engineer"]
    area = ProductArea.objects.create(
        code=f"vpn-{language}", name="VPN and tunnels", name_ru="VPN и туннели"
    )
    ChecklistItem.objects.create(
        area=area, text="Collected the diagnostic bundle", text_ru="Собран диагностический пакет"
    )
    title = "VPN tunnel drops every hour" if language == "en" else "Туннель VPN падает каждый час"
    body = "Renew the keys:\n\n```\nike rekey --all\n```\n\nSee https://docs.example.com/vpn"
    for name, tiers in ((title, []), ("Platinum failover", [licenses["bob"].tier])):
        article = knowledge_services.article_save(
            actor=engineer, title=name, body=body, area=area, language=language, tiers=tiers
        )
        world.articles[name] = knowledge_services.article_publish(actor=engineer, article=article)
    world.articles["draft"] = knowledge_services.article_save(
        actor=engineer, title="Draft", body="Later.", area=area, language=language
    )
    for persona, license in licenses.items():
        customer = world.people[persona]
        ticket = factories.ticket_in_state(
            "resolved", customer=customer, engineer=engineer, license=license
        )
        services.ticket_confirm(actor=customer, ticket=ticket)
        world.tickets[persona, "confirmed"] = ticket


def session_cookie(user: User) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


@contextlib.contextmanager
def running_site(django_db_blocker) -> Iterator[Site]:
    """Build both worlds, serve them, and empty the tables afterwards."""
    with django_db_blocker.unblock():
        # The database as the tests before found it (migrated, with its reference data).
        snapshot = connection.creation.serialize_db_to_string()
        defaults.install(Tier, Priority)
        defaults.install_sla(Calendar, WorkingHours, Target)
        worlds = {language: build_world(language) for language in LANGUAGES}
        sessions = {
            (persona, language): session_cookie(person)
            for language, world in worlds.items()
            for persona, person in world.people.items()
        }
    server = LiveServer("localhost")
    hosts = modify_settings(ALLOWED_HOSTS={"append": "localhost"})
    hosts.enable()
    try:
        yield Site(url=server.url, worlds=worlds, sessions=sessions)
    finally:
        hosts.disable()
        server.stop()
        # Back to that database, as Django's serialized rollback does it.
        with django_db_blocker.unblock():
            call_command(
                "flush",
                interactive=False,
                verbosity=0,
                reset_sequences=False,
                inhibit_post_migrate=True,  # the snapshot has the content types and permissions
            )
            connection.creation.deserialize_db_from_string(snapshot)
            # Under Playwright's event loop this is a connection of its own: let it go, or the
            # test database cannot be dropped at the end.
            connection.close()


# --- The pages ------------------------------------------------------------------------------

Visit = Callable[[Page, str], None]  # what to do on the page after it loads (a form to send)


@dataclass(frozen=True)
class Case:
    """One page as one persona sees it."""

    persona: str  # alice (Standard), bob (Platinum), olga (Alpha's admin), engineer, admin,
    # anonymous
    name: str
    path: Callable[[World], str]
    status: int = 200
    then: Visit | None = None
    # The status of the page the `then` action lands on.
    then_status: int = 200
    # Where the `then` form posts, relative to the page, if not to the page itself.
    posts_to: str = ""

    @property
    def id(self) -> str:
        return f"{self.persona}-{self.name}"


def submit(form_selector: str, *, fill: dict[str, str] | None = None) -> Visit:
    """Fill the fields and send the form the way a person does, without the browser's own
    checks of required fields (the server's answer is what is under test)."""

    def visit(page: Page, _url: str) -> None:
        for selector, value in (fill or {}).items():
            page.locator(selector).fill(value)
        form = page.locator(form_selector)
        with page.expect_navigation():
            form.evaluate("form => { form.noValidate = true; form.requestSubmit(); }")

    return visit


def submit_confirmed(form_selector: str, *, fill: dict[str, str] | None = None) -> Visit:
    """As `submit`, for a form that asks "are you sure?" first (data-confirm): yes."""
    send = submit(form_selector, fill=fill)

    def visit(page: Page, url: str) -> None:
        page.once("dialog", lambda dialog: dialog.accept())
        send(page, url)

    return visit


def _detail(persona: str, state: str) -> Callable[[World], str]:
    return lambda world: f"/tickets/{world.ticket(persona, state).number}/"


def customer_cases(persona: str) -> list[Case]:
    cases = [
        Case(persona, "ticket_list", lambda w: "/tickets/"),
        Case(persona, "new_ticket", lambda w: "/tickets/new/"),
        Case(
            persona,
            "new_ticket_refused",
            lambda w: "/tickets/new/",
            then=submit("form:has(#id_license_key)", fill={"#id_license_key": "NOPE-1"}),
            then_status=400,
        ),
        Case(
            persona,
            "registered_page",
            lambda w: f"/tickets/{w.ticket(persona, 'registered').number}/registered/",
        ),
    ]
    cases += [Case(persona, f"ticket_{state}", _detail(persona, state)) for state in STATES]
    cases += [
        Case(persona, "notifications", lambda w: "/tickets/notifications/"),
        Case(persona, "profile", lambda w: "/accounts/profile/"),
        Case(persona, "password_change", lambda w: "/accounts/password/change/"),
        Case(persona, "two_factor", lambda w: "/accounts/2fa/"),
        # Setting up an app first asks for the password again (a session of its own here).
        Case(persona, "totp_activate", lambda w: "/accounts/2fa/totp/activate/"),
        Case(persona, "sessions", lambda w: "/accounts/sessions/"),
        # Issue 17: the knowledge base, a closed ticket to rate, the mail's rating link.
        Case(persona, "knowledge_base", lambda w: "/kb/?q=VPN"),
        Case(persona, "article", lambda w: f"/kb/{next(iter(w.articles.values())).pk}/"),
        Case(persona, "ticket_confirmed", _detail(persona, "confirmed")),
        Case(persona, "rate_by_link", lambda w: _rate_link(w, persona) + "?score=4"),
        Case(persona, "rate_link_refused", lambda w: "/tickets/rate/forged/", status=400),
    ]
    return cases


# Alice is her organization's admin (issue 15).
MERGE_CASES = [  # issue 18: Alice's side of a merge (Bob's linked ticket is not hers to see)
    Case("alice", "merge_target", _detail("alice", "merge_target")),
    Case("alice", "duplicate", _detail("alice", "duplicate")),
]

COLLEAGUES_CASES = [
    Case("alice", "colleagues", lambda w: "/colleagues/"),
    Case(
        "alice",
        "colleagues_invite_refused",
        lambda w: "/colleagues/",
        then=submit("form.invite-form", fill={"#id_email": "bob@beta.example"}),
        then_status=400,
    ),
    Case("alice", "colleague_licenses", lambda w: f"/colleagues/{w.colleague.pk}/licenses/"),
    Case("alice", "tickets_filed_by_me", lambda w: "/tickets/?mine=1"),
    Case("bob", "colleagues_forbidden", lambda w: "/colleagues/", status=403),
    Case(
        "anonymous",
        "invitation_sign_up",
        lambda w: f"/colleagues/join/{invitation_token(w.invitation)}/",
    ),
    Case(
        "anonymous",
        "invitation_sign_up_refused",
        lambda w: f"/colleagues/join/{invitation_token(w.invitation)}/",
        then=submit("form.accept-form", fill={"#id_first_name": "Dan"}),
        then_status=400,
    ),
]


def _rate_link(world: World, persona: str) -> str:
    token = rating_token(ticket=world.ticket(persona, "confirmed"), customer=world.people[persona])
    return f"/tickets/rate/{token}/"


ENGINEER_CASES = [
    Case("engineer", "queue", lambda w: "/work/queue/"),
    Case("engineer", "queue_filtered", lambda w: "/work/queue/?view=unassigned&priority=high"),
    Case("engineer", "dashboard", lambda w: "/work/dashboard/"),
    Case("engineer", "sla_calculator", lambda w: "/work/sla-calculator/"),
    Case(
        "engineer",
        "sla_calculator_results",
        lambda w: "/work/sla-calculator/",
        then=submit("form:has(#id_events)"),
    ),
    Case("engineer", "hotline_caller", lambda w: f"/tickets/hotline/?caller={w.people['bob'].pk}"),
    Case("engineer", "ticket", _detail("bob", "in_progress")),
    Case("engineer", "all_tickets", lambda w: "/tickets/"),
    Case("engineer", "two_factor", lambda w: "/accounts/2fa/"),
    Case("engineer", "knowledge_base", lambda w: "/kb/"),
    Case("engineer", "article_draft", lambda w: f"/kb/{w.articles['draft'].pk}/"),
    Case("engineer", "article_new", lambda w: "/kb/new/"),
    Case("engineer", "article_edit", lambda w: f"/kb/{w.articles['draft'].pk}/edit/"),
    Case(
        "engineer",
        "article_refused",
        lambda w: "/kb/new/",
        then=submit("#article-form"),
        then_status=400,
    ),
    Case("engineer", "resolved_ticket", _detail("alice", "resolved")),
    # Issue 18: merged and related tickets, and a merge refused with the number kept.
    Case("engineer", "merge_target", _detail("alice", "merge_target")),
    Case(
        "engineer",
        "merge_refused",
        _detail("alice", "registered"),
        then=submit_confirmed("#merge-form", fill={"#id_merge-into": MISSING_TICKET}),
        then_status=400,
        posts_to="merge/",
    ),
    Case("engineer", "profile", lambda w: "/accounts/profile/"),
    Case("engineer", "saved_views", lambda w: "/work/queue/views/"),
    Case("engineer", "saved_view", lambda w: "/work/queue/?view=open&priority=high"),
    # Issue 18: canned replies, their page and the form refused (an unknown placeholder).
    Case("engineer", "canned_replies", lambda w: "/replies/"),
    Case("engineer", "canned_reply_edit", lambda w: f"/replies/{w.canned_reply.pk}/edit/"),
    Case(
        "engineer",
        "canned_reply_refused",
        lambda w: "/replies/new/",
        then=submit("#canned-reply-form", fill={"#id_text_en": "Hi {{client}}"}),
        then_status=400,
    ),
    Case("admin", "canned_replies", lambda w: "/replies/"),
]

REPORT_CASES = [
    Case("engineer", "reports", lambda w: f"/reports/?q={w.people['olga'].organization.name}"),
    Case("engineer", "report_months", _report("")),
    Case("engineer", "report", _report("{month}/")),
    # An organization admin: /reports/ leads to their organization's months.
    Case("olga", "report_months", lambda w: "/reports/"),
    Case("olga", "report", _report("{month}/")),
]

ANONYMOUS_CASES = [
    Case("anonymous", "login", lambda w: "/accounts/login/"),
    Case(
        "anonymous",
        "login_refused",
        lambda w: "/accounts/login/",
        then=submit(
            "form.login-form",
            fill={"#id_login": "nobody@nowhere.example", "#id_password": "wrong password"},
        ),
    ),
    Case("anonymous", "password_reset", lambda w: "/accounts/password/reset/"),
    # A missing ticket sends a stranger to the login page; an address that names nothing is 404.
    Case("anonymous", "error_404", lambda w: "/no-such-page/", status=404),
]

ERROR_CASES = [
    Case("alice", "error_404", lambda w: f"/tickets/{MISSING_TICKET}/", status=404),
    Case("alice", "error_403", lambda w: "/work/queue/", status=403),
    # A NUL byte in the address (helpdesk/middleware.py).
    Case("alice", "error_400", lambda w: "/tickets/?q=%00", status=400),
]

ADMIN_CASES = [
    Case("admin", "admin_index", lambda w: "/admin/"),
    Case("admin", "admin_tickets", lambda w: "/admin/tickets/ticket/"),
    Case(
        "admin",
        "admin_ticket",
        lambda w: f"/admin/tickets/ticket/{w.ticket('alice', 'resolved').pk}/change/",
    ),
    Case("admin", "admin_sent_mail", lambda w: "/admin/sent-mail/"),
    Case("admin", "admin_articles", lambda w: "/admin/knowledge/article/"),
    Case("admin", "admin_product_areas", lambda w: "/admin/knowledge/productarea/"),
]

ALL_CASES = [
    *customer_cases("alice"),
    *customer_cases("bob"),
    *ENGINEER_CASES,
    *REPORT_CASES,
    *ANONYMOUS_CASES,
    *ERROR_CASES,
    *ADMIN_CASES,
    *COLLEAGUES_CASES,
    *MERGE_CASES,
]


# --- Browser contexts and what a page reports -------------------------------------------------


class Contexts:
    """One browser context per persona, language and width, signed in once, and one tab in it
    that every page of that combination is loaded into."""

    def __init__(self, browser: Browser, site: Site) -> None:
        self.browser = browser
        self.site = site
        self._contexts: dict[tuple[str, str, int], BrowserContext] = {}
        self._pages: dict[tuple[str, str, int], Page] = {}

    def page(self, persona: str, language: str, width: int) -> Page:
        key = (persona, language, width)
        if key not in self._pages or self._pages[key].is_closed():
            self._pages[key] = self.get(persona, language, width).new_page()
        return self._pages[key]

    def get(self, persona: str, language: str, width: int) -> BrowserContext:
        key = (persona, language, width)
        if key not in self._contexts:
            context = self.browser.new_context(
                viewport={"width": width, "height": HEIGHTS[width]},
                locale="ru-RU" if language == "ru" else "en-US",
                is_mobile=width == PHONE,
                has_touch=width == PHONE,
            )
            context.set_default_timeout(10_000)
            if persona == "anonymous":
                cookie = {"name": settings.LANGUAGE_COOKIE_NAME, "value": language}
            else:
                cookie = {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": self.site.sessions[persona, language],
                }
            context.add_cookies([{**cookie, "url": self.site.url}])
            self._contexts[key] = context
        return self._contexts[key]

    def close(self) -> None:
        for context in self._contexts.values():
            context.close()


@dataclass
class Problems:
    """What went wrong while a page loaded, in words a reader of the test output can act on."""

    console: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    documents: set[str] = field(default_factory=set)  # pages answered with a 4xx on purpose
    # The requests made while watching: a request the page before still had in flight (the
    # ticket page's canned replies, say) is aborted by the navigation, and is not this page's.
    started: set[Request] = field(default_factory=set)

    @contextlib.contextmanager
    def watching(self, page: Page) -> Iterator[None]:
        listeners = {
            "console": self._console,
            "pageerror": self._uncaught,
            "request": self._started,
            "requestfailed": self._failed,
            "response": self._response,
        }
        for event, listener in listeners.items():
            page.on(event, listener)
        try:
            yield
        finally:
            for event, listener in listeners.items():
                page.remove_listener(event, listener)

    def _uncaught(self, error: Exception) -> None:
        self.console.append(f"uncaught: {error}")

    def _console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        where = message.location.get("url", "")
        # Chromium logs a document answered with 404/403/400 as a failed resource; the status
        # of the document itself is checked on its own.
        if message.text.startswith("Failed to load resource") and where in self.documents:
            return
        self.console.append(f"{message.text} ({where}:{message.location.get('lineNumber')})")

    def _started(self, request: Request) -> None:
        self.started.add(request)

    def _failed(self, request: Request) -> None:
        if request not in self.started:
            return
        self.requests.append(f"{request.method} {request.url} failed: {request.failure}")

    def _response(self, response: Response) -> None:
        url = response.url
        if response.status >= 400 and ("/static/" in url or "favicon" in url):
            self.requests.append(f"{response.request.method} {url} -> {response.status}")


def open_case(page: Page, site: Site, case: Case, language: str, problems: Problems) -> Response:
    """Load the case's page (and send its form, if it has one); the last document's response."""
    url = site.url + case.path(site.world(language))
    if case.status >= 400:
        problems.documents.add(url)
    response = page.goto(url, wait_until="load")
    assert response is not None, url
    assert response.status == case.status, (
        f"{url} answered {response.status}, expected {case.status}"
    )
    if case.then is not None:
        if case.then_status >= 400:
            problems.documents.add(url + case.posts_to)
        with page.expect_response(lambda r: r.request.resource_type == "document") as answer:
            case.then(page, url)
        response = answer.value
        assert response.status == case.then_status, (
            f"the form on {url} answered {response.status}, expected {case.then_status}"
        )
        page.wait_for_load_state("load")
    return response


# Elements that stick out of the window, innermost first: where the overflow comes from.
OVERFLOWING = """limit => {
  const wide = [...document.body.querySelectorAll('*')].filter(element => {
    const box = element.getBoundingClientRect();
    return box.width > 0 && box.right > limit + 1;
  });
  const innermost = wide.filter(element => !wide.some(other => other !== element
                                                      && element.contains(other)));
  return innermost.slice(0, 4).map(element => {
    const box = element.getBoundingClientRect();
    const id = element.id ? '#' + element.id : '';
    const classes = [...element.classList].slice(0, 3).map(name => '.' + name).join('');
    const text = (element.innerText || element.value || '').trim().replace(/\\s+/g, ' ');
    return `${element.tagName.toLowerCase()}${id}${classes} right=${Math.round(box.right)}`
      + (text ? ` "${text.slice(0, 50)}"` : '');
  });
}"""


def overflow(page: Page) -> str | None:
    """None if the page fits its window; else how wide it is and what sticks out.

    The window is the width asked for: a phone's browser (Playwright's `is_mobile`) widens
    `innerWidth` to the content, zoomed out, so on a phone `scrollWidth <= innerWidth` holds
    even for a page twice too wide."""
    width = page.viewport_size["width"]
    scroll = page.evaluate("() => document.documentElement.scrollWidth")
    if scroll <= width:
        return None
    culprits = "; ".join(page.evaluate(OVERFLOWING, width)) or "no single element found"
    return f"page is {scroll}px wide in a {width}px window; sticking out: {culprits}"
