import gzip
import os
import struct
import sys

import numpy as np
import pytest

from symbolic_eos.paper.datasets import MNIST_IMAGES, MNIST_LABELS, load_digits, load_mnist, read_idx, write_idx
from symbolic_eos.errors import InputError


def _header(dtype: int, dims: tuple[int, ...]) -> bytes:
    return struct.pack(">HBB", 0, dtype, len(dims)) + struct.pack(">" + "I" * len(dims), *dims)


@pytest.mark.parametrize("name", ["a.idx", "a.idx.gz"])
@pytest.mark.parametrize("shape", [(5,), (3, 4), (2, 3, 4), (2, 1, 3, 2)])
def test_round_trip(tmp_path, name, shape):
    a = np.arange(np.prod(shape), dtype=np.uint8).reshape(shape)
    path = str(tmp_path / name)
    write_idx(path, a)
    b = read_idx(path)
    assert b.dtype == np.uint8 and b.shape == shape and np.array_equal(a, b)


def test_written_bytes_follow_the_format(tmp_path):
    path = str(tmp_path / "x")
    write_idx(path, np.array([[1, 2, 3], [4, 5, 255]], dtype=np.uint8))
    raw = open(path, "rb").read()
    assert raw == bytes([0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 255])
    gz = str(tmp_path / "x.gz")
    write_idx(gz, np.array([[1, 2, 3], [4, 5, 255]], dtype=np.uint8))
    assert gzip.decompress(open(gz, "rb").read()) == raw


@pytest.mark.parametrize(
    "payload, message",
    [
        (b"\x00\x00", "shorter than"),
        (b"\x01\x00\x08\x01" + struct.pack(">I", 1) + b"\x00", "two zero bytes"),
        (_header(0x0D, (2,)) + b"\x00" * 8, "not supported"),
        (_header(0x08, (2, 2, 2, 2, 2)), "dimensions"),
        (b"\x00\x00\x08\x03" + struct.pack(">I", 2), "truncated IDX header"),
        (_header(0x08, (0, 3)), "out of range"),
        (_header(0x08, (2, 3)) + b"\x00" * 5, "payload has 5 bytes"),
        (_header(0x08, (2, 3)) + b"\x00" * 7, "payload has more than 6 bytes"),
    ],
)
def test_bad_files_are_refused(tmp_path, payload, message):
    path = tmp_path / "bad"
    path.write_bytes(payload)
    with pytest.raises(InputError, match=message):
        read_idx(str(path))


def test_expected_dimensions_and_size_limit(tmp_path):
    path = str(tmp_path / "a")
    write_idx(path, np.zeros((4, 4), dtype=np.uint8))
    with pytest.raises(InputError, match="expected 3 dimensions"):
        read_idx(path, ndim=3)
    with pytest.raises(InputError, match="limit"):
        read_idx(path, max_bytes=10)
    gz = str(tmp_path / "a.gz")
    write_idx(gz, np.zeros((64, 64), dtype=np.uint8))  # compresses to far below the limit
    with pytest.raises(InputError, match="limit"):
        read_idx(gz, max_bytes=1000)  # the bounded gunzip stops early


def test_unreadable_files(tmp_path):
    with pytest.raises(InputError, match="cannot read"):
        read_idx(str(tmp_path / "missing"))
    bad = tmp_path / "b.gz"
    bad.write_bytes(b"not gzip at all")
    with pytest.raises(InputError, match="corrupt IDX file"):
        read_idx(str(bad))
    cut = tmp_path / "c.gz"
    cut.write_bytes(gzip.compress(_header(8, (100,)) + bytes(100))[:20])
    with pytest.raises(InputError):
        read_idx(str(cut))


def test_writer_refuses_other_types(tmp_path):
    with pytest.raises(InputError, match="uint8"):
        write_idx(str(tmp_path / "a"), np.zeros(3, dtype=np.int32))
    with pytest.raises(InputError, match="dimensions"):
        write_idx(str(tmp_path / "a"), np.zeros((0,), dtype=np.uint8))


def _mnist(directory, n=12, gz=False, labels=None, rows=5, cols=4):
    rng = np.random.default_rng(1)
    images = rng.integers(0, 256, size=(n, rows, cols), dtype=np.uint8)
    labels = np.arange(n, dtype=np.uint8) % 10 if labels is None else np.asarray(labels, dtype=np.uint8)
    suffix = ".gz" if gz else ""
    write_idx(os.path.join(directory, MNIST_IMAGES + suffix), images)
    write_idx(os.path.join(directory, MNIST_LABELS + suffix), labels)
    return images, labels


