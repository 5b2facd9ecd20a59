"""bmdsim.analysis."""
