from tui_workshop.experiments.schema import Choice, Float
from tui_workshop.i18n.message import msg

TITLE = msg("Welcome: practise the interface")
SCHEMA = {
    "a": Float(1.0, -5.0, 5.0, step=0.5, label=msg("factor a"), live=True,
               help=msg("The number the curve is multiplied by")),
    "curve": Choice(
        "parabola",
        ("line", "parabola", "wave"),
        labels=(msg("line"), msg("parabola"), msg("wave")),
        label=msg("curve"),
        live=True,
    ),
}
