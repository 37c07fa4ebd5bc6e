"""Intake: receiving reports from every channel, verbatim and graded.

``schemas`` (what a submission holds), ``language`` (offline language
identification), ``attachments`` (content-addressed file store), ``services``
(submit and correct reports), ``csv_import`` (the CSV channel), ``adapters``
(ports to the geo and armed-group contexts), ``api`` and ``cli``. Linking
reports into incidents lives in ``truceline.incidents``.
"""
