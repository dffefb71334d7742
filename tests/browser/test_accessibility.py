"""The main pages pass an axe-core audit: no serious or critical violation, in either language.

axe-core comes bundled with axe-playwright-python (nothing is fetched). Each test prints the
page's violations counted by impact (`pytest -rP` or `-s` shows them), the figures the issue
asks to report; minor and moderate ones are counted, not failed.
"""

from collections import Counter

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser import pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

AUDITED = {
    "anonymous-login",
    "alice-ticket_list",
    "alice-new_ticket",
    "alice-ticket_awaiting_customer",
    "engineer-queue",
    "engineer-dashboard",
    "engineer-hotline_caller",
    "engineer-sla_calculator_results",
    "alice-error_404",
    "alice-colleagues",
    "anonymous-invitation_sign_up",
    "engineer-reports",
    "engineer-report_months",
    "olga-report",
    "alice-profile",  # with the API tokens panel (issue 16)
    "alice-knowledge_base",
    "alice-article",
    "alice-ticket_confirmed",
    "alice-rate_by_link",
    "engineer-article_new",
    "engineer-merge_target",  # merged and related tickets, the merge and link forms (issue 18)
    "alice-merge_target",
    "engineer-canned_replies",
    "engineer-canned_reply_edit",
    "engineer-ticket",  # with the canned reply pickers (issue 18)
}
CASES = [case for case in pages.ALL_CASES if case.id in AUDITED]
BLOCKING = ("critical", "serious")
IMPACTS = ("critical", "serious", "moderate", "minor")
TARGETS_SHOWN = 3


def describe(violation: dict) -> str:
    targets = [" ".join(node["target"]) for node in violation["nodes"]]
    more = f" and {len(targets) - TARGETS_SHOWN} more" if len(targets) > TARGETS_SHOWN else ""
    # The first element's own finding, e.g. the contrast ratio and the two colours.
    first = " ".join(violation["nodes"][0].get("failureSummary", "").split())
    return (
        f"{violation['id']} ({violation['impact']}, {len(targets)} elements): "
        f"{violation['help']}; at {', '.join(targets[:TARGETS_SHOWN])}{more}; first: {first}"
    )


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
@pytest.mark.parametrize("language", pages.LANGUAGES)
def test_it_has_no_serious_accessibility_violation(site, contexts, language, case, record_property):
    page = contexts.page(case.persona, language, pages.DESKTOP)
    problems = pages.Problems()
    with problems.watching(page):
        pages.open_case(page, site, case, language, problems)
    violations = Axe().run(page).response["violations"]

    counts = Counter()
    for violation in violations:
        counts[violation["impact"]] += len(violation["nodes"])
    figures = ", ".join(f"{impact} {counts[impact]}" for impact in IMPACTS)
    print(f"axe {language}-{case.id}: elements with {figures}")  # the figures to report
    record_property("axe", dict(counts))

    blocking = [violation for violation in violations if violation["impact"] in BLOCKING]
    if blocking:
        pytest.fail(
            f"{case.persona}'s {case.name} in {language} ({page.url}) has "
            f"{len(blocking)} serious or critical accessibility violations:\n  "
            + "\n  ".join(describe(violation) for violation in blocking),
            pytrace=False,
        )
