"""The state machine: tokens in, one ``Report`` out."""
