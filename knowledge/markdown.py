"""Markdown to safe HTML, for articles and for every text of a ticket's conversation.

markdown-it-py parses (CommonMark, tables, strikethrough, bare links made clickable; raw
HTML is not recognized, so it comes out as text), then nh3 (ammonia) sanitizes what came out:
only the tags below survive, links keep http(s) and mailto only (no `javascript:`) and get
rel="noopener nofollow". An image is shown only when `images` maps its source (the file name
of one of the ticket's attachments, as the paste/drop script writes it) to a permission-checked
download address; any other image becomes a plain link-less text. An internal note's @mentions
(`mentions`: the handles that named a colleague, tickets.mentions) become
`<span class="mention">`, the one class nh3 lets through; other @words stay text.
"""

import functools
import re
from collections.abc import Collection, Mapping
from html import escape

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from markdown_it.token import Token

_TAGS = {
    "a", "p", "br", "hr", "em", "strong", "del", "s", "code", "pre", "blockquote",
    "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td", "img", "span",
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
_CLASSES = {"span": {"mention"}}
# As tickets.mentions.MENTION_RE (knowledge is below tickets and cannot import it).
_MENTION_RE = re.compile(r"(?<![\w.+@-])@([\w%+-]+(?:\.[\w%+-]+)*)", re.UNICODE)


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": True, "breaks": True})
    return md.enable(["linkify", "table", "strikethrough"])


_MD = _parser()


def _render(text: str, images: Mapping[str, str], mentions: Collection[str] = ()) -> str:
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
        if mentions and token.children:
            token.children = _with_mentions(token.children, mentions)
    return _MD.renderer.render(tokens, _MD.options, {})


def _with_mentions(children: list[Token], mentions: Collection[str]) -> list[Token]:
    """Inline tokens with each known @mention of a text (outside links) as its own span."""
    result: list[Token] = []
    in_link = 0
    for child in children:
        in_link += {"link_open": 1, "link_close": -1}.get(child.type, 0)
        if child.type != "text" or in_link or "@" not in child.content:
            result.append(child)
            continue
        start = 0
        for match in _MENTION_RE.finditer(child.content):
            if match.group(1).lower() not in mentions:
                continue
            result.append(_text(child.content[start : match.start()]))
            span = Token("html_inline", "", 0)
            span.content = f'<span class="mention">{escape(match.group(0))}</span>'
            result.append(span)
            start = match.end()
        result.append(_text(child.content[start:]))
    return result


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


# A ticket page renders every text of its conversation on every view (about 0.5 ms each: 50
# messages were some 25 ms of the page). The same text with the same images always gives the
# same HTML, so each process keeps the latest ones; long texts (log excerpts) are rendered
# afresh, so the memory stays bounded (KEPT_TEXTS × KEPT_UP_TO characters at most).
KEPT_TEXTS = 2048
KEPT_UP_TO = 16_000


def render_markdown(
    text: str,
    *,
    images: Mapping[str, str] | None = None,
    mentions: Collection[str] = (),
) -> SafeString:
    """`text` (Markdown) as sanitized HTML; `images` maps an attachment's file name to the
    address it is shown from (only images among the ticket's verified attachments);
    `mentions` the lower-case handles to highlight."""
    text = text or ""
    images_key = tuple(sorted((images or {}).items()))
    mentions_key = tuple(sorted(mentions))
    if len(text) > KEPT_UP_TO:
        return mark_safe(_sanitized(text, images_key, mentions_key))  # noqa: S308 (nh3)
    return mark_safe(_kept(text, images_key, mentions_key))  # noqa: S308 (sanitized by nh3)


def _sanitized(
    text: str, images_key: tuple[tuple[str, str], ...], mentions_key: tuple[str, ...] = ()
) -> str:
    html = _render(text, dict(images_key), frozenset(mentions_key))
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        allowed_classes=_CLASSES,
        url_schemes=_SCHEMES,
        link_rel="noopener nofollow",
        # Image addresses are the portal's own relative download URLs: keep those relative.
        url_relative="pass_through",
    )


_kept = functools.lru_cache(maxsize=KEPT_TEXTS)(_sanitized)


def render_plain(text: str) -> str:
    """The text part of a mail: the Markdown source is already readable as plain text."""
    return text or ""
