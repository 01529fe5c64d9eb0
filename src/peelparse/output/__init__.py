"""Output: records as JSON, JSON Schema, tables, and the sinks that write them."""
