"""Lexing: the page vocabulary, token kinds, and the line tokenizer."""
