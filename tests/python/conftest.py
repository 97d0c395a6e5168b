# Shared fixtures of the Python package tests (run by ctest: tests/CMakeLists.txt sets the env).
#   MIE_BIN: the mie binary; MIE_SOURCE: the checkout; MIE_DATA: ../shared/data by default.
import os
import pathlib
import subprocess
import sys

import pytest

import mie

SRC = pathlib.Path(os.environ.get("MIE_SOURCE", pathlib.Path(__file__).resolve().parents[2]))
DATA = pathlib.Path(os.environ.get("MIE_DATA", SRC.parent / "shared" / "data"))
BIN = os.environ.get("MIE_BIN", str(SRC / "build" / "mie"))
MODEL = SRC / "models" / "gmner.mie"
PHOTO = pathlib.Path("/usr/share/doc/opencv-doc/examples/data/messi5.jpg")        # opencv-doc
ASTRONAUT = pathlib.Path("/usr/lib/python3/dist-packages/skimage/data/astronaut.png")  # python3-skimage


sys.path.insert(0, str(SRC / "tests"))
from jsonl_close import first_difference  # noqa: E402  (the e2e tests' comparison of predictions)


def cli(*args, **kw) -> subprocess.CompletedProcess:
    """Runs the mie binary; raises with its stderr when it fails."""
    r = subprocess.run([BIN, *map(str, args)], capture_output=True, text=True, **kw)
    if r.returncode != 0:
        raise AssertionError(f"mie {' '.join(map(str, args))}: rc {r.returncode}\n{r.stderr}")
    return r


@pytest.fixture(scope="session")
def model() -> "mie.Model":
    if not MODEL.is_file():
        pytest.fail(f"no {MODEL} (scripts/setup.sh trains it)")
    return mie.load(MODEL, threads=2)
