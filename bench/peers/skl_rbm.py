"""scikit-learn's BernoulliRBM in the configuration of its own test, timed for bench/rbm.ts.

Kept up as a server: each line on stdin is a JSON request {"hidden": H, "seed": s}; the reply on stdout is
{"ms_per_epoch": …, "cpu_ms_per_epoch": …, "pll": …}: BernoulliRBM(n_components=H, learning_rate=0.1, batch_size=10, n_iter=7,
random_state=s).fit(X) on the digits scaled to [0, 1], its wall and CPU time (all threads of the process)
divided by 7, and the mean of
score_samples(X). The digits are the fixture heatbath's specs use (spec/fixtures/digits/digits.csv.gz, the
same bytes as scikit-learn's bundled copy).
"""
import gzip
import json
import os
import sys
import time

import numpy as np
from sklearn.neural_network import BernoulliRBM

here = os.path.dirname(os.path.abspath(__file__))
with gzip.open(os.path.join(here, "..", "..", "spec", "fixtures", "digits", "digits.csv.gz"), "rt") as f:
    X = np.loadtxt(f, delimiter=",")[:, :64] / 16.0

for line in sys.stdin:
    request = json.loads(line)
    rbm = BernoulliRBM(n_components=request["hidden"], learning_rate=0.1, batch_size=10, n_iter=7, random_state=request["seed"])
    started, cpu = time.perf_counter(), time.process_time()
    rbm.fit(X)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    pll = float(rbm.score_samples(X).mean())
    print(json.dumps({"ms_per_epoch": 1000 * seconds / 7, "cpu_ms_per_epoch": 1000 * cpu_seconds / 7, "pll": pll}), flush=True)
