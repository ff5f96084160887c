#ifndef DOSSIER_CSHA256_H
#define DOSSIER_CSHA256_H

#include <stddef.h>
#include <stdint.h>

/// SHA-256's 64 round constants.
const uint32_t *dossier_sha256_round_constants(void);

/// Whether this CPU has the SHA extensions (and the SSSE3 and SSE4.1 they are used with).
int dossier_sha256_accelerated(void);

/// Runs SHA-256's compression function over `blocks` blocks of 64 bytes at `data`, with the
/// CPU's SHA instructions; only when dossier_sha256_accelerated() says so.
void dossier_sha256_compress(uint32_t state[8], const uint8_t *data, size_t blocks);

#endif
