"""The adjusted Rand index (Hubert & Arabie 1985): agreement of two partitions, 1 = identical, ~0 = chance.

Written here because scikit-learn is not a dependency; checked against textbook values in
test_opinion_groups.py.
"""

from math import comb

import numpy as np


def adjusted_rand_index(labels_a, labels_b) -> float:
    _values, a = np.unique(np.asarray(labels_a), return_inverse=True)
    _values, b = np.unique(np.asarray(labels_b), return_inverse=True)
    table = np.zeros((a.max() + 1, b.max() + 1), dtype=np.int64)
    np.add.at(table, (a, b), 1)
    pairs = sum(comb(int(n), 2) for n in table.ravel())
    pairs_a = sum(comb(int(n), 2) for n in table.sum(axis=1))
    pairs_b = sum(comb(int(n), 2) for n in table.sum(axis=0))
    total = comb(len(a), 2)
    expected = pairs_a * pairs_b / total
    maximum = (pairs_a + pairs_b) / 2
    if maximum == expected:  # both partitions trivial (one cluster each, or all singletons)
        return 1.0
    return (pairs - expected) / (maximum - expected)
