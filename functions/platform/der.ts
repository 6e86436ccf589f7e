/**
 * ECDSA signature encodings. KMS, X.509 and CMS carry the DER `ECDSA-Sig-Value`
 * (SEQUENCE { r INTEGER, s INTEGER }, RFC 3279); COSE and JWS carry the raw fixed-width
 * r‖s (IEEE P1363). For P-256 each of r and s is 32 bytes, so raw is always 64 bytes.
 */

/** DER ECDSA-Sig-Value → raw r‖s, each integer left-padded to `size` bytes. */
export function derToRaw(der: Uint8Array, size = 32): Uint8Array {
  let offset = 0;
  const expect = (tag: number): void => {
    if (der[offset] !== tag) throw new Error(`DER ECDSA signature: expected tag 0x${tag.toString(16)} at ${offset}`);
    offset += 1;
  };
  const readLength = (): number => {
    const first = der[offset++];
    if (first === undefined) throw new Error('DER ECDSA signature: truncated');
    if (first < 0x80) return first;
    const count = first & 0x7f;
    if (count === 0 || count > 2) throw new Error('DER ECDSA signature: unsupported length');
    let length = 0;
    for (let i = 0; i < count; i++) length = (length << 8) | (der[offset++] ?? 0);
    return length;
  };
  const readInteger = (): Uint8Array => {
    expect(0x02);
    const length = readLength();
    let bytes = der.subarray(offset, offset + length);
    if (bytes.length !== length || length === 0) throw new Error('DER ECDSA signature: truncated integer');
    offset += length;
    // DER adds a 0x00 byte when the top bit is set, so the integer stays positive.
    while (bytes.length > size && bytes[0] === 0) bytes = bytes.subarray(1);
    if (bytes.length > size) throw new Error('DER ECDSA signature: integer too large');
    return bytes;
  };
  expect(0x30);
  const sequenceLength = readLength();
  if (offset + sequenceLength !== der.length) throw new Error('DER ECDSA signature: bad sequence length');
  const r = readInteger();
  const s = readInteger();
  if (offset !== der.length) throw new Error('DER ECDSA signature: trailing bytes');
  const raw = new Uint8Array(size * 2);
  raw.set(r, size - r.length);
  raw.set(s, size * 2 - s.length);
  return raw;
}

/** Raw r‖s → DER ECDSA-Sig-Value (minimal positive INTEGERs). */
export function rawToDer(raw: Uint8Array): Uint8Array {
  if (raw.length === 0 || raw.length % 2 !== 0) throw new Error('raw ECDSA signature: odd length');
  const half = raw.length / 2;
  const integer = (bytes: Uint8Array): Uint8Array => {
    let start = 0;
    while (start < bytes.length - 1 && bytes[start] === 0) start++;
    const trimmed = bytes.subarray(start);
    const pad = (trimmed[0] ?? 0) & 0x80 ? 1 : 0;
    const out = new Uint8Array(2 + pad + trimmed.length);
    out[0] = 0x02;
    out[1] = pad + trimmed.length;
    out.set(trimmed, 2 + pad);
    return out;
  };
  const r = integer(raw.subarray(0, half));
  const s = integer(raw.subarray(half));
  const bodyLength = r.length + s.length;
  const header = bodyLength < 0x80 ? [0x30, bodyLength] : [0x30, 0x81, bodyLength];
  const out = new Uint8Array(header.length + bodyLength);
  out.set(header, 0);
  out.set(r, header.length);
  out.set(s, header.length + r.length);
  return out;
}
