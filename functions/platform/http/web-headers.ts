/** Response headers of the web apps: set by the local static server (dev/local/static.ts) and by the CloudFront response headers policy (lib/web.ts). */
export const WEB_SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'self'; connect-src 'self' https://*.amazoncognito.com; worker-src 'self'; media-src 'self' blob:; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'permissions-policy': 'camera=(self), geolocation=(self), microphone=()',
};

/**
 * The API serves two languages: Hindi (`*_l` names) when `Accept-Language` names `hi` (hi_IN,
 * hi-IN, hi) anywhere, English otherwise. The functions decide with this rule
 * (functions/metadata/domain/reference.ts wantsHindi) and CloudFront's viewer-request function on cached
 * API routes (lib/web.ts) rewrites the header to exactly `hi` or `en` with the same rule before it
 * enters the cache key: two cache entries per URL, whatever clients send.
 */
export const HINDI_ACCEPT_LANGUAGE = /(^|[,\s])hi([_-][A-Za-z]{2})?(\s*;|\s*,|$)/i;
