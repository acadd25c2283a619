"""Provisional schema generated from the old defaults and the lesson; refine it."""

from tui_workshop.experiments.schema import Bool, Choice, Float, Int
from tui_workshop.i18n.message import msg

TITLE = msg('Convolution, step by step')
SCHEMA = {
    'image': Choice('square', ('square', 'circle', 'diagonal', 'checkerboard', 'digit'), label=msg('image')),  # provisional choices
    'digit': Int(0, 0, 1796, label=msg('which digit'), step=1, help=msg('Index of the handwritten digit when image = digit')),
    'size': Int(12, 6, 24, label=msg('image size n'), step=2, help=msg('The image is n×n pixels')),
    'kernel': Choice('sobel_x', ('identity', 'sobel_x', 'sobel_y', 'edge_vertical', 'edge_horizontal', 'laplacian', 'box_blur', 'gaussian_blur', 'sharpen', 'blur_5x5', 'blur_7x7'), label=msg('kernel K'), labels=tuple(msg(x) for x in ('identity', 'Sobel x (vertical edges)', 'Sobel y (horizontal edges)', 'Prewitt vertical edges', 'Prewitt horizontal edges', 'Laplacian', 'box blur 3×3', 'Gaussian blur 3×3', 'sharpen', 'box blur 5×5', 'box blur 7×7'))),  # provisional choices
    'stride': Int(1, 1, 4, label=msg('stride s'), step=1, help=msg('How many pixels the kernel moves each time')),
    'padding': Int(0, 0, 3, label=msg('padding p'), step=1, help=msg('Rings of zeros added around the image')),
    'pool': Choice('none', ('none', 'max', 'avg'), label=msg('pooling'), labels=tuple(msg(x) for x in ('no pooling', 'max pool 2×2', 'average pool 2×2'))),  # provisional choices
}
