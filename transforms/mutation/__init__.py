"""Tree-sitter mutation operators (Beam-free); the stage that runs them is ``transforms.mutate``."""
