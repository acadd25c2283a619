"""Shipped data (digits, sunspots), sample images and the time-series helpers."""

from __future__ import annotations

from importlib import resources

import numpy as np
import pytest

from tui_workshop.nn import images, series


def test_data_files_ship_inside_the_package_with_attribution():
    data = resources.files("tui_workshop.nn").joinpath("data")
    for name in ("digits.csv.gz", "sunspots.csv", "ATTRIBUTION.md"):
        assert data.joinpath(name).is_file(), name
    text = data.joinpath("ATTRIBUTION.md").read_text("utf-8")
    assert "CC BY 4.0" in text and "Alpaydin" in text and "public domain" in text


def test_load_digits():
    X, y = images.load_digits()
    assert X.shape == (1797, 64) and X.dtype == np.float64
    assert y.shape == (1797,) and np.issubdtype(y.dtype, np.integer)
    assert X.min() == 0.0 and X.max() == 1.0
    assert np.all(np.isin(X * 16, np.arange(17)))  # counts 0..16
    counts = np.bincount(y, minlength=10)
    assert len(counts) == 10 and counts.min() >= 170
    # the mean image of each class differs from the others'
    means = np.array([X[y == d].mean(axis=0) for d in range(10)])
    assert np.min(np.linalg.norm(means[:, None] - means[None], axis=2) + np.eye(10) * 9) > 0.5
    X[0, 0] = 5.0  # callers get a copy
    assert images.load_digits()[0][0, 0] == 0.0


def test_sample_images():
    imgs = images.sample_images(16)
    assert set(imgs) == {"square", "circle", "diagonal", "checkerboard", "digit"}
    for name, img in imgs.items():
        assert img.shape == (16, 16), name
        assert img.min() >= 0.0 and img.max() <= 1.0 and img.max() > 0.5, name
    assert imgs["checkerboard"].mean() == pytest.approx(0.5)
    np.testing.assert_array_equal(imgs["diagonal"], imgs["diagonal"].T)
    X, _ = images.load_digits()
    np.testing.assert_array_equal(imgs["digit"][::2, ::2], X[0].reshape(8, 8))
    assert images.sample_images(12)["circle"].shape == (12, 12)


def test_load_sunspots():
    years, values = series.load_sunspots()
    assert len(years) == len(values) == 309
    np.testing.assert_array_equal(years, np.arange(1700, 2009))
    assert values.min() >= 0.0 and values.max() > 100.0
    # the solar cycle: the strongest period in the spectrum is about 11 years
    spectrum = np.abs(np.fft.rfft(values - values.mean()))
    freqs = np.fft.rfftfreq(len(values))
    assert 9.5 < 1.0 / freqs[np.argmax(spectrum)] < 12.5


def test_generated_series():
    s = series.sine(100, period=20)
    np.testing.assert_allclose(s[:20], s[20:40], atol=1e-12)
    assert s.max() == pytest.approx(1.0)
    noisy = series.sine(100, period=20, noise=0.1, seed=1)
    np.testing.assert_array_equal(noisy, series.sine(100, period=20, noise=0.1, seed=1))
    assert 0.05 < np.std(noisy - s) < 0.15
    two = series.sum_of_sines(140, periods=(20, 7), amplitudes=(1.0, 0.5))
    assert two.shape == (140,)
    np.testing.assert_allclose(
        two, np.sin(2 * np.pi * np.arange(140) / 20) + 0.5 * np.sin(2 * np.pi * np.arange(140) / 7)
    )
    white = series.noise(2000, scale=2.0, seed=3)
    assert abs(white.mean()) < 0.2 and 1.8 < white.std() < 2.2
    walk = series.random_walk(50, seed=4)
    np.testing.assert_allclose(np.diff(walk), series.noise(50, seed=4)[1:])
    ts = series.trend_season(48, slope=0.5, period=12, amplitude=0.0)
    np.testing.assert_allclose(ts, 0.5 * np.arange(48))
    with pytest.raises(ValueError, match="period"):
        series.sine(10, period=0)
    with pytest.raises(ValueError, match="noise"):
        series.sine(10, noise=-1)


def test_windows_and_sequences():
    s = np.arange(10.0)
    X, y = series.windows(s, 4)
    assert X.shape == (6, 4, 1) and y.shape == (6, 1)
    np.testing.assert_array_equal(X[2, :, 0], [2, 3, 4, 5])
    np.testing.assert_array_equal(y[:, 0], np.arange(4, 10))
    X, y = series.windows(s, 3, horizon=2)
    assert X.shape == (6, 3, 1) and y.shape == (6, 2)
    np.testing.assert_array_equal(y[-1], [8, 9])
    Xs, Ys = series.sequences(s, 4, step=3)
    np.testing.assert_array_equal(Xs[:, :, 0], [[0, 1, 2, 3], [3, 4, 5, 6]])
    np.testing.assert_array_equal(Ys[:, :, 0], Xs[:, :, 0] + 1)
    with pytest.raises(ValueError, match="too short"):
        series.windows(s, 10)
    with pytest.raises(ValueError, match="1-D"):
        series.windows(np.zeros((3, 3)), 2)


def test_split_and_scaler():
    s = np.arange(10.0)
    train, test = series.split_series(s, 0.7)
    np.testing.assert_array_equal(train, np.arange(7.0))
    np.testing.assert_array_equal(test, [7.0, 8.0, 9.0])
    with pytest.raises(ValueError, match="train_fraction"):
        series.split_series(s, 1.0)
    z = series.Scaler.fit(train)
    assert z.transform(train).mean() == pytest.approx(0.0)
    assert z.transform(train).std() == pytest.approx(1.0)
    np.testing.assert_allclose(z.inverse(z.transform(test)), test)
    m = series.Scaler.fit(train, "minmax")
    assert m.transform(train).min() == -1.0 and m.transform(train).max() == 1.0
    assert series.Scaler.fit(np.ones(5)).transform([1.0]) == 0.0  # constant: no division by 0
    with pytest.raises(ValueError, match="unknown kind"):
        series.Scaler.fit(train, "log")
