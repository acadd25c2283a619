"""Provisional schema generated from the old defaults and the lesson; refine it."""

from tui_workshop.experiments.schema import Bool, Choice, Float, Int
from tui_workshop.i18n.message import msg

TITLE = msg('The playground')
SCHEMA = {
    'dataset': Choice('circle', ('circle', 'xor', 'gauss', 'spiral', 'moons', 'plane', 'multi_gauss'), label=msg('data set'), labels=tuple(msg(x) for x in ('circle', 'xor', 'gauss', 'spiral', 'moons', 'plane (reg.)', 'bumps (reg.)')), help=msg('The data: five classification sets, and two regression sets (a plane, a sum of Gaussian bumps)')),  # provisional choices
    'noise': Int(0, 0, 50, label=msg('noise %'), step=5, help=msg('How much the points are jittered')),
    'train_ratio': Int(50, 10, 90, label=msg('training %'), step=10, help=msg('Share of the points used for training; the rest validate')),
    'points': Int(300, 0, 3000, label=msg('points')), # provisional bounds
    'feat_x1': Bool(True, label=msg('x₁')),
    'feat_x2': Bool(True, label=msg('x₂')),
    'feat_x1sq': Bool(False, label=msg('x₁²')),
    'feat_x2sq': Bool(False, label=msg('x₂²')),
    'feat_x1x2': Bool(False, label=msg('x₁x₂')),
    'feat_sin_x1': Bool(False, label=msg('sin x₁')),
    'feat_sin_x2': Bool(False, label=msg('sin x₂')),
    'layers': Int(2, 0, 6, label=msg('hidden layers'), step=1),
    'neurons': Int(4, 1, 8, label=msg('neurons/layer'), step=1, help=msg('Neurons in each hidden layer')),
    'activation': Choice('tanh', ('tanh', 'relu', 'sigmoid', 'linear'), label=msg('activation'), labels=tuple(msg(x) for x in ('tanh', 'ReLU', 'sigmoid', 'linear'))),  # provisional choices
    'output': Choice('auto', ('auto',), label=msg('output')),  # provisional choices
    'learning_rate': Float(0.03, 0.0001, 10.0, label=msg('learning rate'), step=0.01, live=True, help=msg('Learning rate η; may be changed while training')),
    'batch_size': Int(10, 1, 100, label=msg('batch size'), step=5),
    'optimizer': Choice('sgd', ('sgd', 'momentum', 'rmsprop', 'adam'), label=msg('optimiser'), labels=tuple(msg(x) for x in ('SGD', 'momentum', 'RMSprop', 'Adam'))),  # provisional choices
    'regularization': Choice('none', ('none', 'l1', 'l2'), label=msg('penalty'), labels=tuple(msg(x) for x in ('none', 'L1', 'L2')), help=msg('Regularisation: none, L1 (λ·Σ|w|) or L2 (λ/2·Σw²)')),  # provisional choices
    'reg_rate': Float(0.0, 0.0, 1.0, label=msg('penalty λ'), step=0.001, help=msg('Regularisation rate λ: the weight of the penalty in the loss')),
    'epochs': Int(500, 10, 2000, label=msg('epoch limit'), step=50),
    'patience': Int(0, 0, 10, label=msg('patience')), # provisional bounds
    'init': Choice('xavier', ('xavier',), label=msg('init')),  # provisional choices
    'seed': Int(0, 0, 999, label=msg('seed'), step=1, help=msg('Another seed: other points, other starting weights')),
    'show_validation': Bool(False, label=msg('show val. points'), live=True, help=msg('Also draw the validation points (hollow) on the plane')),
}
