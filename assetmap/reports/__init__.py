"""Reports: assemble network and gap analyses into pages people can read."""
