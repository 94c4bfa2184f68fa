"""Agreement figures of independent informants against hand-computed and published values."""
import pytest

from app.contributors.agreement import krippendorff_alpha_ordinal, share_apart, spread


def test_two_values_by_hand():
    # o11 = 2, o12 = o21 = 1, o22 = 2; n1 = n2 = 3, n = 6; delta²(1,2) = (6 - 3)² = 9:
    # alpha = 1 - 5 * (2 * 9) / (2 * 3 * 3 * 9) = 4/9
    assert krippendorff_alpha_ordinal([(1, 1), (1, 2), (2, 2)]) == pytest.approx(4 / 9)


def test_ordinal_distance_by_hand():
    # n1 = 2, n2 = n3 = 1, n = 4; delta²(1,2) = (3 - 1.5)² = 2.25, delta²(1,3) = (4 - 1.5)² = 6.25,
    # delta²(2,3) = (2 - 1)² = 1; observed 2 * 2.25 + 2 * 6.25 = 17;
    # expected 2 * (2 * 2.25 + 2 * 6.25 + 1 * 1) = 36: alpha = 1 - 3 * 17 / 36 = -15/36
    assert krippendorff_alpha_ordinal([(1, 2), (1, 3)]) == pytest.approx(-15 / 36)


def test_krippendorffs_published_example():
    """Krippendorff (2011), 'Computing Krippendorff's alpha-reliability', the 4 observers by
    12 units example with missing values: ordinal alpha 0.815."""
    observers = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
        [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
    ]
    units = list(zip(*observers))
    assert krippendorff_alpha_ordinal(units) == pytest.approx(0.815, abs=5e-4)


def test_perfect_agreement_none_and_unpairable():
    assert krippendorff_alpha_ordinal([(1, 1, 1), (3, 3), (2, 2)]) == 1.0
    assert krippendorff_alpha_ordinal([(2, 2), (2, 2)]) is None  # no variation: undefined
    assert krippendorff_alpha_ordinal([(1,), (None, 2)]) is None  # nothing pairable
    # a single rating does not count: same as without that item
    assert krippendorff_alpha_ordinal([(1, 2), (1, 3), (4, None)]) == pytest.approx(-15 / 36)


def test_share_apart_and_spread():
    assert share_apart([(0, 1, 1), (0, 2), (3, 3), (4,)]) == pytest.approx(1 / 3)
    assert share_apart([(4,)]) is None
    assert spread([0, None, 3, 1]) == 3 and spread([2]) is None
