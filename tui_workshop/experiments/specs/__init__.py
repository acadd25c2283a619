"""Each experiment's parameter schema, in a module of its own named after it.

``specs/<name>.py`` declares ``SCHEMA`` (and ``TITLE``) for the experiment
registered as ``<name>`` in ``experiments/<name>.py``. These modules import
no NumPy, so the lesson loader validates every lesson against the schemas
before the first screen is drawn, without loading the engine.
"""
