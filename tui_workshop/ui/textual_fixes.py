"""Work-arounds for Textual bugs that matter to a long session, applied on import.

- **Removed widgets' line caches stay alive** (Textual issue #6665, open for
  Textual 8.2.8): ``StylesCache.get_inner_outer`` is an instance method under
  ``functools.lru_cache(1024)``, so the cache's keys hold every widget's
  ``StylesCache`` (with the strips of all its drawn lines) long after the widget
  is gone, until 1024 later entries push them out. Each experiment rebuild
  (F9, a lesson change) leaves its panels' caches there: the CNN lesson grew by
  about 0.2 MiB a run (issue 11). The result does not depend on the instance,
  so the cache is moved to a plain function of the two colours.

- **Textual's loading indicator says "Loading..." in English** when animations
  are off (the projector layout turns them off; the command palette shows one
  while a search is slow): the text goes through the catalogues.

- **A partial update draws widgets far from it** (Textual 8.2.8): the
  compositor picks the widgets to draw for a changed region by their
  container's clip, not by their own region, and draws each picked one whole.
  A frame that changes the status line and a few heatmap cells drew the whole
  screen: the title, the footer, the page text, every parameter row (issue 11:
  most of a training frame's main-thread time). Widgets whose region is outside
  the changed area are left out; what they would draw there is never shown (a
  partial update writes only the changed spans).

Each fix checks that the code it replaces is still the one it knows, and
leaves Textual alone otherwise (a later Textual may have fixed it).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any


def _fix_styles_cache_leak() -> bool:
    from textual._styles_cache import StylesCache

    cached: Any = StylesCache.__dict__.get("get_inner_outer")
    compute = getattr(cached, "__wrapped__", None)
    if compute is None or not hasattr(cached, "cache_clear"):
        return False  # not the lru_cache-on-a-method any more

    @lru_cache(1024)
    def inner_outer(base_background: Any, background: Any) -> Any:
        return compute(None, base_background, background)  # it never reads its first argument

    def get_inner_outer(self: Any, base_background: Any, background: Any) -> Any:
        return inner_outer(base_background, background)

    cached.cache_clear()
    setattr(StylesCache, "get_inner_outer", get_inner_outer)  # noqa: B010 (patched on purpose)
    return True


def _translate_loading_indicator() -> bool:
    from rich.text import Text
    from textual.widgets import LoadingIndicator

    from tui_workshop.i18n import _

    render = LoadingIndicator.render
    if getattr(render, "translated", False):
        return True

    def translated_render(self: Any) -> Any:
        shown = render(self)
        if isinstance(shown, Text) and shown.plain == "Loading...":
            return Text(_("Loading…"))
        return shown

    translated_render.translated = True  # type: ignore[attr-defined]
    setattr(LoadingIndicator, "render", translated_render)  # noqa: B010 (patched on purpose)
    return True


def _draw_only_widgets_in_the_update() -> bool:
    from textual._compositor import Compositor

    get_renders: Any = Compositor._get_renders
    if getattr(get_renders, "cropped", False):
        return True
    names = get_renders.__code__.co_names
    if "visible_widgets" not in names or "overlaps" not in names:
        return False  # not the code this fix knows

    def cropped_get_renders(self: Any, crop: Any = None) -> Any:
        if not crop:
            yield from get_renders(self, crop)
            return
        visible = self.visible_widgets
        overlaps = crop.overlaps
        inside = {w: place for w, place in visible.items() if overlaps(place[0])}
        renders = get_renders(self, crop)
        # The original reads visible_widgets once, before its first render.
        self._visible_widgets = inside
        try:
            first = next(renders, None)
        finally:
            if self._visible_widgets is inside:
                self._visible_widgets = visible
        if first is not None:
            yield first
            yield from renders

    cropped_get_renders.cropped = True  # type: ignore[attr-defined]
    setattr(Compositor, "_get_renders", cropped_get_renders)  # noqa: B010 (patched on purpose)
    return True


STYLES_CACHE_LEAK_FIXED = _fix_styles_cache_leak()
PARTIAL_UPDATES_CROPPED = _draw_only_widgets_in_the_update()
LOADING_INDICATOR_TRANSLATED = _translate_loading_indicator()
