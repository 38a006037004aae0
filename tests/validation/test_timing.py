"""The benchmark's helper: a large master made from the seed's is valid and large.

The time itself is measured by the benchmark (``python -m bench.validation``),
not asserted here: timings on a shared machine make flaky tests.
"""

from __future__ import annotations

from pathlib import Path

from bench.validation import large_master, time_validation
from pipeline.validation import check_master
from tests.validation.conftest import write


def test_large_master_is_valid_and_large(seed_text: str, tmp_path: Path) -> None:
    seed = write(tmp_path, "seed.tei.xml", seed_text)
    big = tmp_path / "big.tei.xml"
    big.write_bytes(large_master(seed, 1_000_000))
    assert 1_000_000 <= big.stat().st_size < 1_100_000
    assert check_master(big) == []
    result = time_validation(big, repeat=1)
    assert result["problems"] == 0 and result["bytes"] == big.stat().st_size
