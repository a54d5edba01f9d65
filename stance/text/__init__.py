"""Plain-text helpers shared by reading, the pipeline, training and corpus tools: no spaCy model, no network."""
