#!/usr/bin/env node
/**
 * `paracle-compile <policy-dir> --out <bundle-dir> [--sign key.pem]` (contract in ARCHITECTURE.md).
 * Exit 0 ok, 1 policy errors, 2 usage/IO errors.
 */
process.stderr.write("paracle-compile: not yet available\n");
process.exit(2);
