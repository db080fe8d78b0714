"""Settings package: ``base`` holds everything shared, ``dev``/``test``/``production`` adjust it.

Every value that differs between machines is read from the environment through
:mod:`cms.settings.env` (and documented in ``.env.example`` and README.md).
"""
