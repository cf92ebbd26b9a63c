"""Fixtures of the guard self-tests: a fresh copy of the fixture site for each test."""

from __future__ import annotations

from pathlib import Path

import pytest
from guard_site import make_site


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(tmp_path / "site")
