"""WeasyPrint's cascade without the work it throws away (issue 14, installed by
:mod:`.speedups`, WeasyPrint 70.x only).

``weasyprint.css.StyleFor.__init__`` matches every element against the stylesheets, writes
each matching rule's declarations into the element's cascaded style, and only then sees
that an element with the same parent style, ``style`` attribute and matching rules has a
computed style already, which it shares: the cascaded style written for the element is
never read.  In a gap report four elements in five share (1,030 of 1,320), and writing
their declarations was 24,000 steps.  :func:`style_for_init` is that method step for step,
with the matching rules' declarations written only when no computed style is shared, and
always for pseudo-elements (their cascaded styles are computed afterwards, shared or not).
:func:`computed_missing` works out the computed values of properties no rule sets without
the dozen tests WeasyPrint makes for the others.

Same cascaded styles read, same computed styles: ``tests/reports/test_reports_engine.py``
compares the PDFs byte for byte with WeasyPrint's own.
"""
from __future__ import annotations

from math import inf

from weasyprint.css import (INHERITED, INITIAL_NOT_COMPUTED, INITIAL_VALUES, PHYSICAL_FUNCTIONS,
                            PROGRESS_LOGGER, ComputedStyle, check_math, declaration_precedence,
                            find_style_attributes, preprocess_declarations)


def _cascade_style_attributes(html, presentational_hints, cascaded_styles) -> dict:
    """The first loop of ``StyleFor.__init__``: style attributes (and presentational hints)
    into the cascaded styles; returns each such element's declarations, part of its key."""
    layer_order = inf
    elements_declarations = {}
    for specificity, element, declarations, base_url in find_style_attributes(
            html.etree_element, presentational_hints, html.base_url):
        style = cascaded_styles.setdefault((element, None), {})
        elements_declarations[element] = tuple(declarations)
        for name, values, importance in preprocess_declarations(base_url, declarations):
            precedence = declaration_precedence("author", importance)
            weight = (precedence, layer_order, specificity)
            old_weight = style.get(name, (None, None))[1]
            if old_weight is None or old_weight <= weight:
                style[name] = values, weight
    return elements_declarations


def style_for_init(self, html, sheets, presentational_hints, font_config, target_collector):
    """``StyleFor.__init__`` of WeasyPrint 70 (its comments left out)."""
    self._cascaded_styles = cascaded_styles = {}
    self._computed_styles = computed_styles = {}
    self.initial_page_sizes = {"box": None, "area": None}
    self._sheets = sheets
    self.font_config = font_config

    PROGRESS_LOGGER.info("Step 3 - Applying CSS")
    elements_declarations = _cascade_style_attributes(html, presentational_hints, cascaded_styles)

    computed_cache = {}
    for element in html.wrapper_element.iter_subtree():
        etree_element = element.etree_element
        parent = element.parent.etree_element if element.parent else None
        parent_id = id(computed_styles[parent, None]) if element.parent else None
        element_declarations = elements_declarations.get(etree_element)
        selectors_keys = []
        matched = []
        for sheet, origin, sheet_specificity in sheets:
            for selector in sheet.matcher.match(element):
                specificity, order, pseudo_type, (declarations, layer) = selector
                layer_order = inf if layer is None else sheet.layers.index(layer)
                selectors_keys.append((sheet, specificity, id(declarations), layer_order))
                matched.append((origin, sheet_specificity or specificity, pseudo_type, declarations,
                                layer_order))
        key = (parent_id, element_declarations, tuple(selectors_keys))
        shared = computed_cache.get(key)
        for origin, specificity, pseudo_type, declarations, layer_order in matched:
            if shared is not None and pseudo_type is None:
                continue   # the element's own cascaded style: never read when shared
            style = cascaded_styles.setdefault((etree_element, pseudo_type), {})
            for name, values, importance in declarations:
                precedence = declaration_precedence(origin, importance)
                weight = (precedence, layer_order, specificity)
                old_weight = style.get(name, (None, None))[1]
                if old_weight is None or old_weight <= weight:
                    style[name] = values, weight

        if shared is not None:
            computed_styles[etree_element, None] = shared
        else:
            self.set_computed_styles(
                etree_element, root=html.etree_element, parent=parent,
                base_url=html.base_url, target_collector=target_collector)
            computed_cache[key] = computed_styles[etree_element, None]

    for element, pseudo_type in cascaded_styles:
        if pseudo_type:
            self.set_computed_styles(
                element, pseudo_type=pseudo_type, root=html.etree_element, parent=element,
                base_url=html.base_url, target_collector=target_collector)

    self._cascaded_styles.clear()


_weasyprint_computed_missing = ComputedStyle.__missing__
#: Properties whose computed value ComputedStyle.__missing__ works out in steps of their own.
_OWN_STEPS = frozenset(("float", "display", "position", "page"))


def computed_missing(self, key):
    """``ComputedStyle.__missing__`` (a property's computed value, the first time it is read:
    56,000 times a gap report), its two common cases first: a property no rule sets on a
    non-root element, inherited (the parent's computed value) or not (its initial value,
    when WeasyPrint does not compute that).  Every other case, and any value holding a math
    function, goes to WeasyPrint's own method."""
    if (key in self.cascaded or self.parent_style is None or key in PHYSICAL_FUNCTIONS
            or key in _OWN_STEPS or key[:2] == "__" or key[:16] == "text_decoration_"):
        return _weasyprint_computed_missing(self, key)
    if key in INHERITED:
        value = self.parent_style[key]
    elif key in INITIAL_NOT_COMPUTED:
        return _weasyprint_computed_missing(self, key)
    else:
        value = INITIAL_VALUES[key]
    if check_math(value):
        return _weasyprint_computed_missing(self, key)
    self[key] = value
    return value
