"""Organisation logos: PNG or SVG in, a clean PNG or a sanitised SVG out.

A logo is checked when it is uploaded and again before it enters a PDF (as a ``data:`` URL,
the only way it can): a PNG is recognised by its magic bytes, decoded by Pillow within pixel
limits and re-encoded (which drops every ancillary chunk: text, metadata, colour profiles);
an SVG is parsed without DTDs or entities (defusedxml) and rebuilt from an allow-list of
elements and attributes, keeping only same-document references (``#id``), so that nothing
in it can load a file, reach a server or run a script.
"""
from __future__ import annotations

import io
import math
import re
import warnings
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape, quoteattr

import tinycss2
from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from app.i18n import translate as _

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
PNG, SVG = "image/png", "image/svg+xml"
MAX_PIXELS = 4096 * 4096
MAX_SIDE = 1024           # re-encoded PNGs are scaled down to this
MAX_SVG_ELEMENTS = 5000
MAX_SVG_DEPTH = 64         # levels of nested elements (real logos use a handful)
MAX_CSS_NESTING = 16       # brackets within brackets in a style

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"


class LogoError(ValueError):
    """A logo we refuse; the message is shown to the user."""


def sanitise_logo(data: bytes, max_bytes: int) -> tuple[bytes, str]:
    """``(clean bytes, mime type)`` for an uploaded or stored logo; :class:`LogoError`
    when it is too large, not a PNG or SVG, or broken."""
    if not data:
        raise LogoError(_("The file is empty."))
    if len(data) > max_bytes:
        raise LogoError(_("The logo is too large: at most %(kb)d KB.", kb=max_bytes // 1024))
    if data.startswith(PNG_MAGIC):
        return clean_png(data), PNG
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<?xml") or head.startswith(b"<svg") or head.startswith(b"<!--"):
        return clean_svg(data), SVG
    raise LogoError(_("Upload a PNG or an SVG image."))


# -- PNG -------------------------------------------------------------------------------------
def clean_png(data: bytes) -> bytes:
    from PIL import Image

    if not data.startswith(PNG_MAGIC):
        raise LogoError(_("This is not a PNG image."))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=["PNG"]) as probe:
                width, height = probe.size
                if width < 1 or height < 1 or width * height > MAX_PIXELS:
                    raise LogoError(_("The image is too large (%(width)d × %(height)d pixels); at most "
                                      "%(million)d million pixels.", width=width, height=height,
                                      million=MAX_PIXELS // 1_000_000))
                probe.verify()
            with Image.open(io.BytesIO(data), formats=["PNG"]) as image:
                image.load()
                mode = "RGBA" if ("A" in image.getbands() or "transparency" in image.info) else "RGB"
                image = image.convert(mode)
                if max(image.size) > MAX_SIDE:
                    image.thumbnail((MAX_SIDE, MAX_SIDE))
                out = io.BytesIO()
                image.save(out, format="PNG", optimize=True)
    except LogoError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise LogoError(_("The image is too large.")) from None
    except Exception:
        raise LogoError(_("The PNG image could not be read; it may be damaged.")) from None
    return out.getvalue()


# -- SVG -------------------------------------------------------------------------------------
ALLOWED_ELEMENTS = {
    "svg", "g", "defs", "title", "desc", "symbol",
    "path", "rect", "circle", "ellipse", "line", "polyline", "polygon",
    "text", "tspan",
    "linearGradient", "radialGradient", "stop", "clipPath", "mask", "style",
}
PRESENTATION = {
    "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-opacity",
    "stroke-linecap", "stroke-linejoin", "stroke-miterlimit", "stroke-dasharray",
    "stroke-dashoffset", "opacity", "color", "clip-path", "clip-rule", "mask", "display",
    "visibility", "font-family", "font-size", "font-weight", "font-style", "text-anchor",
    "dominant-baseline", "letter-spacing", "stop-color", "stop-opacity", "transform",
}
ALLOWED_ATTRIBUTES = PRESENTATION | {
    "id", "class", "style", "viewBox", "preserveAspectRatio", "width", "height", "x", "y",
    "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "fx", "fy", "d", "points",
    "offset", "gradientUnits", "gradientTransform", "spreadMethod", "clipPathUnits",
    "maskUnits", "maskContentUnits", "dx", "dy", "version", "href",
}
_FRAGMENT_URL = re.compile(r"^\s*url\(\s*['\"]?#[A-Za-z_][\w.:-]*['\"]?\s*\)\s*$")
_ANY_URL = re.compile(r"url\s*\(|@import|expression\s*\(|javascript:|\\", re.IGNORECASE)
_FORBIDDEN_FUNCTIONS = {"url", "image", "image-set", "src", "cross-fade", "element", "expression", "paint"}


def clean_svg(data: bytes) -> bytes:
    try:
        root = SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (DefusedXmlException, ET.ParseError, ValueError):
        raise LogoError(_("The SVG file could not be read safely (it may use DTDs or entities, "
                          "or be damaged).")) from None
    if root.tag != f"{{{SVG_NS}}}svg":
        raise LogoError(_("This is not an SVG image."))
    count = sum(1 for _element in root.iter())
    if count > MAX_SVG_ELEMENTS:
        raise LogoError(_("The SVG is too complex (%(count)d elements; at most %(limit)d).",
                          count=count, limit=MAX_SVG_ELEMENTS))
    # The cleaner and the serialiser recurse once per level: 900 nested <g> ran out of stack
    # (RecursionError, a 500). Measured here without recursion, and refused like any other
    # over-complex file.
    depth = _depth(root)
    if depth > MAX_SVG_DEPTH:
        raise LogoError(_("The SVG nests its elements too deeply (%(depth)d levels; at most "
                          "%(limit)d).", depth=depth, limit=MAX_SVG_DEPTH))
    clean = _clean_element(root)
    if "viewBox" not in clean.attrib and {"width", "height"} <= set(clean.attrib):
        w, h = (_number(clean.get("width")), _number(clean.get("height")))
        if w and h:
            clean.set("viewBox", f"0 0 {w:g} {h:g}")
    return _serialise(clean, root=True).encode("utf-8")


def _depth(root: ET.Element) -> int:
    """How deeply elements nest (the root alone is 1), walked with an explicit stack."""
    deepest, stack = 0, [(root, 1)]
    while stack:
        element, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in element)
    return deepest


def _serialise(element: ET.Element, root: bool = False) -> str:
    """Our own small serialiser: SVG namespace as the default, attributes escaped."""
    _, name = _local(element.tag)
    attrs = "".join(f" {k}={quoteattr(v)}" for k, v in element.attrib.items())
    if root:
        attrs = f' xmlns="{SVG_NS}"' + attrs
    inner = escape(element.text or "") + "".join(
        _serialise(child) + escape(child.tail or "") for child in element)
    return f"<{name}{attrs}>{inner}</{name}>" if inner else f"<{name}{attrs}/>"


def _number(value: str | None) -> float | None:
    match = re.match(r"^\s*([0-9.]+)", value or "")
    try:
        value = float(match.group(1)) if match else None
    except ValueError:
        return None
    return value if value is not None and math.isfinite(value) else None  # no "inf" viewBox


def _local(tag: str) -> tuple[str | None, str]:
    if tag.startswith("{"):
        ns, _, name = tag[1:].partition("}")
        return ns, name
    return None, tag


def _clean_element(element: ET.Element) -> ET.Element:
    _, name = _local(element.tag)
    out = ET.Element(f"{{{SVG_NS}}}{name}")
    for key, value in element.attrib.items():
        ns, attr = _local(key)
        if ns == XLINK_NS and attr == "href":
            ns = None
        elif ns == XML_NS and attr == "space":
            continue
        if ns is not None or attr not in ALLOWED_ATTRIBUTES or attr.lower().startswith("on"):
            continue
        if attr == "href":
            if re.match(r"^#[A-Za-z_][\w.:-]*$", value.strip()):
                out.set("href", value.strip())
            continue
        if attr == "style":
            style = _clean_declarations(value)
            if style:
                out.set("style", style)
            continue
        if "url" in value.lower() and not _FRAGMENT_URL.match(value):
            continue
        if _ANY_URL.search(value) and not _FRAGMENT_URL.match(value):
            continue
        out.set(attr, value)
    if name == "style":
        css = _clean_stylesheet(element.text or "")
        if css:
            out.text = css
        return out
    if name in ("title", "desc", "text", "tspan"):
        out.text = element.text
    for child in element:
        ns, child_name = _local(child.tag)
        if ns == SVG_NS and child_name in ALLOWED_ELEMENTS:
            cleaned = _clean_element(child)
            cleaned.tail = child.tail if name in ("text", "tspan") else None
            out.append(cleaned)
    return out


def _safe_tokens(tokens) -> bool:
    for token in tokens:
        kind = getattr(token, "type", None)
        if kind == "url":
            if not token.value.startswith("#"):
                return False
        elif kind == "function":
            if token.lower_name in _FORBIDDEN_FUNCTIONS:
                if token.lower_name != "url":
                    return False
                args = [t for t in token.arguments if t.type not in ("whitespace", "comment")]
                if not (len(args) == 1 and args[0].type == "string" and args[0].value.startswith("#")):
                    return False
            if not _safe_tokens(token.arguments):
                return False
        elif kind in ("() block", "[] block", "{} block"):
            if not _safe_tokens(token.content):
                return False
        elif kind == "at-keyword":
            return False
    return True


def _too_nested(text: str) -> bool:
    """Whether brackets in CSS nest deeper than MAX_CSS_NESTING: tinycss2's serialiser and
    :func:`_safe_tokens` recurse once per level (100,000 "(" was a RecursionError)."""
    depth = 0
    for char in text:
        if char in "([{":
            depth += 1
            if depth > MAX_CSS_NESTING:
                return True
        elif char in ")]}" and depth:
            depth -= 1
    return False


def _clean_declarations(text: str) -> str:
    """Keep the allowed presentation properties whose values load nothing."""
    if _too_nested(text):
        return ""  # dropped like any other style we cannot vouch for
    kept = []
    for decl in tinycss2.parse_declaration_list(text, skip_comments=True, skip_whitespace=True):
        if decl.type != "declaration" or decl.lower_name not in PRESENTATION:
            continue
        if not _safe_tokens(decl.value):
            continue
        value = tinycss2.serialize(decl.value).strip()
        kept.append(f"{decl.lower_name}:{value}{' !important' if decl.important else ''}")
    return ";".join(kept)


def _clean_stylesheet(text: str) -> str:
    """A ``<style>`` element: qualified rules only (no at-rules: no @import, no @font-face),
    each with the allowed declarations."""
    if _too_nested(text):
        return ""
    out = []
    for rule in tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True):
        if rule.type != "qualified-rule":
            continue
        if not _safe_tokens(rule.prelude):
            continue
        selector = tinycss2.serialize(rule.prelude).strip()
        if "<" in selector or "\\" in selector:
            continue
        body = _clean_declarations(tinycss2.serialize(rule.content))
        if body:
            out.append(f"{selector}{{{body}}}")
    return "\n".join(out)
