"""Markdown to safe HTML, for articles and for every text of a ticket's conversation.

markdown-it-py parses (CommonMark, tables, strikethrough, bare links made clickable; raw
HTML is not recognized, so it comes out as text), then nh3 (ammonia) sanitizes what came out:
only the tags below survive, links keep http(s) and mailto only (no `javascript:`) and get
rel="noopener nofollow". An image is shown only when `images` maps its source (the file name
of one of the ticket's attachments, as the paste/drop script writes it) to a permission-checked
download address; any other image becomes a plain link-less text.
"""

import functools
from collections.abc import Mapping

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_TAGS = {
    "a", "p", "br", "hr", "em", "strong", "del", "s", "code", "pre", "blockquote",
    "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td", "img",
}  # fmt: skip
_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "th": {"align"},
    "td": {"align"},
    "code": {"class"},
    "ol": {"start"},
}
_SCHEMES = {"http", "https", "mailto"}


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": True, "breaks": True})
    return md.enable(["linkify", "table", "strikethrough"])


_MD = _parser()


def _render(text: str, images: Mapping[str, str]) -> str:
    tokens = _MD.parse(text or "")
    for token in tokens:
        for child in token.children or ():
            if child.type != "image":
                continue
            source = str(child.attrGet("src") or "")
            if source in images:
                child.attrSet("src", images[source])
            else:  # an image we cannot vouch for: its alt text only
                child.type = "text"
                child.content = child.content or source
    return _MD.renderer.render(tokens, _MD.options, {})


# A ticket page renders every text of its conversation on every view (about 0.5 ms each: 50
# messages were some 25 ms of the page). The same text with the same images always gives the
# same HTML, so each process keeps the latest ones; long texts (log excerpts) are rendered
# afresh, so the memory stays bounded (KEPT_TEXTS × KEPT_UP_TO characters at most).
KEPT_TEXTS = 2048
KEPT_UP_TO = 16_000


def render_markdown(text: str, *, images: Mapping[str, str] | None = None) -> SafeString:
    """`text` (Markdown) as sanitized HTML; `images` maps an attachment's file name to the
    address it is shown from (only images among the ticket's verified attachments)."""
    text = text or ""
    images_key = tuple(sorted((images or {}).items()))
    if len(text) > KEPT_UP_TO:
        return mark_safe(_sanitized(text, images_key))  # noqa: S308 (sanitized by nh3)
    return mark_safe(_kept(text, images_key))  # noqa: S308 (sanitized by nh3)


def _sanitized(text: str, images_key: tuple[tuple[str, str], ...]) -> str:
    html = _render(text, dict(images_key))
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes=_SCHEMES,
        link_rel="noopener nofollow",
        # Image addresses are the portal's own relative download URLs: keep those relative.
        url_relative="pass_through",
    )


_kept = functools.lru_cache(maxsize=KEPT_TEXTS)(_sanitized)


def render_plain(text: str) -> str:
    """The text part of a mail: the Markdown source is already readable as plain text."""
    return text or ""
