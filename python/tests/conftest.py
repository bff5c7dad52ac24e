"""Shared fixtures of the xfcast package's tests: the source tree (for the
bundled datasets and models) and the CLI of the same build."""
import os
import pathlib

import pytest

SRC = pathlib.Path(os.environ.get("XF_SRCDIR", pathlib.Path(__file__).resolve().parents[2])).resolve()
XFCAST = os.environ.get("XFCAST", str(pathlib.Path(os.environ.get("XF_BUILDDIR", SRC)) / "xfcast"))


@pytest.fixture(scope="session")
def src():
    return SRC


@pytest.fixture(scope="session")
def datasets():
    return SRC / "datasets"


@pytest.fixture(scope="session")
def cli():
    if not os.access(XFCAST, os.X_OK):
        pytest.skip("the xfcast CLI is not built")
    return XFCAST
