/* Report downloads: say that the PDF is being prepared.  The first download of a long
   report takes some seconds (later ones come from the cache at once), and a browser shows
   nothing on the page while it waits for an attachment.  The message goes into a status
   region (announced politely) and is taken away after a while: a page cannot tell when a
   download has finished. */
(function () {
  "use strict";
  var CLEAR_AFTER_MS = 20000;
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-report-download]");
    if (!link) { return; }
    var status = document.querySelector("[data-download-status]");
    if (!status) { return; }
    status.textContent = status.getAttribute("data-preparing");
    clearTimeout(status._timer);
    status._timer = setTimeout(function () { status.textContent = ""; }, CLEAR_AFTER_MS);
  });
})();
