"""Test set-up: import the package from this source tree and name the data.

The library comes from ``CJM_LIBRARY`` (ctest sets it to the library just
built) or from the package's own search. Set ``CJM_TEST_INSTALLED=1`` to
test an installed package instead of the source tree.
"""
from __future__ import annotations

import os
import pathlib
import sys

import pytest

HERE = pathlib.Path(__file__).resolve().parent
PACKAGE_ROOT = HERE.parent
SOURCE_ROOT = PACKAGE_ROOT.parent.parent

if not os.environ.get("CJM_TEST_INSTALLED"):
    sys.path.insert(0, str(PACKAGE_ROOT))


def shared_data() -> pathlib.Path:
    """The public data sets beside the checkout (``../shared/data``)."""
    return pathlib.Path(os.environ.get("CJM_SHARED_DATA", SOURCE_ROOT.parent / "shared" / "data"))


def include_dir() -> pathlib.Path:
    """The public headers of the library."""
    return pathlib.Path(os.environ.get("CJM_INCLUDE_DIR", SOURCE_ROOT / "include"))


@pytest.fixture
def data_file():
    """Returns the path of a file of ``../shared/data``, or skips the test when it is absent."""
    def get(relative: str) -> pathlib.Path:
        path = shared_data() / relative
        if not path.is_file():
            pytest.skip(f"{path} is absent: the shared data sets are not installed here")
        return path
    return get


def pytest_sessionfinish(session, exitstatus):
    if exitstatus == 5:  # pytest.ExitCode.NO_TESTS_COLLECTED
        sys.stderr.write("no Python tests were collected: the ctest registration or the "
                         "test paths are wrong; this is a failure, not a pass\n")
