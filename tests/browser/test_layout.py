"""Every page fits a phone and a desktop, in both languages, for every persona, cleanly.

One test per page, persona, language and width (e.g. `ru-390-alice-ticket_list`): the page is
no wider than its window (`scrollWidth <= innerWidth`; the failure names the elements that stick
out), the browser logs no error, and every stylesheet, script, image and the favicon loads.
The pages and the data behind them are in tests/browser/pages.py.
"""

import pytest

from tests.browser import pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

COMBINATIONS = [
    pytest.param(language, width, case, id=f"{language}-{width}-{case.id}")
    for language in pages.LANGUAGES
    for width in pages.WIDTHS
    for case in pages.ALL_CASES
]


@pytest.mark.parametrize(("language", "width", "case"), COMBINATIONS)
def test_it_fits_without_overflow(site, contexts, language, width, case):
    page = contexts.page(case.persona, language, width)
    problems = pages.Problems()
    with problems.watching(page):
        pages.open_case(page, site, case, language, problems)
        found = []
        lang = page.locator("html").get_attribute("lang") or ""
        if not lang.startswith(language):
            found.append(f'the page is in "{lang}", not in "{language}"')
        if too_wide := pages.overflow(page):
            found.append(f"overflow: {too_wide}")
        found += [f"console error: {text}" for text in problems.console]
        found += [f"failed asset: {text}" for text in problems.requests]
    where = f"{case.persona}'s {case.name} in {language} at {width}px ({page.url})"
    if found:
        pytest.fail(f"{where}:\n  " + "\n  ".join(found), pytrace=False)
