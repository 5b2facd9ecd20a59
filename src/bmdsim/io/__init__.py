"""bmdsim.io."""
