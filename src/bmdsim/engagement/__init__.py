"""bmdsim.engagement."""
