"""Issue reports (诉求): a resident raises a problem, the building follows it to a fix."""