@pytest.mark.parametrize("gz", [False, True])
def test_load_mnist(tmp_path, gz):
    images, labels = _mnist(str(tmp_path), gz=gz)
    data = load_mnist(str(tmp_path))
    assert data.name == "mnist" and data.samples == 12 and data.features == 20 and data.classes == 10
    assert np.array_equal(data.x, images.reshape(12, -1) / 255.0)
    assert np.array_equal(data.labels, labels)
    assert load_mnist(str(tmp_path), limit=5).samples == 5
    assert data.head(3).samples == 3 and data.head(None) is data


def test_load_mnist_errors(tmp_path):
    with pytest.raises(InputError, match="not a directory"):
        load_mnist(str(tmp_path / "nope"))
    with pytest.raises(InputError, match=MNIST_IMAGES):
        load_mnist(str(tmp_path))
    _mnist(str(tmp_path), n=12, labels=np.arange(11) % 10)
    with pytest.raises(InputError, match="12 images but 11 labels"):
        load_mnist(str(tmp_path))
    _mnist(str(tmp_path), n=3, labels=[1, 2, 12])
    with pytest.raises(InputError, match="label 12"):
        load_mnist(str(tmp_path))
    write_idx(os.path.join(str(tmp_path), MNIST_IMAGES), np.zeros((3, 4), dtype=np.uint8))
    with pytest.raises(InputError, match="expected 3 dimensions"):
        load_mnist(str(tmp_path))


def test_load_digits_without_scikit_learn(monkeypatch):
    monkeypatch.setitem(sys.modules, "sklearn", None)
    monkeypatch.setitem(sys.modules, "sklearn.datasets", None)
    with pytest.raises(InputError, match=r"pip install 'symbolic-eos\[digits\]'"):
        load_digits()


def test_load_digits():
    pytest.importorskip("sklearn")
    data = load_digits()
    assert (data.samples, data.features, data.classes) == (1797, 64, 10)
    assert data.x.min() == 0 and data.x.max() == 1
    assert np.array_equal(data.x * 16, np.round(data.x * 16))  # exact binary fractions
    assert sorted(set(data.labels.tolist())) == list(range(10))


def test_a_gzip_bomb_is_never_held_in_memory(tmp_path):
    """A valid header claiming 200 MB of zeros: only the first entries asked for are kept, and
    the decompressed size is capped while streaming (the old reader held the whole payload)."""
    import tracemalloc

    bomb = tmp_path / MNIST_IMAGES
    with gzip.open(str(bomb) + ".gz", "wb") as fh:
        fh.write(_header(0x08, (250_000, 28, 28)))
        size, block = 250_000 * 784, 1 << 20
        for _ in range(size // block):
            fh.write(b"\x00" * block)
        fh.write(b"\x00" * (size % block))
    tracemalloc.start()
    a = read_idx(str(bomb) + ".gz", ndim=3, first=10)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert a.shape == (10, 28, 28) and peak < 16 << 20
    with pytest.raises(InputError, match="exceeds the 1000000 byte limit"):
        read_idx(str(bomb) + ".gz", max_bytes=10**6)


def test_a_corrupt_gzip_stream_is_bad_input(tmp_path):
    good = tmp_path / "a.gz"
    write_idx(str(good), np.arange(200, dtype=np.uint8).reshape(20, 10))
    data = bytearray(good.read_bytes())
    data[len(data) // 2] ^= 0xFF  # a flipped byte in the deflate stream or its CRC
    bad = tmp_path / "b.gz"
    bad.write_bytes(bytes(data))
    with pytest.raises(InputError, match="corrupt IDX file|truncated"):
        read_idx(str(bad))


def test_oversized_images_and_bad_limits_are_refused(tmp_path):
    write_idx(str(tmp_path / MNIST_IMAGES), np.zeros((2, 100, 100), dtype=np.uint8))
    write_idx(str(tmp_path / MNIST_LABELS), np.zeros(2, dtype=np.uint8))
    with pytest.raises(InputError, match="100 x 100 pixels"):
        load_mnist(str(tmp_path))
    with pytest.raises(InputError, match="limit: expected an integer >= 1"):
        load_mnist(str(tmp_path), limit=0)
