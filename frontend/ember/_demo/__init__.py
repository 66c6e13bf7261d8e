"""The training demo behind ``python -m ember.demo``: model, data, loop and plots.

One concern per module: :mod:`.model` (the CNN), :mod:`.data` (the digits loaders),
:mod:`.training` (one epoch of training, evaluation, the history) and :mod:`.plotting`
(the loss and accuracy curves). :mod:`ember.demo` is the command line that ties them.
"""

from .data import make_loaders, random_shift
from .model import DigitsCNN
from .plotting import plot_history
from .training import History, evaluate, train_one_epoch

__all__ = ["DigitsCNN", "History", "evaluate", "make_loaders", "plot_history",
           "random_shift", "train_one_epoch"]
