"""Reward-model training (FSDP2, Bradley-Terry) and CodeRewardBench-format evaluation.

Beam-free: this package reads the pipeline's Parquet shards and never imports apache_beam.
"""
