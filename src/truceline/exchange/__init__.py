"""Import and export of event data: UCDP GED CSV, ACLED CSV, GeoJSON and truceline JSON.

Layout (one concern per module):

- ``textio``: reads files as bytes, decodes UTF-8 line by line and locates bad bytes;
- ``jsonstream``: reads one big JSON array element by element, locating errors;
- ``rows``: shared, pure validation of field values (dates, coordinates, counts);
- ``actors``: maps actor names used by ACLED and UCDP to truceline actor ids;
- ``records``: the mapped form of one source event (an incident plus its reports);
- ``ucdp``, ``acled``, ``truceline_json``: one module per format (reading and writing);
- ``geojson``: GeoJSON export;
- ``importer``: streams records into the database in transactional batches;
- ``bulk``: one ``executemany`` per table and batch; ``pipeline``: reads large files
  in a helper process while the database writes;
- ``exporter``: streams incidents out of the database into a writer;
- ``demo``: the demonstration data set behind ``truceline demo``;
- ``cli``: the ``import``, ``export`` and ``demo`` commands.

To add a format, write a module with ``read_records(path)`` (and/or a writer) and
list it in ``importer.READERS`` / ``exporter.WRITERS``.
"""
