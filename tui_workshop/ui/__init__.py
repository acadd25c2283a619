"""The Textual user interface: the only layer that imports textual, rich or plotext.

- ``app.py``: the thin App (routing, bindings, command palette);
- ``screens/``: lesson and menu screens;
- ``widgets/``: reusable widgets (experiment view and its panels, parameter
  panel, exercise box), each documented in its own module;
- ``palette.py``: the colour-blind-safe colours and markers, NO_COLOR detection;
- ``messages.py``: messages from the training worker to the screen.

Nothing is imported here so that ``import tui_workshop.ui`` stays cheap.
"""
