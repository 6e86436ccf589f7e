// cbor-x loads its optional native string extractor inside try/catch and uses its JS path otherwise.
throw new Error('cbor-extract is not installed (pure JavaScript CBOR decoding is used)');
