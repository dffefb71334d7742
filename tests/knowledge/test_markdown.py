"""Markdown to safe HTML (knowledge.markdown): what survives and what is neutralized."""

import pytest

from knowledge import markdown
from knowledge.markdown import render_markdown


def test_it_shows_a_script_tag_as_text():
    html = render_markdown("Before <script>alert(1)</script> after")
    assert "<script" not in html
    assert "&lt;script&gt;" in html


@pytest.mark.parametrize(
    "link",
    [
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[click](data:text/html;base64,PHNjcmlwdD4=)",
        "[click](vbscript:msgbox)",
    ],
)
def test_it_never_keeps_a_javascript_or_data_link(link):
    html = render_markdown(link).lower()
    assert "javascript:" not in html.split("click")[0]
    assert 'href="javascript' not in html
    assert 'href="data' not in html
    assert 'href="vbscript' not in html


def test_it_shows_raw_html_with_an_event_handler_as_text():
    html = render_markdown('<img src="x" onerror="alert(1)">')
    assert "<img" not in html
    assert html.startswith("<p>&lt;img ")


def test_it_makes_links_clickable_with_noopener_nofollow():
    html = render_markdown("See https://docs.example.com/vpn and [the guide](https://example.com)")
    assert '<a href="https://docs.example.com/vpn" rel="noopener nofollow">' in html
    assert '<a href="https://example.com" rel="noopener nofollow">the guide</a>' in html


def test_it_keeps_log_excerpts_in_code_blocks():
    html = render_markdown("The log:\n\n```\nERR <tunnel> down\n```\n")
    assert "<pre><code>ERR &lt;tunnel&gt; down\n</code></pre>" in html


def test_it_shows_only_images_it_is_given_an_address_for():
    images = {"shot.png": "/tickets/attachments/7/"}
    html = render_markdown(
        "![the error](shot.png) ![remote](https://evil.example/x.png)", images=images
    )
    assert '<img src="/tickets/attachments/7/" alt="the error">' in html
    assert "evil.example" not in html
    assert "remote" in html  # its alt text stays


def test_a_text_seen_before_is_not_parsed_again_and_a_long_one_is_not_kept():
    text = "Rebooted **gw-07**; see https://example.com/kb/42 (unique to this test)"
    first = markdown.render_markdown(text)
    hits = markdown._kept.cache_info().hits
    assert markdown.render_markdown(text) == first
    assert markdown._kept.cache_info().hits == hits + 1
    # The images are part of what is kept: another mapping is another rendering.
    shown = markdown.render_markdown("![s](s.png)", images={"s.png": "/tickets/files/1/"})
    assert 'src="/tickets/files/1/"' in shown
    assert "<img" not in markdown.render_markdown("![s](s.png)")

    long = "x" * (markdown.KEPT_UP_TO + 1)
    size = markdown._kept.cache_info().currsize
    markdown.render_markdown(long)
    assert markdown._kept.cache_info().currsize == size
