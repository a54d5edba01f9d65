"""Training: the run's configuration, its examples (windows built as at inference) and the Trainer set-up."""
