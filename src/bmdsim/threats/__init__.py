"""bmdsim.threats."""
