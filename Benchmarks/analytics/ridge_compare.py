#!/usr/bin/env python3
"""Strata's ridge regression beside numpy and scikit-learn, on the regression data of
shared/bench/kmeans_ridge.py: 100,000 x 32 correlated Gaussian features, y = X w + 3 + noise,
seed 1234 (the same generator calls, so the same numbers).

Writes the training rows as one float64 .npy file, features then the target as the last
column, which `strata fit FILE.npy` reads (a hidden benchmark command: `strata fit --help`).
Then, each 5 times, median wall time:
  * numpy.linalg.lstsq on [X | 1]                  vs strata fit --lambda 0 --folds 0
  * sklearn Ridge(alpha=1) (raw-slope penalty)     vs strata fit --lambda 1 --folds 0 --raw
  * strata fit --lambda 1 --folds 0 (standardized penalty, the library default)
  * strata fit (lambda chosen by 5-fold CV over 25 candidates)
and prints the largest |coefficient difference| (intercept included) of each pair.
Strata's times are measured inside the process (the fit only, not reading the file).

Usage: python ridge_compare.py [--strata .build/release/strata] [--reps 5] [--threads 1]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

SEED = 1234


def regression_data():
    """The training split of kmeans_ridge.py's regression(), call for call."""
    rng = np.random.default_rng(SEED)
    n, n_test, d = 100_000, 20_000, 32
    A = rng.standard_normal((d, d)) / np.sqrt(d)
    cov_root = np.eye(d) + 0.5 * A
    Xall = rng.standard_normal((n + n_test, d)) @ cov_root
    w = rng.standard_normal(d)
    yall = Xall @ w + 3.0 + rng.standard_normal(n + n_test) * 1.0
    return Xall[:n], yall[:n], w


def median_time(fn, reps):
    times, out = [], None
    for _ in range(reps):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return float(np.median(times)), out


def strata_fit(binary, path, reps, *flags):
    result = subprocess.run([binary, "fit", path, "--repeat", str(reps), "--json", *flags],
                            check=True, capture_output=True, text=True)
    doc = json.loads(result.stdout)
    return float(np.median(doc["seconds"])), np.array(doc["coefficients"] + [doc["intercept"]]), doc


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--strata", default=os.path.join(here, "..", "..", ".build", "release", "strata"))
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--threads", type=int, default=1, help="BLAS threads for numpy/sklearn and strata")
    args = ap.parse_args()
    os.environ["STRATA_BLAS_THREADS"] = str(args.threads)
    try:
        from threadpoolctl import threadpool_limits
        threadpool_limits(limits=args.threads)  # in force for the rest of the process
    except ImportError:
        pass
    from sklearn.linear_model import Ridge

    X, y, _ = regression_data()
    n = X.shape[0]
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "ridge_100k_32.npy")
        np.save(path, np.ascontiguousarray(np.hstack([X, y[:, None]])))

        X1 = np.hstack([X, np.ones((n, 1))])
        t_lstsq, sol = median_time(lambda: np.linalg.lstsq(X1, y, rcond=None)[0], args.reps)
        t_ridge, model = median_time(lambda: Ridge(alpha=1.0).fit(X, y), args.reps)
        sk = np.append(model.coef_, model.intercept_)

        t_ols, ours_ols, _ = strata_fit(args.strata, path, args.reps, "--lambda", "0", "--folds", "0")
        t_raw, ours_raw, _ = strata_fit(args.strata, path, args.reps, "--lambda", "1", "--folds", "0", "--raw")
        t_std, ours_std, _ = strata_fit(args.strata, path, args.reps, "--lambda", "1", "--folds", "0")
        t_cv, ours_cv, cv = strata_fit(args.strata, path, args.reps)

    rows = [
        ("numpy lstsq [X|1]", t_lstsq, "-"),
        ("strata fit λ=0 (dposv)", t_ols, f"{np.max(np.abs(ours_ols - sol)):.2e} vs lstsq"),
        ("sklearn Ridge(alpha=1)", t_ridge, f"solver {model.solver}"),
        ("strata fit λ=1 --raw", t_raw, f"{np.max(np.abs(ours_raw - sk)):.2e} vs sklearn"),
        ("strata fit λ=1 standardized", t_std, f"{np.max(np.abs(ours_std - sk)):.2e} vs sklearn"),
        (f"strata fit 5-fold CV, 25 λ (chose {cv['lambda']:.3g})", t_cv, f"{np.max(np.abs(ours_cv - sol)):.2e} vs lstsq"),
    ]
    print(f"100,000 x 32, seed {SEED}, {args.threads} BLAS thread(s), median of {args.reps}")
    print()
    print("| fit | median ms | max abs coefficient difference |")
    print("|---|---:|---|")
    for name, seconds, diff in rows:
        print(f"| {name} | {seconds * 1000:.2f} | {diff} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
