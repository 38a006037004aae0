"""Fidelity checks: the master against its source (``source``)."""
