"""Jobs: the Huey queue, its tasks, and the sweep that makes lost messages harmless."""
