"""carnet's authoring tools: the converter, lint and exporters."""
