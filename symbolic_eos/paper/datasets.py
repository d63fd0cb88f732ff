"""Offline, real data sets for the MLP experiment; nothing is downloaded.

* :func:`load_digits`: the 8x8 handwritten digits that scikit-learn ships inside its wheel
  (1797 samples, pixels 0..16, scaled by 1/16 so every value is an exact binary fraction).
  Needs the ``digits`` extra.
* :func:`load_mnist`: MNIST from IDX files a user already has (``train-images-idx3-ubyte`` and
  ``train-labels-idx1-ubyte``, optionally ``.gz``), pixels scaled by 1/255.
* :func:`read_idx` / :func:`write_idx`: the IDX format (big-endian header ``0 0 type ndim``, then
  ``ndim`` 32-bit sizes, then the data), unsigned bytes only, validated and size-bounded.

>>> import tempfile, os
>>> d = tempfile.mkdtemp()
>>> write_idx(os.path.join(d, "a.idx"), np.arange(6, dtype=np.uint8).reshape(2, 3))
>>> read_idx(os.path.join(d, "a.idx")).tolist()
[[0, 1, 2], [3, 4, 5]]
"""

from __future__ import annotations

import gzip
import math
import os
import struct
import zlib
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..core import arguments
from ..errors import InputError

__all__ = [
    "Dataset",
    "load_digits",
    "load_mnist",
    "read_idx",
    "write_idx",
    "MNIST_IMAGES",
    "MNIST_LABELS",
    "MAX_IDX_BYTES",
]

MNIST_IMAGES = "train-images-idx3-ubyte"
MNIST_LABELS = "train-labels-idx1-ubyte"
#: Largest IDX payload read (MNIST's training images are 47 MB); also caps gzip expansion.
MAX_IDX_BYTES = 256 * 1024 * 1024
#: Largest single dimension accepted (samples, rows or columns).
MAX_IDX_DIM = 1_000_000
#: Largest image accepted by :func:`load_mnist` (MNIST's are 28 x 28 = 784).
MAX_PIXELS = 64 * 64
_UBYTE = 0x08
_DIGITS_HINT = "install the digits extra: pip install 'symbolic-eos[digits]'"


@dataclass(frozen=True)
class Dataset:
    """A classification data set as float64 features ``x`` (``n x d``) and integer ``labels``
    in ``range(classes)``, with its ``name`` and where it comes from (``source``).

    >>> d = Dataset("toy", np.zeros((3, 2)), np.array([0, 1, 1]), 2, "made up")
    >>> d.samples, d.head(2).labels.tolist()
    (3, [0, 1])
    """

    name: str
    x: np.ndarray
    labels: np.ndarray
    classes: int
    source: str

    @property
    def samples(self) -> int:
        return int(self.x.shape[0])

    @property
    def features(self) -> int:
        return int(self.x.shape[1])

    def head(self, n: int | None) -> "Dataset":
        """The first ``n`` samples (all if ``n`` is None); deterministic, no shuffling."""
        if n is None or n >= self.samples:
            return self
        if n < 1:
            raise InputError(f"sample count must be positive, got {n}")
        return Dataset(self.name, self.x[:n], self.labels[:n], self.classes, self.source)

    def to_dict(self) -> dict:
        return {"name": self.name, "samples": self.samples, "features": self.features, "classes": self.classes,
                "source": self.source}


def load_digits() -> Dataset:
    """scikit-learn's bundled 8x8 digits (no network access), pixels / 16: 1797 samples of 64
    features in ``[0, 1]``, each an exact multiple of 1/16, labels 0..9.  Needs the ``digits``
    extra.

    >>> d = load_digits()
    >>> d.name, d.samples, d.features, d.classes, d.labels[:5].tolist()
    ('digits', 1797, 64, 10, [0, 1, 2, 3, 4])
    >>> float(d.x.min()), float(d.x.max()), bool(np.all(d.x * 16 == np.round(d.x * 16)))
    (0.0, 1.0, True)

    Without scikit-learn (here hidden from the import system) it says how to get it:

    >>> import sys
    >>> saved, sys.modules["sklearn.datasets"] = sys.modules.get("sklearn.datasets"), None
    >>> load_digits()
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: the 8x8 digits data set needs scikit-learn; install the digits extra: pip install 'symbolic-eos[digits]'
    >>> sys.modules["sklearn.datasets"] = saved
    """
    try:
        from sklearn.datasets import load_digits as _load
    except ImportError as exc:
        raise InputError(f"the 8x8 digits data set needs scikit-learn; {_DIGITS_HINT}") from exc
    bunch = _load()
    x = np.asarray(bunch.data, dtype=np.float64) / 16.0  # 0..16 -> exact binary fractions
    labels = np.asarray(bunch.target, dtype=np.int64)
    return Dataset("digits", x, labels, 10, "sklearn.datasets.load_digits (8x8, bundled with scikit-learn)")


