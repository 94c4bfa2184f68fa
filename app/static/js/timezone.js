/* The browser's time zone, for the times the server shows (app/timezones.py): kept in a
   cookie, used unless the account chooses a zone.  Without this file, times show in UTC. */
(function () {
  "use strict";
  var zone;
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
  if (!zone || !/^[A-Za-z0-9_+\/-]+$/.test(zone)) { return; }
  if (document.cookie.split("; ").indexOf("tz=" + zone) === -1) {
    document.cookie = "tz=" + zone + "; path=/; max-age=31536000; samesite=lax";
  }
}());
