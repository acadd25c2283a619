"""tui-workshop: the mathematics behind artificial neural networks, in the terminal.

Importing the package limits BLAS (OpenBLAS, MKL, OpenMP) to one thread, so
that many students training on one shared server do not fight over its cores;
the tiny matrices of the workshop run fastest on one thread anyway. This only
sets defaults: export OPENBLAS_NUM_THREADS, OMP_NUM_THREADS or MKL_NUM_THREADS
before starting the program to choose otherwise. It has no effect when numpy
was imported before this package.
"""

import os

for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")
del _name

__version__ = "0.1.0"
