/* NoiseLab's VAES keystream: the source of the machine code in src/NoiseLab/Randomness/VaesKeystream.cs.
   scripts/vaes-keystream-code.sh compiles it and prints the bytes.
   The function may use no constant pool (the code is copied to a fresh page), so every constant comes from
   the `lanes` argument. */
#include <immintrin.h>
#include <stddef.h>
#include <stdint.h>

/* keys: rounds + 1 round keys; counter: (c0, c1, c2, c3); lanes: 32 words, the counter offsets of the four
   blocks of a register ((0,0,0,0), (1,0,0,0), (2,0,0,0), (3,0,0,0)) and the step between registers
   ((4,0,0,0) four times); out: nwords words, a multiple of 16. Block b is the round function of
   (c0 + b, c1, c2, c3), stored as four words. */
void noiselab_vaes_keystream(const __m128i *keys, int rounds, const uint32_t *counter, const uint32_t *lanes, uint32_t *out, size_t nwords)
{
    __m512i step = _mm512_loadu_si512(lanes + 16);
    __m512i c = _mm512_add_epi32(_mm512_broadcast_i32x4(_mm_loadu_si128((const __m128i *)counter)), _mm512_loadu_si512(lanes));
    __m512i k0 = _mm512_broadcast_i32x4(_mm_loadu_si128(keys));
    __m512i last = _mm512_broadcast_i32x4(_mm_loadu_si128(keys + rounds));
    size_t w = 0;
    for (; w + 128 <= nwords; w += 128)
    {
        __m512i s0 = _mm512_xor_si512(c, k0); c = _mm512_add_epi32(c, step);
        __m512i s1 = _mm512_xor_si512(c, k0); c = _mm512_add_epi32(c, step);
        __m512i s2 = _mm512_xor_si512(c, k0); c = _mm512_add_epi32(c, step);
        __m512i s3 = _mm512_xor_si512(c, k0); c = _mm512_add_epi32(c, step);
        __m512i s4 = _mm512_xor_si512(c, k0); c = _mm512_add_epi32(c, step);
        __m512i s5 = _mm512_xor_si512(c, k0); c = _mm512_add_epi32(c, step);
        __m512i s6 = _mm512_xor_si512(c, k0); c = _mm512_add_epi32(c, step);
        __m512i s7 = _mm512_xor_si512(c, k0); c = _mm512_add_epi32(c, step);
        for (int r = 1; r < rounds; r++)
        {
            __m512i k = _mm512_broadcast_i32x4(_mm_loadu_si128(keys + r));
            s0 = _mm512_aesenc_epi128(s0, k); s1 = _mm512_aesenc_epi128(s1, k);
            s2 = _mm512_aesenc_epi128(s2, k); s3 = _mm512_aesenc_epi128(s3, k);
            s4 = _mm512_aesenc_epi128(s4, k); s5 = _mm512_aesenc_epi128(s5, k);
            s6 = _mm512_aesenc_epi128(s6, k); s7 = _mm512_aesenc_epi128(s7, k);
        }
        _mm512_storeu_si512(out + w, _mm512_aesenclast_epi128(s0, last));
        _mm512_storeu_si512(out + w + 16, _mm512_aesenclast_epi128(s1, last));
        _mm512_storeu_si512(out + w + 32, _mm512_aesenclast_epi128(s2, last));
        _mm512_storeu_si512(out + w + 48, _mm512_aesenclast_epi128(s3, last));
        _mm512_storeu_si512(out + w + 64, _mm512_aesenclast_epi128(s4, last));
        _mm512_storeu_si512(out + w + 80, _mm512_aesenclast_epi128(s5, last));
        _mm512_storeu_si512(out + w + 96, _mm512_aesenclast_epi128(s6, last));
        _mm512_storeu_si512(out + w + 112, _mm512_aesenclast_epi128(s7, last));
    }
    for (; w < nwords; w += 16)
    {
        __m512i s = _mm512_xor_si512(c, k0); c = _mm512_add_epi32(c, step);
        for (int r = 1; r < rounds; r++)
            s = _mm512_aesenc_epi128(s, _mm512_broadcast_i32x4(_mm_loadu_si128(keys + r)));
        _mm512_storeu_si512(out + w, _mm512_aesenclast_epi128(s, last));
    }
}
