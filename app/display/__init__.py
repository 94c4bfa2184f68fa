"""The display vocabulary: how every number (:mod:`.numbers`) and every code
(:mod:`.labels`) is written for a person, and the rows a score document is read in
(:mod:`.rows`), shared by the results page, the review pages and the PDF reports."""
