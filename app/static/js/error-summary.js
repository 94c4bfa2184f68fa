/* Move focus to an error summary shown on page load, so that it is read out first
   (GOV.UK pattern); its links move focus to the field concerned. */
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]:not([hidden]), [data-conflict-panel]");
  if (summary) { summary.focus(); }
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-error-summary] a[href^='#'], [data-conflict-panel] a[href^='#']");
    if (!link) { return; }
    var target = document.getElementById(link.getAttribute("href").slice(1));
    if (!target) { return; }
    event.preventDefault();
    var item = target.closest(".item, .answer-block");
    if (item) { item.scrollIntoView({block: "start"}); }
    target.focus({preventScroll: !!item});
  });
}());
