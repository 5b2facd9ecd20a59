"""Figures and self-contained HTML reports (matplotlib on its Agg canvas, offline).

* :mod:`~bmdsim.viz.basemap`: maps from the shipped Natural Earth countries;
* :mod:`~bmdsim.viz.run_figures`: a run's map, altitude profiles, timeline, stage falls;
* :mod:`~bmdsim.viz.analysis_figures`: footprint, Monte Carlo, strategic reach, stage
  dispersion;
* :mod:`~bmdsim.viz.report`: :func:`write_report`, one HTML file with embedded PNGs;
* :mod:`~bmdsim.viz.run_report` and :mod:`~bmdsim.viz.analysis_reports`: the reports of a
  run and of each analysis.

Submodules import matplotlib: import them only where a figure is wanted.
"""