_CHUNK = 1 << 20


def _open_stream(path: str) -> Any:
    try:
        return gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb")
    except OSError as exc:
        raise InputError(f"{path}: cannot read IDX file ({exc.strerror or exc})") from None


def _read(fh: Any, path: str, n: int) -> bytes:
    """Up to ``n`` bytes, streaming; a broken gzip stream is bad input, not an internal error."""
    try:
        return fh.read(n)
    except EOFError:
        raise InputError(f"{path}: truncated gzip stream") from None
    except (OSError, ValueError, zlib.error) as exc:  # gzip.BadGzipFile is an OSError
        raise InputError(f"{path}: corrupt IDX file ({exc})") from None


def read_idx(path: str, ndim: int | None = None, max_bytes: int = MAX_IDX_BYTES, first: int | None = None) -> np.ndarray:
    """Read an unsigned-byte IDX file (``.gz`` accepted) into a ``uint8`` array; ``first`` keeps
    only the first entries along the first axis.

    The magic number must be ``0x0000 08 ndim``; the sizes must be positive, at most
    ``MAX_IDX_DIM`` each, and the payload must be exactly their product. The header is checked
    before the payload is read, and the payload is streamed: only the kept entries are held in
    memory and at most ``max_bytes`` are ever decompressed (a gzip bomb stops there).

    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "a.idx.gz")
    >>> write_idx(path, np.arange(6, dtype=np.uint8).reshape(2, 3))
    >>> read_idx(path, ndim=2).tolist(), read_idx(path, first=1).tolist()
    ([[0, 1, 2], [3, 4, 5]], [[0, 1, 2]])

    >>> read_idx("/nonexistent/file.idx")
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: /nonexistent/file.idx: cannot read IDX file (No such file or directory)
    """
    path = arguments.path(path, "path")
    ndim = arguments.optional_int(ndim, "ndim", 1, 4)
    max_bytes = arguments.positive_int(max_bytes, "max_bytes")
    first = arguments.optional_int(first, "first", 1)
    with _open_stream(path) as fh:
        head = _read(fh, path, 4)
        if len(head) < 4:
            raise InputError(f"{path}: not an IDX file (shorter than its 4-byte magic number)")
        zero, dtype, dims = struct.unpack(">HBB", head)
        if zero != 0:
            raise InputError(f"{path}: not an IDX file (magic number {head.hex()} does not start with two zero bytes)")
        if dtype != _UBYTE:
            raise InputError(f"{path}: IDX data type 0x{dtype:02x} is not supported (only unsigned bytes, 0x08)")
        if not 1 <= dims <= 4:
            raise InputError(f"{path}: IDX file with {dims} dimensions (1 to 4 supported)")
        if ndim is not None and dims != ndim:
            raise InputError(f"{path}: expected {ndim} dimensions, the magic number says {dims}")
        sizes = _read(fh, path, 4 * dims)
        if len(sizes) < 4 * dims:
            raise InputError(f"{path}: truncated IDX header")
        shape = struct.unpack(">" + "I" * dims, sizes)
        if any(s < 1 or s > MAX_IDX_DIM for s in shape):
            raise InputError(f"{path}: IDX sizes {shape} out of range (each 1 to {MAX_IDX_DIM})")
        size = math.prod(shape)
        if size > max_bytes:
            raise InputError(f"{path}: IDX payload of {size} bytes exceeds the {max_bytes} byte limit")
        kept_shape = shape if first is None else (min(first, shape[0]),) + shape[1:]
        kept = math.prod(kept_shape)
        data = _read(fh, path, kept)
        # the rest is read and dropped, chunk by chunk, only to check the payload's length
        total = len(data)
        while total <= size:
            chunk = _read(fh, path, min(_CHUNK, size + 1 - total))
            if not chunk:
                break
            total += len(chunk)
    if total != size:
        found = f"more than {size}" if total > size else str(total)
        raise InputError(f"{path}: IDX payload has {found} bytes, the header says {size} "
                         f"({' x '.join(map(str, shape))})")
    return np.frombuffer(data, dtype=np.uint8, count=kept).reshape(kept_shape).copy()


