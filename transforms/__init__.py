"""Pipeline stages: one module per stage, each a composite PTransform over Beam-free functions."""
