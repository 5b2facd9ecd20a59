"""bmdsim.cli."""
