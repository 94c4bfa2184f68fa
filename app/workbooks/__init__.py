"""Working outside the browser: workbooks to fill in offline, XLSForm for ODK and
KoboToolbox, and the import of their submissions (issue 15)."""
