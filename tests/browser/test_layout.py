"""Phone (390 x 844) and desktop (1280 x 800) layouts of the pages people read most: nothing
wider than the screen (issue 18: the results page broke area names mid-word and wrapped a
button over four lines, the assessments table scrolled sideways, the section list could not
scroll on a 768 px screen, compare and trend tables overflowed at 1280 px).  A table may be
wider than the screen only inside a declared scroll container (``.rv-table-scroll`` or
``.table-scroll``: focusable, labelled), never the page itself.  Screenshots of every page
and size go to test-artifacts/ to be looked at."""
from __future__ import annotations

import pytest

from tests.browser.conftest import axe_violations, login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]  # Chromium

OFFICIAL, REVIEWER, ADMIN = "official@ministry.example", "reviewer@un.example", "admin@readiness.example"
SIZES = {"phone": (390, 844), "desktop": (1280, 800)}

#: Elements whose right edge passes the screen's, outside any scroll container (the page
#: itself must not scroll sideways).
OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  const scrollers = '.rv-table-scroll, .table-scroll, .skip-link';
  const hidden = el => { const h = el.closest('.visually-hidden'); return h && h.getBoundingClientRect().width <= 1; };
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    if (el.closest(scrollers) || hidden(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    if (r.right > width + 1 || r.left < -1) {
      out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
               (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '') +
               ' ' + Math.round(r.left) + '..' + Math.round(r.right));
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, out: out.slice(0, 15)};
}"""


def _ids(live_server):
    from app.extensions import db
    from app.models import Assessment, User

    with live_server.app.app_context():
        org = db.session.query(User).filter_by(email=OFFICIAL).one().organisation_id
        rows = db.session.query(Assessment).filter_by(organisation_id=org).order_by(Assessment.period).all()
        submitted = [a.id for a in rows if a.status != "draft"]
        draft = next(a.id for a in rows if a.status == "draft")
        return submitted, draft, org


def _pages(live_server):
    submitted, draft, org = _ids(live_server)
    return {
        OFFICIAL: [("assessments", "/assessments"), ("results", f"/assessments/{submitted[-1]}/results"),
                   ("section", f"/assessments/{draft}/sections/s_a_knowledge"),
                   ("overview", f"/assessments/{draft}"),
                   ("contributors", f"/assessments/{draft}/contributors"), ("account", "/account")],
        REVIEWER: [("review-list", "/review"),
                   ("compare", "/review/compare?ids=" + ",".join(map(str, submitted))),
                   ("trend", f"/review/trend?jurisdiction=KE&organisation={org}"),
                   ("review-assessment", f"/review/assessments/{submitted[-1]}")],
        ADMIN: [("users", "/admin/users"), ("organisations", "/admin/organisations"),
                ("organisation-rename", f"/admin/organisations/{org}/rename")],
    }


@pytest.mark.parametrize("size", sorted(SIZES))
def test_no_page_is_wider_than_the_screen(browser, live_server, size):
    width, height = SIZES[size]
    problems = {}
    for user, pages in _pages(live_server).items():
        context = browser.new_context(viewport={"width": width, "height": height}, locale="en-GB")
        page = context.new_page()
        try:
            login(page, live_server, user)
            for name, path in pages:
                assert page.goto(live_server.url + path).status == 200, path
                found = page.evaluate(OVERFLOW_JS)
                screenshot(page, f"layout-{size}-{name}")
                if found["scrollWidth"] > found["innerWidth"] or found["out"]:
                    problems[name] = found
        finally:
            context.close()
    assert problems == {}, "\n".join(f"{k}: {v}" for k, v in problems.items())


def test_the_section_list_scrolls_on_a_short_screen(browser, live_server):
    """A 768 px tall screen: the section list is sticky and scrolls inside itself, so its
    last link ("Overview and submit") can be reached without leaving the question."""
    _submitted, draft, _org = _ids(live_server)
    context = browser.new_context(viewport={"width": 1280, "height": 768}, locale="en-GB")
    page = context.new_page()
    try:
        login(page, live_server, OFFICIAL)
        page.goto(f"{live_server.url}/assessments/{draft}/sections/s_a_knowledge")
        nav = page.locator("#section-nav")
        box = nav.bounding_box()
        assert box["height"] <= 768
        style = page.evaluate("() => getComputedStyle(document.getElementById('section-nav')).overflowY")
        assert style in ("auto", "scroll")
        screenshot(page, "layout-768-section")
        last = page.locator("#section-nav a").last
        last.scroll_into_view_if_needed()
        assert last.is_visible()
        page.mouse.wheel(0, 1200)        # the page scrolled: the list stays in view (sticky)
        page.wait_for_timeout(200)
        box = nav.bounding_box()
        assert box["y"] < 768 and box["y"] + box["height"] > 0
        page.screenshot(path=str(screenshot(page, "layout-768-section-scrolled")), full_page=False)
    finally:
        context.close()


#: Table cells (and row headers) too narrow for their own words: a word wider than the cell's
#: content box has been broken mid-letter ("Enregi|streme|nt", issue 24).  Each text is
#: measured in its own font; 2 px of slack for rounding.
BROKEN_WORDS_JS = """() => {
  const ctx = document.createElement('canvas').getContext('2d');
  const out = [];
  for (const cell of document.querySelectorAll('main td, main th')) {
    const r = cell.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || cell.closest('.visually-hidden')) continue;
    const cs = getComputedStyle(cell);
    if (cs.position === 'absolute') continue;                    // a stacked table's hidden header
    const room = r.width - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight) + 2;
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (parent.closest('.visually-hidden') || !parent.getClientRects().length) continue;
      const f = getComputedStyle(parent);     // not .font: empty when font-variant-numeric is set
      ctx.font = `${f.fontStyle} ${f.fontWeight} ${f.fontSize} ${f.fontFamily}`;
      const word = node.textContent.split(/\\s+|(?<=-)/).reduce((a, w) => ctx.measureText(w).width > ctx.measureText(a).width ? w : a, '');
      const width = ctx.measureText(word).width;
      if (width > room) { out.push(word + ' ' + Math.round(width) + '>' + Math.round(room) + 'px'); break; }
    }
  }
  return out.slice(0, 10);
}"""


def _phone_pages(live_server):
    """The pages the QA pass found broken on a phone (issue 24), each in the language it broke in."""
    submitted, draft, _org = _ids(live_server)
    from app.extensions import db
    from app.models import Assessment, Organisation

    with live_server.app.app_context():   # a civil-society assessment: the reviewer's results page
        ngo = (db.session.query(Assessment.id).join(Organisation, Assessment.organisation_id == Organisation.id)
               .filter(Organisation.kind == "ngo", Assessment.status != "draft").order_by(Assessment.id).first()[0])
    return [
        (OFFICIAL, "fr", "contributors-fr", f"/assessments/{draft}/contributors"),
        (OFFICIAL, "fr", "overview-fr", f"/assessments/{draft}"),
        (OFFICIAL, "fr", "results-fr", f"/assessments/{submitted[-1]}/results"),
        # The informants' ratings side by side: "Доказательства" made the table 600 px wide.
        (OFFICIAL, "ru", "consensus-ru", f"/assessments/{draft}/consensus/s_e_social_norms"),
        (REVIEWER, "ar", "divergence-ar", "/review/divergence"),
        (REVIEWER, "ar", "compare-ar", "/review/compare?" + "&".join(f"ids={i}" for i in submitted[::-1])),
        (REVIEWER, "ar", "results-ar", f"/assessments/{ngo}/results"),
    ]


def test_phone_pages_in_french_and_arabic_fit_the_screen(browser, live_server):
    """390 px, French, Russian and Arabic: nothing passes either edge of the screen, no table cell is
    narrower than its longest word (none broken mid-word), axe finds nothing serious, and the divergence list reads as cards
    (it was 63,000 px tall)."""
    problems = {}
    heights = {}
    for user, lang, name, path in _phone_pages(live_server):
        context = browser.new_context(viewport={"width": 390, "height": 844}, locale=lang)
        page = context.new_page()
        try:
            login(page, live_server, user)
            assert page.goto(live_server.url + path).status == 200, path
            assert page.evaluate("document.documentElement.lang") == lang
            found = page.evaluate(OVERFLOW_JS)
            narrow = page.evaluate(BROKEN_WORDS_JS)
            heights[name] = page.evaluate("document.documentElement.scrollHeight")
            screenshot(page, f"layout-phone-{name}")
            axe = axe_violations(page)       # the cards and sticky captions stay accessible
            if found["scrollWidth"] > found["innerWidth"] or found["out"] or narrow or axe:
                problems[name] = {**found, "narrow": narrow, "axe": axe}
        finally:
            context.close()
    assert problems == {}, "\n".join(f"{k}: {v}" for k, v in problems.items())
    assert heights["divergence-ar"] < 40000, heights


def test_why_this_score_marker_points_to_the_text_in_arabic(browser, live_server):
    """The closed disclosure marker of "Why this score" points left in Arabic and shares the
    summary's line."""
    submitted, _draft, _org = _ids(live_server)
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="ar")
    page = context.new_page()
    try:
        login(page, live_server, OFFICIAL)
        page.goto(f"{live_server.url}/assessments/{submitted[-1]}/results")
        marker, same_line = page.evaluate("""() => {
          const s = document.querySelector('details.why > summary');
          const before = getComputedStyle(s, '::before').content;
          const title = s.querySelector('.why-title').getBoundingClientRect();
          return [before, title.top < s.getBoundingClientRect().top + 20];
        }""")
        assert marker == '"\u25c2"'
        assert same_line
    finally:
        context.close()


def test_the_sign_in_page_has_a_language_switch(browser, live_server):
    """Signed out, the sign-in page offers the languages; the choice sticks (a cookie)."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/login")
        assert page.evaluate("document.documentElement.lang") == "en"
        page.select_option("select[name=lang]", "ar")
        with page.expect_navigation():
            page.click("form.language-switch button[type=submit]")
        assert page.evaluate("document.documentElement.dir") == "rtl"
        page.goto(f"{live_server.url}/login")       # no parameter: the cookie keeps Arabic
        assert page.evaluate("document.documentElement.lang") == "ar"
        found = page.evaluate(OVERFLOW_JS)
        assert found["out"] == [] and found["scrollWidth"] <= found["innerWidth"]
        assert axe_violations(page) == []
        screenshot(page, "layout-phone-login-ar")
    finally:
        context.close()
