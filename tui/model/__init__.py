"""Pure model: inventory -> networkx graph, and queries over it. No textual, no AWS SDK."""
