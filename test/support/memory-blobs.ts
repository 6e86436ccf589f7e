import type { BlobStore } from '../../functions/platform/ports';

/** An in-memory BlobStore (what S3CertificateStore needs from S3), conditional writes included. */
export function memoryBlobs(): BlobStore & { objects: Map<string, Buffer> } {
  const objects = new Map<string, Buffer>();
  return {
    objects,
    put: async (k, b) => void objects.set(k, Buffer.from(b)),
    putIfAbsent: async (k, b) => {
      if (objects.has(k)) return false;
      objects.set(k, Buffer.from(b));
      return true;
    },
    get: async (k) => objects.get(k),
    delete: async (k) => void objects.delete(k),
    list: async (p) => [...objects.keys()].filter((k) => k.startsWith(p)).sort(),
    presignGet: async (k) => `memory://${k}`,
  };
}
