"""The benchmark of ``make bench``: a synthetic corpus, per-stage timings, whole-corpus builds."""
