"""trellis: a terminal UI for Amazon VPC Lattice and Amazon ECS."""

__version__ = "0.1.0"
