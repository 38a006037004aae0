"""Rights beyond the licence line (issue 21): the public-domain rule for pages that state no
licence (:mod:`.rule`), the editor's rulings (:mod:`.rulings`), both applied to a work at
ingest (:mod:`.decide`), and the report of what is withheld and why (:mod:`.report`,
``pipeline rights``)."""
