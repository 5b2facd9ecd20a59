"""bmdsim.earth."""