def write_idx(path: str, array: np.ndarray) -> None:
    """Write a ``uint8`` ``array`` (1 to 4 dimensions) as IDX; gzip-compressed if ``path`` ends in .gz.

    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "labels.idx")
    >>> write_idx(path, np.array([7, 2], dtype=np.uint8))
    >>> read_idx(path).tolist(), os.path.getsize(path)
    ([7, 2], 10)

    >>> write_idx(path, np.array([0.5, 1.0]))
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: IDX writer supports uint8 arrays only, got float64
    """
    path = arguments.path(path, "path")
    a = arguments.instance(array, "array", np.ndarray, "a numpy uint8 array")
    if a.dtype != np.uint8:
        raise InputError(f"IDX writer supports uint8 arrays only, got {a.dtype}")
    if not 1 <= a.ndim <= 4 or any(s < 1 for s in a.shape):
        raise InputError(f"IDX writer needs 1 to 4 non-empty dimensions, got shape {a.shape}")
    payload = struct.pack(">HBB", 0, _UBYTE, a.ndim) + struct.pack(">" + "I" * a.ndim, *a.shape) + a.tobytes()
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "wb") as fh:
        fh.write(payload)


def _find(directory: str, stem: str) -> str:
    for name in (stem, stem + ".gz"):
        candidate = os.path.join(directory, name)
        if os.path.isfile(candidate):
            return candidate
    raise InputError(f"{directory}: no {stem} or {stem}.gz (MNIST IDX files are expected there)")


def load_mnist(directory: str, limit: int | None = None) -> Dataset:
    """MNIST training images and labels from ``directory`` (IDX, optionally gzipped), pixels / 255.

    ``limit`` keeps the first ``limit`` samples (deterministic).

    >>> import os, tempfile
    >>> folder = tempfile.mkdtemp()
    >>> write_idx(os.path.join(folder, MNIST_IMAGES), np.full((2, 28, 28), 255, dtype=np.uint8))
    >>> write_idx(os.path.join(folder, MNIST_LABELS + ".gz"), np.array([3, 1], dtype=np.uint8))
    >>> d = load_mnist(folder, limit=1)
    >>> d.samples, d.x.shape, float(d.x.max()), d.labels.tolist()
    (1, (1, 784), 1.0, [3])

    >>> load_mnist("/nonexistent")
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: /nonexistent: not a directory
    """
    directory = arguments.path(directory, "directory")
    limit = arguments.optional_int(limit, "limit", 1)
    if not os.path.isdir(directory):
        raise InputError(f"{directory}: not a directory")
    images_path, labels_path = _find(directory, MNIST_IMAGES), _find(directory, MNIST_LABELS)
    images = read_idx(images_path, ndim=3, first=limit)
    labels = read_idx(labels_path, ndim=1, first=limit)
    if images.shape[0] != labels.shape[0]:
        raise InputError(f"{directory}: {images.shape[0]} images but {labels.shape[0]} labels")
    if images.shape[1] * images.shape[2] > MAX_PIXELS:
        raise InputError(f"{images_path}: images of {images.shape[1]} x {images.shape[2]} pixels "
                         f"(at most {MAX_PIXELS} pixels each)")
    if labels.max() > 9:
        raise InputError(f"{labels_path}: label {int(labels.max())} is not a digit 0..9")
    n = images.shape[0] if limit is None else min(limit, images.shape[0])
    x = images[:n].reshape(n, -1).astype(np.float64) / 255.0
    return Dataset("mnist", x, labels[:n].astype(np.int64), 10, f"IDX files in {directory}")
