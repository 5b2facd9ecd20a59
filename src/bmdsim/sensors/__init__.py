"""bmdsim.sensors."""
