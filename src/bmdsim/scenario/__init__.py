"""bmdsim.scenario."""
