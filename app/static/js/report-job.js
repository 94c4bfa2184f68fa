/* The "Preparing the PDF" page: polls the render job (GET /api/v1/jobs/ID, the signed-in
   session authenticates it), says how it goes in the status region (announced politely),
   and starts the download when the job is done, leaving a link to download it again.  A
   failure shows the reason; a lost connection keeps trying, more slowly.  Once the job has
   ended, what only holds while it runs (marked ``data-job-pending``) is hidden; a
   failure leaves the link that asks again (``data-job-retry``), a finished job hides it too.  Without this
   script, the page's "Check again" link asks for the report anew. */
(function () {
  "use strict";
  var status = document.querySelector("[data-job-status]");
  if (!status || !window.fetch) { return; }
  var link = document.querySelector("[data-job-download]");
  var url = status.getAttribute("data-job-url");
  var delay = 1000;
  var MAX_DELAY = 5000;

  function say(text) {
    if (status.textContent !== text) { status.textContent = text; }
  }

  // What only holds while the job runs ("you can leave this page open", "Check again"),
  // and, once the file is there, the link that would ask for it anew.
  function ended(done) {
    var pending = document.querySelectorAll(done ? "[data-job-pending], [data-job-retry]" : "[data-job-pending]");
    for (var i = 0; i < pending.length; i++) { pending[i].hidden = true; }
  }

  function show(job) {
    if (job.status === "done" && job.result) {
      say(status.getAttribute("data-done"));
      link.href = job.result;
      link.hidden = false;
      ended(true);
      window.location.assign(job.result);
      return true;
    }
    if (job.status === "failed") {
      say(status.getAttribute("data-failed") + " " + (job.error || ""));
      ended(false);
      return true;
    }
    if (job.status === "running" && job.total > 1) {
      say(status.getAttribute("data-progress")
        .replace("{done}", String(job.done)).replace("{total}", String(job.total)));
    } else {
      say(status.getAttribute(job.status === "running" ? "data-running" : "data-queued"));
    }
    return false;
  }

  function poll() {
    fetch(url, {headers: {"Accept": "application/json"}, credentials: "same-origin", cache: "no-store"})
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (job) {
        delay = 1000;
        if (!show(job)) { setTimeout(poll, delay); }
      })
      .catch(function () {
        say(status.getAttribute("data-lost"));
        delay = Math.min(delay * 2, MAX_DELAY);
        setTimeout(poll, delay);
      });
  }

  setTimeout(poll, delay);
})();
