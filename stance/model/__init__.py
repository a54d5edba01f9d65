"""The stance network and its input: encoder, tokenizer windows, templates, context windows, the model folder format."""
