"""Parameters of the convolution experiment (a kernel slides over an image, step by step)."""

from tui_workshop.experiments.schema import Choice, Int
from tui_workshop.i18n.message import msg

TITLE = msg("Convolution, step by step")
N_DIGITS = 1797  # images in the handwritten-digits set
MAX_SIZE = 32  # image side: at most 32² = 1024 positions to step through

SCHEMA = {
    "image": Choice(
        "square",
        ("square", "circle", "diagonal", "checkerboard", "digit"),
        labels=(msg("square"), msg("circle"), msg("diagonal"), msg("checkerboard"),
                msg("digit")),
        label=msg("image"),
        help=msg("The picture the kernel slides over"),
    ),
    "digit": Int(0, 0, N_DIGITS - 1, label=msg("which digit"),
                 help=msg("Index of the handwritten digit when image = digit")),
    "size": Int(12, 6, MAX_SIZE, step=2, label=msg("image size n"),
                help=msg("The image is n×n pixels")),
    "kernel": Choice(
        "sobel_x",
        ("identity", "sobel_x", "sobel_y", "edge_vertical", "edge_horizontal", "laplacian",
         "box_blur", "gaussian_blur", "sharpen", "blur_5x5", "blur_7x7"),
        labels=(msg("identity"), msg("Sobel x (vertical edges)"),
                msg("Sobel y (horizontal edges)"), msg("Prewitt vertical edges"),
                msg("Prewitt horizontal edges"), msg("Laplacian"), msg("box blur 3×3"),
                msg("Gaussian blur 3×3"), msg("sharpen"), msg("box blur 5×5"),
                msg("box blur 7×7")),
        label=msg("kernel K"),
        help=msg("The small matrix of weights that slides over the image"),
    ),
    "stride": Int(1, 1, 8, label=msg("stride s"),
                  help=msg("How many pixels the kernel moves each time")),
    "padding": Int(0, 0, 8, label=msg("padding p"),
                   help=msg("Rings of zeros added around the image")),
    "pool": Choice(
        "none",
        ("none", "max", "avg"),
        labels=(msg("no pooling"), msg("max pool 2×2"), msg("average pool 2×2")),
        label=msg("pooling"),
        help=msg("Pooling of the feature map, 2×2 windows with stride 2"),
    ),
}
