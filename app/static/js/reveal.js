// A link to a place inside closed <details> (the results page's explanations: an area, an
// item's row in its area's table) opens them on the way, then shows the place. Chromium opens
// them itself on a fragment navigation; other browsers scroll to nothing.
(function () {
  "use strict";
  function reveal() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (!target) { return; }
    var closed = false;
    for (var node = target.parentElement; node; node = node.parentElement) {
      if (node.tagName === "DETAILS" && !node.open) { node.open = true; closed = true; }
    }
    if (closed) { target.scrollIntoView(); }
  }
  window.addEventListener("hashchange", reveal);
  reveal();
})();
