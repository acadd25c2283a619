"""Provisional schema generated from the old defaults and the lesson; refine it."""

from tui_workshop.experiments.schema import Bool, Choice, Float, Int
from tui_workshop.i18n.message import msg

TITLE = msg('An RNN forecasts a time series')
SCHEMA = {
    'series': Choice('sine', ('sine', 'sum_of_sines', 'trend_season', 'sunspots'), label=msg('series'), labels=tuple(msg(x) for x in ('sine', 'sum of sines', 'trend+season', 'sunspots')), help=msg('The series to forecast; sunspots is the real yearly record, 1700-2008')),  # provisional choices
    'hidden': Int(16, 4, 32, label=msg('hidden size H'), step=4, help=msg('Hidden units H of the recurrent layer')),
    'window': Int(20, 2, 60, label=msg('window length'), step=2, help=msg('How many past values the network reads for each prediction')),
    'epochs': Int(40, 1, 300, label=msg('epochs'), step=10),
    'learning_rate': Float(0.01, 0.0001, 0.5, label=msg('learning rate'), step=0.005, help=msg('Learning rate η of the optimiser')),
    'batch_size': Int(16, 0, 160, label=msg('batch size')), # provisional bounds
    'clip': Float(1.0, 0.0, 10.0, label=msg('clip norm'), step=0.5, help=msg("Gradient clipping, 0 = off. The gradient's norm is rescaled to at most this")),
    'seed': Int(0, 0, 999, label=msg('seed'), step=1),
    'horizon': Int(40, 1, 62, label=msg('horizon'), step=1, help=msg('Forecast horizon: steps forecast after the training part (at most the held-out length)')),
}
