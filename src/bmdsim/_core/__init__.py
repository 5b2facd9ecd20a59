"""bmdsim._core."""
