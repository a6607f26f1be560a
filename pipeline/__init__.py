"""Pipeline entry point, options and DAG assembly."""
